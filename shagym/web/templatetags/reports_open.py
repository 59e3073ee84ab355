"""A cell of the open data's tables: a count, "<5" for a suppressed one, a share in per cent, or — for none."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def cell(row: dict[str, Any], column: Any) -> str:
    value = row.get(column.key)
    if value is None:
        return "—"
    if column.kind == "share":
        text = f"{value:.1f}"
        return (text.replace(".", ",") if (get_language() or "")[:2] in {"kk", "ru"} else text) + "\u00a0%"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)
