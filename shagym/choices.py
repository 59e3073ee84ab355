"""`get_FOO_display()` without translating every choice on each call.

Django builds `dict(make_hashable(field.flatchoices))` on every call, and hashing a lazily translated label
translates it: a complaint's status label cost 0.14 ms (about twenty labels translated to show one), and the staff
case page shows twenty linked complaints. Here each field's table of labels is built once (the labels stay lazy)
and only the label shown is translated, in the language active then."""

from __future__ import annotations

from typing import Any

from django.utils.encoding import force_str

_LABELS: dict[Any, dict[Any, Any]] = {}


class ChoiceLabels:
    """A model mixin (before models.Model in the bases)."""

    def _get_FIELD_display(self, field: Any) -> Any:  # Django's name
        value = getattr(self, field.attname)
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS.setdefault(field, dict(field.flatchoices))
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a JSON field's): Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)
