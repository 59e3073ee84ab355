"""Helpers that fill the complaint form step by step through the test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from .conftest import IIN


def step_url(step: str, language: str = "kk") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse("complaint-step", args=[step])


def url(name: str, *args: Any, language: str = "kk") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse(name, args=args)


def start(client, language: str = "kk") -> None:  # type: ignore[no-untyped-def]
    response = client.post(url("complaint-start", language=language), {"action": "new"})
    assert response.status_code == 302, response


def answers(provider, *, addressee: str, service=None) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {
        "who": {"applicant_kind": "individual"},
        "details": {"surname": "Ахметов", "first_name": "Ерлан", "patronymic": "Серікұлы", "iin": IIN,
                    "postal_address": "Астана қ., Абай даңғылы, 10", "phones": "8 701 123 45 67", "email": ""},
        "body": {"respondent": provider.pk},
        "officials": {"appealed_act": "decision", "officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0",
                      "officials-0-position": "бөлім басшысы", "officials-0-surname": "Қасымов",
                      "officials-0-initials": "Б.Т."},
        "service": {"service": str(service.pk) if service else "none"},
        "facts": {"learned_on": (dt.date.today() - dt.timedelta(days=10)).isoformat(), "circumstances": "Анықтама берілмеді.",
                  "reasons": "Құжаттар толық тапсырылды.", "demands": "Анықтаманы беруді сұраймын.",
                  "language": "kk"},
        "attachments": {"action": "continue"},
        "addressee": {"addressee": addressee},
    }


def fill(client, provider, *, addressee: str, service=None, language: str = "kk",  # type: ignore[no-untyped-def]
         until: str | None = None, **overrides: dict[str, Any]) -> None:
    start(client, language)
    for step, data in answers(provider, addressee=addressee, service=service).items():
        if step == until:
            return
        data = {**data, **overrides.get(step, {})}
        if step == "facts":
            data.setdefault("late_seen", "1")
        response = client.post(step_url(step, language), data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
