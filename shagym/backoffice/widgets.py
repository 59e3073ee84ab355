"""Selects that draw their options in Python. Django draws each option through a template of its own: a list of
every body of the country (hundreds) then costs a hundred milliseconds a page; this costs one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}

        def option(option_value: Any, label: Any) -> str:
            key = "" if option_value is None else str(option_value)
            selected = key in chosen
            if selected and not self.allow_multiple_selected:
                chosen.clear()  # a single select marks its first match only, as Django's does
            return f'<option value="{escape(key)}"{" selected" if selected else ""}>{conditional_escape(label)}</option>'

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(option(v, item) for v, item in label)
                parts.append(f'<optgroup label="{conditional_escape(option_value)}">{inner}</optgroup>')
            else:
                parts.append(option(option_value, label))
        # Every value, label and attribute above is escaped (escape, conditional_escape, flatatt).
        html = f'<select name="{conditional_escape(name)}"{flatatt(final)}>{"".join(parts)}</select>'
        return mark_safe(html)  # nosec B308 B703 # built from escaped parts only


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    pass


def speed_up(form: forms.BaseForm) -> None:
    """Put the fast selects in place of the form's plain ones, keeping their attributes and choices."""
    for field in form.fields.values():
        kind = {forms.Select: FastSelect, forms.SelectMultiple: FastSelectMultiple}.get(type(field.widget))
        if kind is None:
            continue
        fast = kind(attrs=field.widget.attrs)
        fast.choices = field.widget.choices
        fast.is_required = field.widget.is_required
        field.widget = fast
