from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


def _anchor(bound: forms.BoundField) -> str:
    suffix = "_0" if bound.field.widget.use_fieldset and getattr(bound.field, "choices", None) else ""
    return f"#{bound.auto_id}{suffix}"


@register.simple_tag
def error_links(*items: Any) -> list[tuple[str, str]]:
    """Every error of these forms and formsets as (link to the field, message), for the error summary."""
    links: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, forms.BaseForm | forms.BaseFormSet):
            continue
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            first = item.forms[0] if item.forms else None
            target = _anchor(next(iter(first))) if first else ""
            links += [(target, str(message)) for message in item.non_form_errors()]
            for form in item.forms:
                links += error_links(form)
            continue
        if not item.is_bound:
            continue
        for bound in item:
            links += [(_anchor(bound), str(message)) for message in bound.errors]
        links += [("", str(message)) for message in item.non_field_errors()]
    return links
