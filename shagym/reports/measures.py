"""The counts every report is made of, defined once.

Each measure is a condition on one column of a complaint's fact row (models.Fact): `received` counts every row,
`answered` the rows whose `answered` is true, `status_closed` the rows whose `status` is "closed". The same definition
is read two ways: in Python, to move the monthly tallies by one complaint's change (facts.py), and in SQL, to count
fact rows (the rebuild, and the figures the tallies cannot hold). So a tally and a count over the facts cannot
disagree.

A measure is attributed to the body that reviews the complaint ("main"), or, for the second-tier measures, to the
body whose answer the quality authority was asked to review ("appealed")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from shagym.complaints.states import ExtensionGround, Outcome, State, WithoutConsiderationGround

MAIN = "main"
APPEALED = "appealed"


@dataclass(frozen=True)
class Measure:
    name: str
    field: str | None = None  # None: every row
    value: Any = True
    attribution: str = MAIN
    at_least: bool = False  # the field is at least the value (else equal to it)

    def q(self) -> Q:
        if self.field is None:
            return Q()
        return Q(**{f"{self.field}__gte" if self.at_least else self.field: self.value})

    def holds(self, row: Any) -> bool:
        if self.field is None:
            return True
        found = getattr(row, self.field)
        if self.at_least:
            return found is not None and found >= self.value
        return bool(found == self.value)


MEASURES: tuple[Measure, ...] = (
    Measure("received"),
    Measure("answered", "answered"),
    Measure("on_time", "on_time"),
    Measure("late", "late"),
    Measure("merits", "merits"),
    Measure("satisfied", "satisfied"),
    Measure("extended", "extended"),
    *(Measure(f"extension_{g.value}", "extension_ground", g.value) for g in ExtensionGround),
    *(Measure(f"outcome_{o.value}", "outcome", o.value) for o in Outcome),
    *(Measure(f"status_{s.value}", "status", s.value) for s in State),
    *(Measure(f"left_{g.value}", "wc_ground", g.value) for g in WithoutConsiderationGround),
    Measure("second_tier", "second_tier", attribution=APPEALED),
    Measure("second_tier_answered", "second_tier_answered", attribution=APPEALED),
    Measure("second_tier_upheld", "upheld", attribution=APPEALED),
)
NAMES: tuple[str, ...] = tuple(m.name for m in MEASURES)
# Working days from registration to the answer, as a histogram (the monthly tables by body and by service): one
# column per day up to DAYS_OPEN_ENDED - 1, and one for that many or more.
DAYS_OPEN_ENDED = 31
DAYS: tuple[Measure, ...] = (
    *(Measure(f"days_{n:02d}", "review_days", n) for n in range(DAYS_OPEN_ENDED)),
    Measure(f"days_{DAYS_OPEN_ENDED:02d}", "review_days", DAYS_OPEN_ENDED, at_least=True),
)
DAY_NAMES: tuple[str, ...] = tuple(m.name for m in DAYS)
BY_NAME = {m.name: m for m in MEASURES}
MAIN_MEASURES = tuple(m for m in MEASURES if m.attribution == MAIN)
MAIN_WITH_DAYS = MAIN_MEASURES + DAYS
APPEALED_MEASURES = tuple(m for m in MEASURES if m.attribution == APPEALED)


def vector(row: Any, measures: tuple[Measure, ...]) -> dict[str, int]:
    """What one fact row adds to a tally: 1 for each measure that holds."""
    return {m.name: 1 for m in measures if m.holds(row)}
