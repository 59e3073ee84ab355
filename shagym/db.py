"""Small query helpers shared by every layer."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def only_row(queryset: QuerySet[M]) -> M | None:
    """The row of a lookup by a unique key, or None. Unlike .first(), without an ORDER BY: compiling a model's
    default ordering costs more than such a query takes (Django builds it over every selected column)."""
    return next(iter(queryset.order_by()[:1]), None)
