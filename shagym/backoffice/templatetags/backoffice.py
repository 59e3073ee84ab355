"""The staff sub-navigation and the deadline marks used on every back-office page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from shagym.complaints import access
from shagym.complaints.states import OPEN_STATES, REVIEW_STATES
from shagym.directory import dates
from shagym.directory.roles import Role
from shagym.notify import counts
from shagym.notify.models import Audience

register = template.Library()

# Sub-pages light up their parent in the navigation.
SECTION_OF = {
    "bo-intake": "bo-desk",
    "bo-bodies": "bo-bodies",
    "bo-recommendation-action": "bo-recommendations",
    "bo-export": "bo-search",
    "bo-export-xlsx": "bo-search",
    "bo-reports-ranking": "bo-reports",
    "bo-reports-export": "bo-reports",
    "bo-print-posted": "bo-print",
}


@register.inclusion_tag("backoffice/_nav.html", takes_context=True)
def staff_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    desks = access.desks(user)
    # (url name, label, count, what the count means for a screen reader); a count is shown only when not zero.
    items: list[tuple[str, str, int, str]] = [("staff-home", gettext("Overview"), 0, "")]
    if access.is_staff_user(user):
        unread = counts.unread(user, Audience.STAFF)
        items.append(("bo-messages", gettext("Messages"), unread,
                      ngettext("%(count)s unread", "%(count)s unread", unread) % {"count": unread}))
    if desks.registration:
        items.append(("bo-desk", gettext("Registration desk"), 0, ""))
    if desks.print_queue:
        letters = counts.letters_to_print(access.organisation_ids(user, Role.CLERK, Role.HEAD))
        items.append(("bo-print", gettext("Print queue"), letters,
                      ngettext("%(count)s letter to print", "%(count)s letters to print", letters) % {"count": letters}))
    if desks.inbox:
        items.append(("bo-inbox", gettext("Head's inbox"), 0, ""))
    if desks.mine:
        items.append(("bo-mine", gettext("My complaints"), 0, ""))
    if desks.quality:
        items.append(("bo-quality", gettext("Quality authority"), 0, ""))
        items.append(("bo-bodies", gettext("All bodies"), 0, ""))
    if desks.recommendations:
        items.append(("bo-recommendations", gettext("Recommendations"), 0, ""))
    items.append(("bo-search", gettext("Search"), 0, ""))
    if desks.quality or desks.inbox or desks.administrator:
        items.append(("bo-reports", gettext("Reports"), 0, ""))
    if desks.administrator:
        items.append(("calendar-changes", gettext("Calendar changes"), 0, ""))
        items.append(("bo-outbox", gettext("Outbox"), 0, ""))
    match = getattr(request, "resolver_match", None)
    current = SECTION_OF.get(match.url_name, match.url_name) if match else ""
    return {
        "items": [
            {"url": reverse(name), "label": label, "current": name == current, "count": count, "count_label": about}
            for name, label, count, about in items
        ]
    }


@register.simple_tag
def due_badge(complaint: Any, today: dt.date | None = None) -> SafeString:
    """The due date with a word, not only a colour: overdue, due today, due tomorrow (RULES §15, §16)."""
    due = complaint.due_date
    if due is None:
        return format_html("<span>—</span>")
    today = today or timezone.localdate()
    date = format_html('<time datetime="{}">{}</time>', due.isoformat(), dates.numeric(due))
    if complaint.status not in OPEN_STATES:
        return date
    if due < today:
        days = (today - due).days
        label = ngettext("overdue by %(days)s day", "overdue by %(days)s days", days) % {"days": days}
        return format_html('{} <span class="tag bad">{}</span>', date, label)
    if due == today:
        return format_html('{} <span class="tag bad">{}</span>', date, gettext("due today"))
    if due == today + dt.timedelta(days=1):
        return format_html('{} <span class="tag warn">{}</span>', date, gettext("due tomorrow"))
    return date


@register.simple_tag
def term_badge(day: dt.date | None, today: dt.date | None = None) -> SafeString:
    """A short legal window (forwarding, missing content, extension notice): the last day and how it stands."""
    if day is None:
        return format_html("<span>—</span>")
    today = today or timezone.localdate()
    date = format_html('<time datetime="{}">{}</time>', day.isoformat(), dates.numeric(day))
    if day < today:
        return format_html('{} <span class="tag bad">{}</span>', date, gettext("passed"))
    if day == today:
        return format_html('{} <span class="tag bad">{}</span>', date, gettext("last day today"))
    if day == today + dt.timedelta(days=1):
        return format_html('{} <span class="tag warn">{}</span>', date, gettext("last day tomorrow"))
    return date


@register.filter
def state_class(status: str) -> str:
    return "open" if status in OPEN_STATES else "final"


@register.filter
def in_review(status: str) -> bool:
    return status in REVIEW_STATES


@register.simple_tag
def moment(value: dt.datetime | None) -> SafeString:
    if value is None:
        return format_html("<span>—</span>")
    local = timezone.localtime(value)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="minutes"), local.strftime("%d.%m.%Y %H:%M"))


@register.simple_tag
def day(value: dt.date | None) -> SafeString:
    if value is None:
        return format_html("<span>—</span>")
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), dates.numeric(value))
