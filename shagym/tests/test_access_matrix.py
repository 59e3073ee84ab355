"""One access matrix: every URL pattern (from the resolver) and every API operation (from the OpenAPI schema of
shagym.api.v1.api), for every role, allowed or refused. A route without an entry here fails
`test_every_route_has_an_entry`: adding a page means deciding, here, who may open it.

Roles: anonymous; the applicant of the complaint; another applicant; the clerk, head and executor (appointed to the
complaint) of the body that holds it; an executor of that body not appointed; staff of another body; an inspector of
the quality authority; the administrator (superuser); and, for the API, a key of the holding body and a key of
another body. Staff are signed in with their second factor given (the production requirement is on).

Refused means: 401, 403, 404 (missing and forbidden look the same), or a redirect to a sign-in page. Allowed means
any other answer below 500 (a page, a redirect elsewhere, a form's 400/409/422: the door let the caller in). Every
request runs in a savepoint rolled back after it, so the world stays as built."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from shagym.api import keys
from shagym.api.models import Scope
from shagym.api.v1 import api
from shagym.complaints import attachments, services
from shagym.complaints.models import Recommendation
from shagym.complaints.states import AddresseeKind, Channel, DeliveryMethod, ExtensionGround, Outcome
from shagym.complaints.tests.factories import (
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
    complaint_input,
    member,
)
from shagym.directory.models import OrganisationKind
from shagym.directory.roles import Role
from shagym.documents.models import Document, Letter
from shagym.notify.models import Delivery, Message
from shagym.security import twofactor

# The marker makes pytest-django set the test database up; the world is built once in it (below).
pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "applicant", "other_applicant", "clerk", "head", "executor", "executor_not_appointed",
          "outsider", "inspector", "administrator"]
KEYS = ["key", "other_key"]
STAFF = {"clerk", "head", "executor", "executor_not_appointed", "outsider", "inspector", "administrator"}
SIGNED_IN = set(PEOPLE) - {"anonymous"}
EVERYONE = set(PEOPLE)
NOBODY: set[str] = set()
HOLDING_BODY = {"clerk", "head", "executor", "executor_not_appointed"}  # the staff of the body holding the complaint
# ...and the inspectors, who read across bodies. The administrator works in the Django admin, not on cases.
READERS = HOLDING_BODY | {"inspector"}
APPLICANT = {"applicant"}
REPORTERS = {"head", "outsider", "inspector", "administrator"}  # the outsider heads his own body


# ---------------------------------------------------------------------------------------------------------------
# The world


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class World:
    users: dict[str, Any]
    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    cookies: dict[str, SimpleCookie] = field(default_factory=dict)


def build_world() -> World:
    ministry = OrganisationFactory(key="minjust", kind=OrganisationKind.CENTRAL)
    other = OrganisationFactory(key="minedu", kind=OrganisationKind.CENTRAL)
    authority = OrganisationFactory(key="adgs", kind=OrganisationKind.QUALITY_AUTHORITY)
    admins = OrganisationFactory(key="admins")
    u = {name: UserFactory(username=name) for name in PEOPLE if name != "anonymous"}
    member(u["clerk"], ministry, Role.CLERK)
    member(u["head"], ministry, Role.HEAD)
    member(u["executor"], ministry, Role.EXECUTOR)
    member(u["executor_not_appointed"], ministry, Role.EXECUTOR)
    for role in (Role.CLERK, Role.HEAD, Role.EXECUTOR):
        member(u["outsider"], other, role)
    member(u["inspector"], authority, Role.INSPECTOR)
    qa_clerk, qa_head = UserFactory(username="qa_clerk"), UserFactory(username="qa_head")
    member(qa_clerk, authority, Role.CLERK)
    member(qa_head, authority, Role.HEAD)
    member(u["administrator"], admins, Role.ADMINISTRATOR)
    type(u["administrator"]).objects.filter(pk=u["administrator"].pk).update(is_staff=True, is_superuser=True)
    u["administrator"].refresh_from_db()
    now = dt.datetime.now(dt.UTC)

    # The subscribers run as after a commit, and their tasks at once: the letters, the messages, the print queue.
    with override_settings(TASKS=IMMEDIATE), TestCase.captureOnCommitCallbacks(execute=True):
        # The applicant's complaint to the ministry, registered and appointed to the executor, with a file.
        case = services.submit_complaint(actor=u["applicant"], data=complaint_input(reviewing_body=ministry)).complaint
        services.register_complaint(actor=u["clerk"], complaint=case)
        services.assign_executor(actor=u["head"], complaint=case, executor=u["executor"])
        scan = attachments.store(complaint=case, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan"))
        # The applicant's second complaint: decided and delivered, then taken to the quality authority, which
        # recommends the ministry to restore the rights.
        answered = services.submit_complaint(actor=u["applicant"],
                                             data=complaint_input(reviewing_body=ministry)).complaint
        services.register_complaint(actor=u["clerk"], complaint=answered)
        services.assign_executor(actor=u["head"], complaint=answered, executor=u["executor"])
        services.propose_decision(actor=u["executor"], complaint=answered, outcome=Outcome.PERFORM_ACTION,
                                  reasons="Құжаттар толық.")
        services.sign_decision(actor=u["head"], complaint=answered)
        services.deliver_answer(actor=u["clerk"], complaint=answered, method=DeliveryMethod.ELECTRONIC)
        # A complaint about the ministry to the quality authority, reviewed by the inspector, who recommends the
        # ministry to restore the applicant's rights.
        child = services.submit_complaint(actor=u["applicant"], data=complaint_input(
            reviewing_body=authority, respondent=ministry, addressee_kind=AddresseeKind.QUALITY_AUTHORITY)).complaint
        services.register_complaint(actor=qa_clerk, complaint=child)
        services.assign_executor(actor=qa_head, complaint=child, executor=u["inspector"])
        event = services.recommend(actor=u["inspector"], complaint=child, body=ministry, text="Қалпына келтіру.",
                                   due_date=now.date() + dt.timedelta(days=20))
        # A complaint whose answer awaits the head's signature.
        to_sign = services.submit_complaint(actor=u["applicant"], data=complaint_input(reviewing_body=ministry)).complaint
        services.register_complaint(actor=u["clerk"], complaint=to_sign)
        services.assign_executor(actor=u["head"], complaint=to_sign, executor=u["executor"])
        services.propose_decision(actor=u["executor"], complaint=to_sign, outcome=Outcome.PERFORM_ACTION,
                                  reasons="Құжаттар толық.")
        # A paper complaint at the ministry's office: its talon, its letters to print.
        paper = services.register_paper_complaint(
            actor=u["clerk"], data=complaint_input(reviewing_body=ministry, channel=Channel.OFFICE, officials=[],
                                                phones=""),
            holder=ministry, received_at=now, now=now).complaint
        # Extended: the notice to its applicant is a paper letter in the office's print queue (RULES §14).
        services.assign_executor(actor=u["head"], complaint=paper, executor=u["executor"])
        services.extend_term(actor=u["executor"], complaint=paper, days=3, ground=ExtensionGround.FURTHER_STUDY,
                             reasons="Тексеру қажет.")
    key, token = keys.issue(organisation=ministry, name="ministry", scopes=[Scope.READ, Scope.SUBMIT, Scope.ACT],
                            roles=[Role.CLERK, Role.HEAD])
    _other_key, other_token = keys.issue(organisation=other, name="other", scopes=[Scope.READ, Scope.SUBMIT,
                                                                                   Scope.ACT], roles=[Role.CLERK])
    from shagym.webhooks.models import WebhookSubscription

    subscription = WebhookSubscription.objects.create(organisation=ministry, url="https://example.kz/hook",
                                                      contact_email="it@example.kz")
    letter = Letter.objects.filter(complaint=paper).order_by("pk").first()
    notice = Message.objects.filter(complaint=answered, audience="applicant").exclude(document="").first()
    printed = Delivery.objects.filter(message__complaint=paper, medium="paper").first()
    world = World(users=u, tokens={"key": token, "other_key": other_token})
    world.ids = {
        "case": case.pk, "answered": answered.pk, "child": child.pk, "paper": paper.pk, "attachment": scan.pk,
        "recommendation": Recommendation.objects.get(pk=event.payload.recommendation).pk,
        "letter": letter.pk if letter else 0, "notice": notice.pk if notice else 0,
        "printed": printed.pk if printed else 0, "subscription": subscription.pk, "ministry": "minjust",
        "key_id": key.pk, "service": ServiceFactory(code="S-100").code,
        "number": paper.number, "to_sign": to_sign.pk,
        "document": (Document.objects.first() or Document.objects.create(
            number="D0C-M4TR-1X", kind=Document.Kind.TALON, complaint=paper, organisation=ministry, language="kk",
            sha256="0" * 64)).number,
    }
    return world


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media):
    """Built once for the module, inside a transaction rolled back at its end."""
    # As the root conftest's function fixtures set them (they do not reach a module fixture): no NCALayer, fast hashes.
    as_in_tests = override_settings(
        MEDIA_ROOT=media, SHAGYM_APPLICANT_SIGNATURE="optional", SHAGYM_ANSWER_SIGNATURE="optional",
        SHAGYM_TRUST_DIR="", SHAGYM_SEAL_DIR="", SHAGYM_NCANODE_URL="",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), as_in_tests:
        settings_roles = twofactor.settings.SHAGYM_2FA_REQUIRED_ROLES
        built = build_world()
        for role in PEOPLE + KEYS:  # signed in here, outside any test's savepoint, so the sessions stay
            client_for(built, role)
        yield built
        assert settings_roles == twofactor.settings.SHAGYM_2FA_REQUIRED_ROLES
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _production_rules(settings, media):
    settings.MEDIA_ROOT = media  # where the world's files are
    settings.SHAGYM_2FA_REQUIRED_ROLES = ["head", "inspector", "administrator"]
    settings.SHAGYM_API_RATE_PER_KEY = settings.SHAGYM_API_RATE_PER_ADDRESS = 0
    settings.SHAGYM_WEBHOOK_ALLOW_PRIVATE = True


def client_for(world: World, role: str) -> Client:
    """The role's client, signed in once (in the module's transaction); its cookies as they were at sign-in."""
    client = world.clients.get(role)
    if client is None:
        client = world.clients[role] = Client(raise_request_exception=True)
        if role in world.users:
            client.force_login(world.users[role])
            session = client.session
            session.pop(twofactor.PENDING, None)  # the second factor given
            session.save()
        world.cookies[role] = SimpleCookie(client.cookies)
    client.cookies = SimpleCookie(world.cookies[role])  # a request before may have signed out or set a cookie
    return client


def refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return "/accounts/login/" in location or "/admin/login/" in location


def outcome(response: Any) -> str:
    assert response.status_code < 500, response.status_code
    return "refused" if refused(response) else "allowed"


def once(world: World, role: str, send: Callable[[Client], Any]) -> str:
    """One request in a savepoint rolled back after it."""
    with transaction.atomic():
        response = send(client_for(world, role))
        transaction.set_rollback(True)
    return outcome(response)


# ---------------------------------------------------------------------------------------------------------------
# The web pages: URL name -> (how to call it, who is allowed)


@dataclass(frozen=True)
class Page:
    allowed: set[str]
    args: tuple[str, ...] = ()  # names in world.ids, or literal values
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def page(allowed: set[str], *args: str, **kwargs: Any) -> Page:
    return Page(allowed=set(allowed), args=args, **kwargs)


WEB: dict[str, Page] = {
    # Public pages, and the API's own pages.
    "home": page(EVERYONE), "portal-help": page(EVERYONE), "status-check": page(EVERYONE),
    "deadline-calculator": page(EVERYONE), "set_language": page(EVERYONE, method="post", data={"language": "ru"}),
    "api-v1:openapi-json": page(EVERYONE), "api-v1:openapi-view": page(EVERYONE), "api-v1:api-root": page(NOBODY, note="no page at the root: 404"),
    "open311-discovery": page(EVERYONE, "=json"), "open311-services": page(EVERYONE, "=json"),
    "open311-service": page(EVERYONE, "service", "=json"),
    "open311-requests": page(EVERYONE, "=json"),
    "open311-request": page(EVERYONE, "case", "=json"),
    "healthz": page(EVERYONE),
    # The document check: anyone holding a letter may check it is ours and unaltered.
    "verify": page(EVERYONE), "verify-document": page(EVERYONE, "document"),
    # Open data: aggregates only, for everyone.
    "open-data": page(EVERYONE), "open-data-file": page(EVERYONE, "=data", "=json"),
    # Accounts (allauth): open to anyone; a signed-in user is sent on, never refused.
    **{name: page(EVERYONE) for name in (
        "account_login", "account_signup", "account_reset_password", "account_reset_password_done",
        "account_reset_password_from_key_done", "account_email_verification_sent", "account_inactive",
        "socialaccount_login_cancelled")},
    # Without a sign-in by code, or by eGov, under way, these send everyone to the sign-in page.
    "account_confirm_login_code": page(SIGNED_IN, note="signed in: sent on to the cabinet"),
    "socialaccount_login_error": page(NOBODY), "socialaccount_signup": page(NOBODY),
    "account_logout": page(EVERYONE),
    "account_confirm_email": page(EVERYONE, "=nokey"),
    "account_reset_password_from_key": page(EVERYONE, "=0", "=nokey"),
    **{name: page(SIGNED_IN) for name in (
        "account_email", "account_change_password", "account_set_password", "account_reauthenticate",
        "socialaccount_connections")},
    # Two-factor sign-in: staff only; the verify and done pages send anyone signed in on.
    "two-factor": page(STAFF), "two-factor-enrol": page(STAFF),
    "two-factor-verify": page(SIGNED_IN), "two-factor-enrolled": page(SIGNED_IN),
    "two-factor-new-codes": page(STAFF, method="post"), "two-factor-off": page(STAFF, method="post"),
    # The portal: the form for anyone signed in (staff may file their own complaint); the cabinet of one's own.
    "complaint-start": page(SIGNED_IN), "complaint-check": page(SIGNED_IN), "complaint-content": page(SIGNED_IN),
    "complaint-step": page(SIGNED_IN, "=who"), "cabinet": page(SIGNED_IN), "cabinet-messages": page(SIGNED_IN),
    "complaint-sent": page(APPLICANT, "case"), "cabinet-complaint": page(APPLICANT, "case"),
    "cabinet-talon": page(APPLICANT, "case"), "cabinet-answer": page(APPLICANT, "answered"),
    "cabinet-extension": page(APPLICANT, "case"),
    "cabinet-notice-letter": page(APPLICANT, "answered", "notice"),
    "cabinet-attachment": page(APPLICANT, "case", "attachment"),
    "cabinet-withdraw": page(APPLICANT, "case"), "cabinet-supply": page(APPLICANT, "case"),
    "cabinet-second-tier": page(APPLICANT, "answered"),
    # The back office.
    "staff-home": page(SIGNED_IN, note="an applicant gets a page saying it is for staff, with no data"),
    "bo-desk": page({"clerk", "outsider"}), "bo-intake": page({"clerk", "outsider"}),
    "bo-inbox": page({"head", "outsider"}),
    "bo-mine": page({"executor", "executor_not_appointed", "outsider", "head", "inspector"}),
    "bo-quality": page({"inspector"}), "bo-bodies": page({"inspector"}),
    "bo-recommendations": page({"head", "outsider", "inspector"}),
    "bo-recommendation-action": page({"head"}, "recommendation", "=report"),
    "bo-search": page(STAFF), "bo-export": page(STAFF), "bo-export-xlsx": page(STAFF),
    # Reports: heads (their bodies), inspectors and administrators (every body).
    "bo-reports": page(REPORTERS), "bo-reports-ranking": page(REPORTERS),
    "bo-reports-export": page(REPORTERS, "=summary", "=csv"),
    "bo-case": page(READERS, "case"),
    "bo-dossier": page(HOLDING_BODY, "case", note="the case file (ZIP): the body that holds it; inspectors read, not export"),
    "bo-answer": page({"executor", "head"}, "case"),
    "bo-answer-pdf": page(READERS, "case", note="the draft, readable by whoever reads the case"),
    "bo-answer-to-sign": page({"head"}, "to_sign", note="the exact bytes the head signs"),
    "bo-talon": page(READERS, "paper", note="GET: the talon as printed"),
    "bo-talon#new": page({"clerk", "head"}, "paper", method="post", note="POST: a new talon and access code"),
    "bo-action": page({"executor", "head"}, "case", "=extend", method="post", note="SHAGYM_HEAD_MAY_REVIEW",
                      data={"days": "5", "ground": "more_information", "reasons": "x"}),
    "bo-attachment": page(READERS, "attachment"),
    "bo-letter": page(READERS, "letter"), "bo-letter-pdf": page(READERS, "letter"),
    "bo-messages": page(STAFF), "bo-print": page({"clerk", "head", "outsider"}),
    "bo-print-pdf": page(HOLDING_BODY, "printed", note="the letter as printed: whoever in the office reads the case"),
    "bo-print-posted": page({"clerk", "head"}, "printed", method="post"),
    "bo-outbox": page({"administrator"}),
    "calendar-changes": page({"administrator"}),
}

# Patterns without a name (allauth's old social paths): by their pattern.
UNNAMED = {"accounts/social/login/cancelled/", "accounts/social/login/error/", "accounts/social/signup/",
           "accounts/social/connections/"}


def walk(patterns: list[Any], prefix: str = "", namespace: str | None = None):
    for item in patterns:
        if isinstance(item, URLResolver):
            yield from walk(item.url_patterns, prefix + str(item.pattern), item.namespace or namespace)
        elif isinstance(item, URLPattern):
            yield namespace, item.name, prefix + str(item.pattern), item


ROUTES = list(walk(get_resolver().url_patterns))
API_OPERATIONS_NAMESPACE = "api-v1"
ADMIN = [route for route in ROUTES if route[0] == "admin"]


def route_key(namespace: str | None, name: str | None, pattern: str) -> str:
    if name is None:
        return re.sub(r"^(kk|\^kk)/", "", pattern)
    return f"{namespace}:{name}" if namespace and namespace != "admin" else name


def test_every_route_has_an_entry():
    """A new page, form or API operation fails here until its line in the matrix says who may use it."""
    operations = {operation_key(method, path) for method, path in schema_operations()}
    missing = []
    for namespace, name, pattern, _item in ROUTES:
        if namespace == "admin":
            continue  # every admin URL: the admin's rule, below
        key = route_key(namespace, name, pattern)
        if namespace == API_OPERATIONS_NAMESPACE and key not in WEB:
            continue  # an API operation: from the schema, below
        if key not in WEB and key not in UNNAMED:
            missing.append(key)
    assert missing == [], f"routes without an entry in WEB: {missing}"
    assert sorted(operations - set(API)) == [], "API operations without an entry in API"
    assert sorted(set(API) - operations) == [], "API entries for operations that no longer exist"
    stale = {key.split("#")[0] for key in WEB} - {route_key(ns, name, pattern) for ns, name, pattern, _item in ROUTES}
    assert stale == set(), f"WEB entries for routes that no longer exist: {stale}"


def url_of(name: str, entry: Page, world: World) -> str:
    args = [arg[1:] if arg.startswith("=") else world.ids[arg] for arg in entry.args]
    with translation.override("en"):
        return reverse(name.split("#")[0], args=args)


@pytest.mark.parametrize("name", sorted(WEB))
def test_web_route(name, world):
    entry = WEB[name]
    url = url_of(name, entry, world)
    got = {role: once(world, role, lambda c: getattr(c, entry.method)(url, entry.data)) for role in PEOPLE}
    expected = {role: "allowed" if role in entry.allowed else "refused" for role in PEOPLE}
    assert got == expected, f"{name} {url}: " + ", ".join(
        f"{role} {got[role]} (expected {expected[role]})" for role in PEOPLE if got[role] != expected[role])


def test_unnamed_routes(world):
    for pattern in sorted(UNNAMED):
        got = {role: once(world, role, lambda c, p=pattern: c.get(f"/en/{p}")) for role in ("anonymous", "applicant")}
        assert set(got.values()) == {"allowed"}, (pattern, got)


# ---------------------------------------------------------------------------------------------------------------
# The Django admin: every URL it has (each model's list, add, change, history, delete...), one rule


def admin_url(name: str, item: URLPattern, world: World) -> str:
    kwargs: dict[str, Any] = {}
    for group in item.pattern.regex.groupindex:
        if group == "app_label":
            kwargs[group] = re.search(r"\(\?P<app_label>([a-z_]+)", item.pattern.regex.pattern).group(1)
        elif group == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            kwargs[group] = ContentType.objects.get_for_model(world.users["clerk"]).pk
        elif group in ("object_id", "id", "pk"):
            if group == "object_id" and "content_type_id" in item.pattern.regex.groupindex:
                kwargs[group] = str(world.users["clerk"].pk)
            else:
                kwargs[group] = str(admin_object_id(name))
    with translation.override("en"):
        return reverse(f"admin:{name}", kwargs=kwargs)


def admin_object_id(name: str) -> Any:
    from django.apps import apps
    from django.contrib import admin

    if name.startswith("auth_user"):  # the user admin's password page
        return apps.get_model("accounts.User").objects.values_list("pk", flat=True).first()
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            found = apps.get_model(model._meta.label).objects.values_list("pk", flat=True).first()
            return found if found is not None else 0
    return 0


def once_admin(world: World, role: str, url: str) -> str:
    with transaction.atomic():
        response = client_for(world, role).get(url)
        transaction.set_rollback(True)
    assert response.status_code < 500, (url, role, response.status_code)
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "sent to sign in"
    return "inside"


def test_the_admin_is_for_the_administrator_only(world):
    """Every admin URL: anyone but the administrator is sent to the admin's sign-in; the administrator gets in.
    Inside, each model's own permissions apply (the read-only lists refuse "add" and "delete" with 403, an unknown
    page is a 404): the admin's business, not the door's."""
    wrong = []
    for _namespace, name, _pattern, item in ADMIN:
        # The admin's last, unnamed pattern catches every other address: 404 inside, the sign-in outside.
        url = admin_url(name, item, world) if name else "/en/admin/no-such-page/"
        for role in PEOPLE:
            got = once_admin(world, role, url)
            expected = "inside" if role == "administrator" or name in ("login", "logout", "javascript-catalog") \
                else "sent to sign in"
            if got != expected:
                wrong.append(f"{name} {role}: {got}")
    assert wrong == [], "; ".join(wrong)


# ---------------------------------------------------------------------------------------------------------------
# The API: every operation of the schema, for every person (by session) and both keys


@dataclass(frozen=True)
class Operation:
    allowed: set[str]
    path_args: dict[str, str] = field(default_factory=dict)  # {name in path: name in world.ids or =literal}
    body: dict[str, Any] | None = None
    note: str = ""


def op(allowed: set[str], body: dict[str, Any] | None = None, note: str = "", **path_args: str) -> Operation:
    return Operation(allowed=set(allowed), path_args=path_args, body=body, note=note)


PUBLIC = set(PEOPLE) | set(KEYS)
CALLERS = SIGNED_IN | set(KEYS)  # a session reads as the applicant of its own complaints; a key as its body
OWN = {"applicant", "key"}  # the complaint's applicant, and the system of the body holding it
ON_CASE = {"complaint_id": "case"}


def complaint_action(allowed: set[str], body: dict[str, Any] | None = None, on: str = "case") -> Operation:
    return Operation(allowed=set(allowed), path_args={"complaint_id": on}, body=body)


API: dict[str, Operation] = {
    "GET /api/v1/calendar/deadline": op(PUBLIC),
    "GET /api/v1/bodies": op(PUBLIC), "GET /api/v1/bodies/{key}": op(PUBLIC, key="ministry"),
    "GET /api/v1/services": op(PUBLIC), "GET /api/v1/services/{code}": op(PUBLIC, code="service"),
    "GET /api/v1/territories": op(PUBLIC),
    "GET /api/v1/stats/open-data": op(PUBLIC), "GET /api/v1/stats/open-data/{dimension}": op(PUBLIC, dimension="=body"),
    "GET /api/v1/me": op(CALLERS),
    "POST /api/v1/complaints": op(CALLERS, body={}),
    "GET /api/v1/complaints": op(CALLERS),
    "GET /api/v1/complaints/{complaint_id}": op(OWN, **ON_CASE),
    "GET /api/v1/complaints/{complaint_id}/documents": op(OWN, **ON_CASE),
    "GET /api/v1/complaints/{complaint_id}/documents/{document_id}": op(OWN, complaint_id="case",
                                                                        document_id="=receipt"),
    "POST /api/v1/uploads": op(CALLERS, body={"multipart": True}),
    # Lifecycle actions: the holding body's system in its roles (clerk, head); the applicant's own two.
    "POST /api/v1/complaints/{complaint_id}/register": complaint_action({"key"}),
    "POST /api/v1/complaints/{complaint_id}/forward": complaint_action({"key"}),
    "POST /api/v1/complaints/{complaint_id}/satisfy": complaint_action({"key"}, {"text": "x"}),
    "POST /api/v1/complaints/{complaint_id}/redirect": complaint_action({"key"}, {"target": "minedu", "reason": "x"}),
    "POST /api/v1/complaints/{complaint_id}/request-content": complaint_action({"key"}, {"missing": "x"}),
    "POST /api/v1/complaints/{complaint_id}/supply-content": complaint_action(OWN, {"text": "x"}),
    "POST /api/v1/complaints/{complaint_id}/return": complaint_action({"key"}),
    "POST /api/v1/complaints/{complaint_id}/assign": complaint_action({"key"}, {"executor": "executor"}),
    "POST /api/v1/complaints/{complaint_id}/extend": complaint_action(
        {"key"}, {"days": 5, "ground": "more_information", "reasons": "x"}),
    "POST /api/v1/complaints/{complaint_id}/extension-notice": complaint_action({"key"}, {"channel": "post"}),
    "POST /api/v1/complaints/{complaint_id}/hearing": complaint_action({"key"}, {"held_on": "2026-11-02",
                                                                                  "notes": "x"}),
    "POST /api/v1/complaints/{complaint_id}/propose": complaint_action({"key"}, {"outcome": "reject",
                                                                                  "reasons": "x"}),
    "POST /api/v1/complaints/{complaint_id}/return-draft": complaint_action({"key"}, {"comment": "x"}),
    "POST /api/v1/complaints/{complaint_id}/sign": complaint_action({"key"}),
    "POST /api/v1/complaints/{complaint_id}/leave": complaint_action({"key"}, {"ground": "withdrawn"}),
    "POST /api/v1/complaints/{complaint_id}/withdraw": complaint_action(OWN, {}),
    "POST /api/v1/complaints/{complaint_id}/deliver": complaint_action({"key"}, {"method": "post"}),
    "POST /api/v1/complaints/{complaint_id}/close": complaint_action({"key"}),
    "POST /api/v1/complaints/{complaint_id}/recommend": complaint_action(
        NOBODY, {"body": "minjust", "text": "x", "due_date": "2026-12-01"},
        on="child"),
    "POST /api/v1/recommendations/{recommendation_id}/report": op({"key"}, {"report": "x"},
                                                                  recommendation_id="recommendation"),
    "POST /api/v1/recommendations/{recommendation_id}/confirm": op(NOBODY, {"accepted": True},
                                                                   recommendation_id="recommendation"),
    # The events feed and webhooks: an organisation's system only.
    "GET /api/v1/events": op(CALLERS, note="a session reads the events of its own complaints"),
    "GET /api/v1/webhooks": op(set(KEYS)),
    "POST /api/v1/webhooks": op(set(KEYS), {"url": "https://example.kz/in", "contact_email": "it@example.kz"}),
    "DELETE /api/v1/webhooks/{subscription_id}": op({"key"}, subscription_id="subscription"),
    "GET /api/v1/webhooks/{subscription_id}/deliveries": op({"key"}, subscription_id="subscription"),
}


def schema_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return [(method.upper(), path) for path, operations in schema["paths"].items() for method in operations]


def operation_key(method: str, path: str) -> str:
    return f"{method} {path}"


def call_api(client: Client, role: str, world: World, method: str, path: str, entry: Operation) -> Any:
    for name, value in entry.path_args.items():
        path = path.replace("{" + name + "}", str(value[1:] if value.startswith("=") else world.ids[value]))
    headers = {"Accept-Language": "en"}
    if role in KEYS:
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    if entry.body is not None and entry.body.get("multipart"):
        return client.post(path, {"file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n")}, headers=headers)
    if method == "POST":
        import json

        body = entry.body if entry.body is not None else {}
        if path.endswith("/complaints"):
            from shagym.api.tests.conftest import complaint_body

            body = complaint_body()
        return client.post(path, json.dumps(body), content_type="application/json", headers=headers)
    return getattr(client, method.lower())(path, headers=headers)


@pytest.mark.parametrize("key", sorted(API))
def test_api_operation(key, world):
    entry = API[key]
    method, path = key.split(" ", 1)
    roles = PEOPLE + KEYS
    got = {role: once(world, role, lambda c, r=role: call_api(c, r, world, method, path, entry)) for role in roles}
    expected = {role: "allowed" if role in entry.allowed else "refused" for role in roles}
    assert got == expected, f"{key}: " + ", ".join(
        f"{role} {got[role]} (expected {expected[role]})" for role in roles if got[role] != expected[role])
