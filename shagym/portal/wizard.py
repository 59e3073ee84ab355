"""The complaint form in steps, kept in the session until it is submitted.

Each step stores its answers under its name; a step can only be opened once the steps before it are done. The
idempotency key is made when the form starts and goes with the submit button, so a double click or a retry
returns the complaint already filed (services.submit_complaint)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext_lazy as _

from shagym.complaints.services import ComplaintInput, OfficialInput
from shagym.complaints.states import ApplicantKind, Channel
from shagym.directory.models import Organisation, Service

from . import lookups, uploads

SESSION_KEY = "portal_complaint"

# (name, title shown in the progress line and on the check page)
STEPS = [
    ("who", _("Who is complaining")),
    ("details", _("Your details")),
    ("body", _("Against which body")),
    ("officials", _("Officials")),
    ("service", _("The public service")),
    ("facts", _("What happened")),
    ("attachments", _("Documents")),
    ("addressee", _("To whom")),
]
STEP_NAMES = [name for name, _title in STEPS]
# Where each field of ComplaintInput is asked, so a Refused from the service sends the applicant to the right page.
FIELD_STEP = {
    "applicant_kind": "who",
    "surname": "details", "first_name": "details", "iin": "details", "legal_name": "details", "bin": "details",
    "outgoing_number": "details", "postal_address": "details", "phones": "details", "email": "details",
    "respondent": "body",
    "appealed_act": "officials", "officials": "officials",
    "service": "service",
    "language": "facts", "learned_on": "facts", "circumstances": "facts", "reasons": "facts", "demands": "facts",
    "addressee_kind": "addressee", "reviewing_body": "addressee",
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass
class Wizard:
    key: str
    user_id: int
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    submitted: int | None = None
    # What the answers point to, read once per request (a page asks for the body, the service and the addressees
    # several times); forgotten whenever an answer changes.
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # ---- session ----

    @classmethod
    def start(cls, session: SessionBase, user_id: int) -> Wizard:
        uploads.sweep_old_drafts()
        wizard = cls(key=f"portal-{user_id}-{secrets.token_hex(16)}", user_id=user_id)
        wizard.save(session)
        return wizard

    @classmethod
    def load(cls, session: SessionBase, user_id: int) -> Wizard | None:
        raw = session.get(SESSION_KEY)
        if not raw or raw.get("user_id") != user_id:
            return None
        return cls(key=raw["key"], user_id=raw["user_id"], steps=raw.get("steps", {}),
                   attachments=raw.get("attachments", []), submitted=raw.get("submitted"))

    def save(self, session: SessionBase) -> None:
        session[SESSION_KEY] = {
            "key": self.key, "user_id": self.user_id, "steps": self.steps,
            "attachments": self.attachments, "submitted": self.submitted,
        }

    @property
    def draft(self) -> uploads.Draft:
        return uploads.Draft(self.key)

    # ---- steps ----

    def get(self, step: str) -> dict[str, Any]:
        return self.steps.get(step, {})

    def put(self, step: str, values: dict[str, Any]) -> None:
        self.steps[step] = {name: _plain(value) for name, value in values.items()}
        self._memo.clear()
        # A different applicant kind or body makes the later answers that depend on it stale.
        if step == "who" and self.get("details").get("_kind") not in (None, values.get("applicant_kind")):
            self.steps.pop("details", None)
        if step in {"body", "service"}:
            addressee = self.get("addressee").get("addressee", "")
            if addressee and addressee not in {o.value for o in self.addressee_options()}:
                self.steps.pop("addressee", None)

    def done(self, step: str) -> bool:
        return step in self.steps

    def first_missing(self) -> str | None:
        for name in STEP_NAMES:
            if not self.done(name):
                return name
        return None

    def may_open(self, step: str) -> bool:
        missing = self.first_missing()
        return missing is None or STEP_NAMES.index(step) <= STEP_NAMES.index(missing)

    def number(self, step: str) -> int:
        return STEP_NAMES.index(step) + 1

    # ---- reading the answers back ----

    @property
    def applicant_kind(self) -> str:
        return self.get("who").get("applicant_kind", ApplicantKind.INDIVIDUAL)

    def _once(self, name: str, read: Callable[[], Any]) -> Any:
        if name not in self._memo:
            self._memo[name] = read()
        return self._memo[name]

    def respondent(self) -> Organisation | None:
        pk = self.get("body").get("respondent")
        return self._once("respondent", lambda: (
            Organisation.objects.filter(pk=pk, is_active=True)
            .select_related("territory", "reviewer", "parent").first() if pk else None
        ))

    def service(self) -> Service | None:
        pk = self.get("service").get("service")
        return self._once("service", lambda: Service.objects.filter(pk=int(pk)).first() if pk and (str(pk).isascii() and str(pk).isdigit()) else None)

    def addressee_options(self) -> list[lookups.AddresseeOption]:
        respondent = self.respondent()
        return self._once("addressees", lambda: lookups.addressee_options(respondent, self.service()) if respondent else [])

    def addressee(self) -> lookups.AddresseeOption | None:
        value = self.get("addressee").get("addressee")
        return next((o for o in self.addressee_options() if o.value == value), None)

    def learned_on(self) -> dt.date | None:
        value = self.get("facts").get("learned_on")
        return dt.date.fromisoformat(value) if value else None

    def complaint_input(self) -> ComplaintInput:
        """The answers as the service's input (built by ComplaintInput.from_answers, as every channel's are). Call
        only when every step is done."""
        addressee = self.addressee()
        respondent = self.respondent()
        if addressee is None or respondent is None:
            raise LookupError("addressee")
        answers = {
            **self.get("details"),
            **self.get("facts"),
            "applicant_kind": self.applicant_kind,
            "addressee_kind": addressee.kind,
            "appealed_act": self.get("officials").get("appealed_act", ""),
        }
        return ComplaintInput.from_answers(
            answers,
            channel=Channel.PORTAL,
            reviewing_body=addressee.body,
            respondent=respondent,
            officials=[OfficialInput(**o) for o in self.get("officials").get("officials", [])],
            service=self.service(),
        )
