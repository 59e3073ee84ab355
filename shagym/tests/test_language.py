"""Issue 10: what a citizen or a member of staff reads in Kazakh or Russian is Kazakh or Russian.

Two checks. A status never reads as a date label (and back): the kk and ru labels of every complaint status,
event, recommendation status and applicant status differ from those of every date field. And a crawl: every
page each role sees (portal, back office, sign-in and sign-up with their error messages, the Django admin),
in kk and in ru, contains no English sentence from the catalogues of django-allauth, Django and its admin, nor
one of our own English source strings."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import allauth
import django
import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shagym.complaints import services
from shagym.complaints.models import Complaint, Recommendation
from shagym.complaints.public import STATUS
from shagym.complaints.states import Action, Channel, Outcome, RecommendationState, State
from shagym.complaints.tests.factories import complaint_input
from shagym.directory.models import CalendarOverride
from shagym.documents.models import Letter

from .test_translations import LOCALE, parse_po

LANGUAGES = ["kk", "ru"]

# ---- a. statuses are not date labels ------------------------------------------------------------------------------


def _date_labels() -> dict[str, str]:
    labels = {}
    for model in (Complaint, Recommendation, Letter):
        for field in model._meta.get_fields():
            if isinstance(field, models.DateField) or field.name.endswith(("_at", "_on")):
                labels[f"{model.__name__}.{field.name}"] = str(getattr(field, "verbose_name", field.name))
    return labels


def _status_labels() -> dict[str, str]:
    labels = {}
    for enum in (State, Action, RecommendationState):
        for member in enum:
            labels[f"{enum.__name__}.{member.name}"] = str(member.label)
    for state, (label, _tone) in STATUS.items():
        labels[f"applicant status of {state.name}"] = str(label)
    return labels


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_labels_are_not_date_labels(language):
    with translation.override(language):
        dates, statuses = _date_labels(), _status_labels()
    assert len(dates) >= 15 and len(statuses) >= 50
    by_text: dict[str, list[str]] = {}
    for name, label in dates.items():
        by_text.setdefault(label.casefold().strip(), []).append(name)
    clashes = [f"{name} = {label!r} = {by_text[label.casefold().strip()]}" for name, label in statuses.items()
               if label.casefold().strip() in by_text]
    assert clashes == [], f"{language}: a status reads as a date label:\n" + "\n".join(clashes)
    # A translated status is translated: it is not the English source (the catalogue has an entry in its context).
    with translation.override("en"):
        english = _status_labels()
    untranslated = [name for name, label in statuses.items() if label == english[name] and label.isascii()]
    assert untranslated == [], f"{language}: statuses left in English: {untranslated}"


# ---- b. no English on kk and ru pages -----------------------------------------------------------------------------

SITE_PACKAGES = Path(django.__file__).resolve().parents[1]
LIBRARY_CATALOGUES = [
    Path(allauth.__file__).parent / "locale/en/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "conf/locale/en/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "contrib/auth/locale/en/LC_MESSAGES/django.po",
    Path(django.__file__).parent / "contrib/contenttypes/locale/en/LC_MESSAGES/django.po",
]
OURS = LOCALE / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


class English:
    """One English source string, found in a page's text with anything in place of its placeholders."""

    def __init__(self, msgid: str, origin: str):
        self.msgid, self.origin = msgid, origin
        parts = [" ".join(part.split()) for part in PLACEHOLDER.split(msgid)]
        self.longest = max(parts, key=len)
        self.pattern = re.compile(
            r"\s*.{0,120}?\s*".join(r"\s+".join(re.escape(word) for word in part.split()) for part in parts)
        )

    def found_in(self, text: str) -> bool:
        return self.longest in text and bool(self.pattern.search(text))


def _words(msgid: str) -> int:
    return len(WORD.findall(PLACEHOLDER.sub(" ", msgid)))


@lru_cache(maxsize=1)
def english_sentences() -> tuple[English, ...]:
    """The English sentences of allauth, Django core, auth and the admin (3 words or more), and our own (4 or more)."""
    found: dict[str, English] = {}
    for path, least in [*((p, 3) for p in LIBRARY_CATALOGUES), (OURS, 4)]:
        origin = path.relative_to(SITE_PACKAGES) if path.is_relative_to(SITE_PACKAGES) else path.relative_to(LOCALE.parents[1])
        for entry in parse_po(path):
            for msgid in filter(None, (entry.get("msgid"), entry.get("msgid_plural"))):
                if _words(msgid) >= least and msgid not in found:
                    found[msgid] = English(msgid, f"{origin}")
    return tuple(found.values())


TAG = re.compile(r"<[^>]+>")
ATTRIBUTE = re.compile(r'\b(?:title|placeholder|aria-label|alt|value|content)="([^"]*)"')


# Django stores the names of permissions in English ("Can add organisation"), outside any catalogue: the user
# form's permission boxes are data, not translations (Shagym gives rights by Membership roles, not permissions).
PERMISSION_BOXES = re.compile(r'(?is)<select[^>]+name="(?:user_permissions|groups)(?:_old)?".*?</select>')


def visible_text(page: str) -> str:
    """What a person reads (and hears from a screen reader): the text, with titles, labels and button values."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = PERMISSION_BOXES.sub(" ", page)
    page = re.sub(r'(?is)<input[^>]+type="hidden"[^>]*>', " ", page)
    attributes = " ".join(ATTRIBUTE.findall(page))
    text = TAG.sub(" ", page) + " " + attributes
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def english_in(page: str) -> list[str]:
    text = visible_text(page)
    return [f"{e.msgid!r} ({e.origin})" for e in english_sentences() if e.found_in(text)]


# ---- the world each role sees -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _frozen_clock(now):
    with time_machine.travel(now + dt.timedelta(hours=2), tick=False):
        yield


@pytest.fixture(autouse=True)
def _locmem(settings):
    # allauth's rate limits (one confirmation e-mail per address in 3 minutes) count in the cache: start clean.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(applicant, clerk, head, executor, inspector, qa_head, qa_clerk, administrator, ministry, provider,
          quality_authority, now, committed):
    """Complaints in the states each desk works on, a recommendation, a paper complaint, a calendar override."""
    EmailAddress.objects.update_or_create(user=applicant, email=applicant.email,
                                          defaults={"verified": True, "primary": True})
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()

    def filed() -> Complaint:
        with committed():
            return services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry),
                                             now=now).complaint

    received = filed()
    with committed():
        registered = services.register_complaint(actor=clerk, complaint=filed(), now=now).complaint
        waiting = services.register_complaint(actor=clerk, complaint=filed(), now=now).complaint
        services.request_content(actor=clerk, complaint=waiting, missing="Анықтаманың көшірмесі.", now=now)
        reviewed = services.register_complaint(actor=clerk, complaint=filed(), now=now).complaint
        services.assign_executor(actor=head, complaint=reviewed, executor=executor, now=now)
        decided = services.register_complaint(actor=clerk, complaint=filed(), now=now).complaint
        services.assign_executor(actor=head, complaint=decided, executor=executor, now=now)
        services.propose_decision(actor=executor, complaint=decided, outcome=Outcome.PERFORM_ACTION,
                                  reasons="Заңның 25-бабы бойынша.", facts="Анықтама берілмеген.", now=now)
        services.sign_decision(actor=head, complaint=decided, now=now)
    with committed():
        second = services.file_second_tier(actor=applicant, parent=decided, quality_authority=quality_authority,
                                           reasons="Бас тарту негізсіз.", demands="Қайта қарауды сұраймын.",
                                           now=now).complaint
        services.register_complaint(actor=qa_clerk, complaint=second, now=now)
        services.assign_executor(actor=qa_head, complaint=second, executor=inspector, now=now)
        services.recommend(actor=inspector, complaint=second, body=ministry, text="Анықтаманы беру.",
                                   due_date=dt.date(2026, 11, 20), now=now)
        paper = services.register_paper_complaint(
            actor=clerk, data=complaint_input(reviewing_body=ministry, channel=Channel.OFFICE, language="ru",
                                              officials=[]),
            holder=ministry, received_at=now, now=now).complaint
    override = CalendarOverride.objects.create(day=dt.date(2026, 12, 18), working=True, reason="Ауыстыру",
                                               reference="ҚР Үкіметінің қаулысы")
    return {
        "received": received, "registered": registered, "waiting": waiting, "reviewed": reviewed,
        "decided": decided, "second": second, "paper": paper, "ministry": ministry, "override": override,
        "recommendation": Recommendation.objects.get(complaint=second), "applicant": applicant,
        "clerk": clerk, "head": head, "executor": executor, "inspector": inspector, "administrator": administrator,
    }


def get(name: str, *args: object, query: str = "") -> tuple[str, str, dict]:
    return ("get", reverse(name, args=args) + (f"?{query}" if query else ""), {})


def post(name: str, *args: object, data: dict | None = None) -> tuple[str, str, dict]:
    return ("post", reverse(name, args=args), data or {})


def staff_pages(w: dict) -> list[tuple[str, str, dict]]:
    return [get("staff-home"), get("bo-search"), get("bo-search", query="q=Ахметов"), get("bo-messages"),
            get("deadline-calculator"), get("deadline-calculator", query="received=2026-11-02&working_days=15")]


def pages(role: str, w: dict) -> list[tuple[str, str, dict]]:
    """(method, url, data) of the pages the role sees; POSTs that fail show the error messages."""
    if role == "anonymous":
        return [
            get("home"), get("portal-help"), get("status-check"), get("deadline-calculator"),
            post("status-check", data={"number": w["paper"].number, "code": "AAAA-BBBB"}),
            get("account_login"), post("account_login", data={"login": "nobody@example.kz", "password": "wrong"}),
            post("account_login", data={"login": "", "password": ""}),
            get("account_signup"), post("account_signup", data={"email": "not-an-address", "password1": "123",
                                                                "password2": "456"}),
            post("account_signup", data={"email": w["applicant"].email, "password1": "password",
                                         "password2": "password"}),
            get("account_reset_password"), post("account_reset_password", data={"email": "not-an-address"}),
            get("account_reset_password_done"), get("account_email_verification_sent"),
            post("account_signup", data={"email": "new@example.kz", "password1": "Tolyq-qupia-2026",
                                         "password2": "Tolyq-qupia-2026"}),
        ]
    if role == "applicant":
        steps = ["who", "details", "body", "officials", "service", "facts", "attachments", "addressee"]
        return [
            get("home"), get("portal-help"), get("cabinet"), get("cabinet-messages"),
            get("cabinet-complaint", w["registered"].pk), get("cabinet-complaint", w["waiting"].pk),
            get("cabinet-complaint", w["decided"].pk), get("cabinet-complaint", w["second"].pk),
            get("cabinet-withdraw", w["registered"].pk), get("cabinet-supply", w["waiting"].pk),
            post("cabinet-supply", w["waiting"].pk, data={}),
            get("status-check"), get("complaint-start"), post("complaint-start", data={"action": "new"}),
            *(get("complaint-step", step) for step in steps),
            post("complaint-step", "details", data={"surname": "", "iin": "123", "email": "not-an-address"}),
            post("complaint-step", "facts", data={"learned_on": "not a date"}),
            get("account_logout"), get("account_change_password"), get("account_email"),
        ]
    if role == "clerk":
        return [
            *staff_pages(w), get("bo-case", w["registered"].pk), get("bo-desk"), get("bo-intake"), post("bo-intake", data={"channel": "post"}),
            get("bo-print"), get("bo-case", w["received"].pk), get("bo-case", w["paper"].pk),
            get("bo-action", w["received"].pk, "register"), get("bo-action", w["registered"].pk, "request-content"),
            post("bo-action", w["registered"].pk, "request-content", data={}),
            get("bo-action", w["registered"].pk, "redirect"), get("bo-action", w["decided"].pk, "deliver"),
            post("bo-action", w["decided"].pk, "deliver", data={"delivered_on": "not a date"}),
        ]
    if role == "head":
        return [
            *staff_pages(w), get("bo-inbox"), get("bo-recommendations"), get("bo-desk"),
            get("bo-action", w["registered"].pk, "assign"), post("bo-action", w["registered"].pk, "assign", data={}),
            get("bo-action", w["registered"].pk, "leave"), get("bo-case", w["decided"].pk),
            get("bo-recommendation-action", w["recommendation"].pk, "report"),
            post("bo-recommendation-action", w["recommendation"].pk, "report", data={}),
        ]
    if role == "executor":
        return [
            *staff_pages(w), get("bo-mine"), get("bo-case", w["reviewed"].pk), get("bo-answer", w["reviewed"].pk),
            post("bo-answer", w["reviewed"].pk, data={"send": "1"}), get("bo-action", w["reviewed"].pk, "extend"),
            post("bo-action", w["reviewed"].pk, "extend", data={"days": "99"}),
            get("bo-action", w["reviewed"].pk, "hearing"),
        ]
    if role == "inspector":
        return [
            *staff_pages(w), get("bo-quality"), get("bo-bodies"), get("bo-recommendations"),
            get("bo-case", w["second"].pk), get("bo-case", w["decided"].pk),
            get("bo-action", w["second"].pk, "recommend"), post("bo-action", w["second"].pk, "recommend", data={}),
        ]
    assert role == "administrator"
    ministry, override = w["ministry"], w["override"]
    return [
        *staff_pages(w), get("bo-outbox"), get("calendar-changes"),
        get("admin:index"), get("admin:app_list", "directory"),
        get("admin:directory_organisation_changelist"),
        get("admin:directory_organisation_changelist", query="q=zzzz"),
        get("admin:directory_organisation_changelist", query="kind__exact=central"),
        get("admin:directory_organisation_change", ministry.pk),
        get("admin:directory_organisation_history", ministry.pk),
        get("admin:directory_organisation_delete", ministry.pk),
        get("admin:directory_membership_changelist"), get("admin:directory_service_add"),
        get("admin:directory_calendaroverride_changelist"), get("admin:directory_calendaroverride_add"),
        post("admin:directory_calendaroverride_add", data={"day": "31.02.2026"}),
        post("admin:directory_calendaroverride_add",
             data={"day": "25.12.2026", "working": "on", "reason": "Ауыстыру", "reference": "Қаулы", "_continue": "1"}),
        get("admin:directory_calendaroverride_change", override.pk),
        post("admin:directory_calendaroverride_change", override.pk, data={"day": "", "reason": ""}),
        get("admin:accounts_user_changelist"), get("admin:accounts_user_change", w["applicant"].pk),
        get("admin:complaints_complaint_changelist"), get("admin:notify_message_changelist"),
        get("admin:password_change"),
    ]


ROLES = ["anonymous", "applicant", "clerk", "head", "executor", "inspector", "administrator"]


def _crawl(client: Client, requests: Iterable[tuple[str, str, dict]]) -> dict[str, str]:
    seen = {}
    for method, url, data in requests:
        response = getattr(client, method)(url, data, follow=True)
        assert response.status_code in (200, 400, 403), (method, url, response.status_code)
        seen[f"{method.upper()} {url} -> {response.redirect_chain[-1][0] if response.redirect_chain else ''}"] = (
            response.content.decode())
    return seen


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_english_on_the_pages_of(role, language, world, client):
    with translation.override(language):
        requests = pages(role, world)
        if role != "anonymous":
            # Signed in through the form, so the first page shows allauth's message about it.
            requests.insert(0, post("account_login", data={"login": world[role].username, "password": "pass-12345"}))
        seen = _crawl(client, requests)
    mail.outbox.clear()
    found = {page: english for page, content in seen.items() if (english := english_in(content))}
    report = "\n".join(f"{language} {page}:\n    " + "\n    ".join(english) for page, english in found.items())
    assert not found, f"English on {len(found)} {language} page(s) of the {role}:\n{report}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_emails_come_from_shagym_in_the_language_of_the_page(language, applicant, client, settings):
    """Sign-up confirmation, an address already taken, a password reset, an unknown address: each e-mail is in the
    page's language, greets from Shagym (never from the host name) and has no English sentence."""
    EmailAddress.objects.update_or_create(user=applicant, email=applicant.email,
                                          defaults={"verified": True, "primary": True})
    password = "Tolyq-qupia-2026"
    with translation.override(language):
        client.post(reverse("account_signup"), {"email": "new@example.kz", "password1": password, "password2": password})
        Client().post(reverse("account_signup"), {"email": applicant.email, "password1": password,
                                                   "password2": password})
        Client().post(reverse("account_reset_password"), {"email": applicant.email})
        Client().post(reverse("account_reset_password"), {"email": "nobody@example.kz"})
        shagym = translation.gettext("Shagym")
    assert len(mail.outbox) == 4, [m.subject for m in mail.outbox]
    for message in mail.outbox:
        assert message.subject.startswith(f"{shagym}: "), message.subject
        first_line = message.body.splitlines()[0]
        assert shagym in first_line and "testserver" not in first_line, first_line
        english = english_in(html.escape(f"{message.subject}\n{message.body}"))
        assert english == [], f"{language} e-mail {message.subject!r} has English: {english}\n{message.body}"


def test_the_admin_calendar_and_filters_speak_kazakh(client, administrator):
    """The admin's JavaScript (calendar, clock, filter boxes) reads its own catalogue: ours, in kk, overrides Django's
    mostly empty one (shagym/locale/kk/LC_MESSAGES/djangojs.po)."""
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    with translation.override("kk"):
        script = client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    ours = parse_po(LOCALE / "kk" / "LC_MESSAGES" / "djangojs.po")
    assert len(ours) > 70
    for entry in ours:
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        expected = [entry["msgstr[0]"], entry["msgstr[1]"]] if "msgid_plural" in entry else entry["msgstr"]
        assert catalog.get(key) == expected, (key, catalog.get(key))
    assert catalog["Choose a Date"] == "Күнді таңдаңыз" and catalog["Today"] == "Бүгін"
