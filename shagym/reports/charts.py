"""Charts drawn on the server as small inline SVG: no script, no library, a few kilobytes each.

Every chart is an image with a name and a description for screen readers (`role="img"`, `<title>`, `<desc>`), draws
its values as text beside the bars (colour is never the only carrier), and is shown with the table of its data, so
a person who cannot see it reads the same figures. Colours have at least 3:1 contrast with the white ground
(WCAG 2.1, 1.4.11)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

COLOURS = ("#0b6e85", "#8a4b00", "#063b4a")
WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written beside the bar ("87.5 %", "1 204")


def _frame(uid: str, title: str, desc: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" id="{uid}" role="img" aria-labelledby="{uid}-title {uid}-desc" viewBox="0 0 {w} {h}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{uid}-title">{title}</title><desc id="{uid}-desc">{desc}</desc>{body}</svg>',
        uid=uid, w=WIDTH, h=height, title=title, desc=desc, body=body,
    )


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars(uid: str, *, title: str, desc: str, rows: Sequence[Bar], maximum: float | None = None,
         label_width: int = 230) -> SafeString:
    """Horizontal bars, one per row, in the order given (rank them before)."""
    row_height, top = 24, 6
    top_value = maximum if maximum is not None else max((row.value for row in rows), default=0) or 1
    span = WIDTH - label_width - 80
    parts = []
    for index, row in enumerate(rows):
        y = top + index * row_height
        width = max(0.0, min(1.0, row.value / top_value)) * span if top_value else 0
        parts.append(format_html(
            '<g><text x="{lx}" y="{ty}" text-anchor="end" class="chart-label">{label}</text>'
            '<rect x="{bx}" y="{by}" width="{bw}" height="16" rx="2" fill="{fill}"/>'
            '<text x="{vx}" y="{ty}" class="chart-value">{text}</text></g>',
            lx=label_width - 8, ty=y + 13, label=_short(row.label, 34), bx=label_width, by=y + 1, bw=_f(width),
            fill=COLOURS[0], vx=_f(label_width + width + 6), text=row.text,
        ))
    height = top * 2 + row_height * max(1, len(rows))
    axis = format_html('<line x1="{x}" y1="0" x2="{x}" y2="{h}" stroke="#4a5a66" stroke-width="1"/>',
                       x=label_width, h=height)
    return _frame(uid, title, desc, height, format_html_join("", "{}", ((part,) for part in parts)) + axis)


def columns(uid: str, *, title: str, desc: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
            unit: str = "") -> SafeString:
    """Vertical bars grouped by label (months): up to three series, with a legend and the largest value marked."""
    height, top, bottom, left = 240, 30, 40, 48
    plot = height - top - bottom
    groups = max(1, len(labels))
    group_width = (WIDTH - left - 10) / groups
    bar_width = max(2.0, (group_width - 4) / max(1, len(series)))
    top_value = max((value for _name, values in series for value in values), default=0) or 1
    parts = [format_html(
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#4a5a66"/>'
        '<text x="{tx}" y="{ty}" text-anchor="end" class="chart-value">{top}{unit}</text>'
        '<line x1="{l}" y1="{t}" x2="{r}" y2="{t}" stroke="#c9d3da" stroke-dasharray="3 3"/>',
        l=left, r=WIDTH - 6, b=top + plot, t=top, tx=left - 4, ty=top + 4, top=_number(top_value), unit=unit,
    )]
    for s_index, (name, _values) in enumerate(series):
        x = left + s_index * 190
        parts.append(format_html(
            '<rect x="{x}" y="6" width="12" height="12" fill="{fill}"/><text x="{tx}" y="16" class="chart-label">'
            '{name}</text>', x=x, fill=COLOURS[s_index % len(COLOURS)], tx=x + 16, name=name,
        ))
    for index, label in enumerate(labels):
        gx = left + index * group_width
        for s_index, (_name, values) in enumerate(series):
            value = values[index] if index < len(values) else 0
            bar = plot * value / top_value
            parts.append(format_html(
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>',
                x=_f(gx + 2 + s_index * bar_width), y=_f(top + plot - bar), w=_f(bar_width - 1), h=_f(bar),
                fill=COLOURS[s_index % len(COLOURS)],
            ))
        parts.append(format_html('<text x="{x}" y="{y}" text-anchor="middle" class="chart-tick">{label}</text>',
                                 x=_f(gx + group_width / 2), y=top + plot + 16, label=label))
    return _frame(uid, title, desc, height, format_html_join("", "{}", ((part,) for part in parts)))


def _f(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if value >= 10 else f"{value:g}"


def describe(rows: Sequence[Bar], limit: int = 5) -> str:
    """A sentence for <desc>: the first rows and their values."""
    return "; ".join(f"{row.label}: {row.text}" for row in rows[:limit]) + ("…" if len(rows) > limit else "")

