"""Personas for every test: an applicant, the staff of one ministry (clerk, head, executor), an inspector of the
quality authority, an administrator, and an outsider who serves another body."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from shagym.complaints import services
from shagym.complaints.states import Channel
from shagym.complaints.tests.factories import OrganisationFactory, UserFactory, complaint_input, member
from shagym.directory.models import OrganisationKind
from shagym.directory.roles import Role
from shagym.signatures.testing import SEAL_PASSWORD, TestPKI

# CI runs hypothesis derandomized, so a run is reproducible; locally it explores.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the calendar's overrides, navigation counts, rate limits live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _history_checked_before_rollback(request):
    """On PostgreSQL the database checks at commit that every change of a complaint came with its event (deferred
    triggers, complaints migration 0007). A test's transaction is rolled back, never committed: check the test's
    writes before the rollback, so every path the suite takes is held to the rule (transactional tests commit)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = "transactional_db" in names or "live_server" in names or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional or (marker is None and "db" not in names):
        yield
        return
    request.getfixturevalue("db")  # set up before this fixture, so torn down (rolled back) after its check
    yield
    from django.db import connection

    if connection.vendor == "postgresql" and connection.in_atomic_block and not connection.needs_rollback:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture(autouse=True)
def _second_factor_not_required(settings):
    """The suite signs staff in with force_login; the second factor has its own tests (shagym/security/tests), and
    the access matrix signs everyone in with it (shagym/tests/test_access_matrix.py)."""
    settings.SHAGYM_2FA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every persona gets a password; the production hasher spends 0.2 s on each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _signatures_optional(settings):
    # The tests of the lifecycle act without NCALayer; the signature tests turn the law's requirement back on.
    settings.SHAGYM_APPLICANT_SIGNATURE = "optional"
    settings.SHAGYM_ANSWER_SIGNATURE = "optional"
    settings.SHAGYM_TRUST_DIR = ""
    settings.SHAGYM_SEAL_DIR = ""
    settings.SHAGYM_NCANODE_URL = ""


@pytest.fixture(autouse=True)
def _pki_dir(settings, tmp_path):
    settings.PKI_DEMO_DIR = tmp_path / "pki"  # the demo CA a test makes stays in the test


@pytest.fixture(scope="session")
def test_pki():
    """A root and an intermediate CA made for this test run."""
    return TestPKI.make()


@pytest.fixture
def trusted(test_pki, settings, tmp_path):
    """The test CA trusted (SHAGYM_TRUST_DIR), as НУЦ РК's roots are in production."""
    settings.SHAGYM_TRUST_DIR = str(test_pki.write_trust(tmp_path / "trust"))
    return test_pki


@pytest.fixture
def sealed(test_pki, settings, tmp_path):
    """Seal keys for the operator and every body a test makes with `sealed.add(body)`."""
    directory = tmp_path / "seals"
    settings.SHAGYM_SEAL_DIR = str(directory)
    settings.SHAGYM_SEAL_PASSWORD = SEAL_PASSWORD
    test_pki.write_seal(directory, "operator", organisation="Shagym operator")

    class Seals:
        pki = test_pki
        path = directory

        @staticmethod
        def add(body):
            return test_pki.write_seal(directory, body.key, organisation=body.name_ru, bin=body.bin)

    return Seals


def connect(body, *staff: tuple[str, str]):
    """Staff the body in Shagym, so complaints addressed to it reach someone (Organisation.objects.reviewing())."""
    for username, role in staff:
        member(UserFactory(username=username), body, role)
    return body


@pytest.fixture
def ministry(db):
    """The ministry with its clerk, head and executor (the same users as the persona fixtures)."""
    body = OrganisationFactory(key="minjust", kind=OrganisationKind.CENTRAL)
    return connect(body, ("clerk", Role.CLERK), ("head", Role.HEAD), ("executor", Role.EXECUTOR))


@pytest.fixture
def provider(ministry):
    """A provider under the ministry, with its clerk, head and executor."""
    body = OrganisationFactory(key="dept", kind=OrganisationKind.PROVIDER, parent=ministry, reviewer=ministry)
    return connect(body, ("provider_clerk", Role.CLERK), ("provider_head", Role.HEAD),
                   ("provider_executor", Role.EXECUTOR))


@pytest.fixture
def other_body(db):
    return OrganisationFactory(key="minedu", kind=OrganisationKind.CENTRAL)


@pytest.fixture
def quality_authority(db):
    """The quality authority with its clerk, head and inspector."""
    body = OrganisationFactory(key="adgs", kind=OrganisationKind.QUALITY_AUTHORITY)
    return connect(body, ("qa_clerk", Role.CLERK), ("qa_head", Role.HEAD), ("inspector", Role.INSPECTOR))


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant", first_name="Ерлан", last_name="Ахметов")


@pytest.fixture
def clerk(ministry):
    return member(UserFactory(username="clerk"), ministry, Role.CLERK)


@pytest.fixture
def head(ministry):
    return member(UserFactory(username="head"), ministry, Role.HEAD)


@pytest.fixture
def executor(ministry):
    return member(UserFactory(username="executor"), ministry, Role.EXECUTOR)


@pytest.fixture
def inspector(quality_authority):
    return member(UserFactory(username="inspector"), quality_authority, Role.INSPECTOR)


@pytest.fixture
def qa_head(quality_authority):
    return member(UserFactory(username="qa_head"), quality_authority, Role.HEAD)


@pytest.fixture
def qa_clerk(quality_authority):
    return member(UserFactory(username="qa_clerk"), quality_authority, Role.CLERK)


@pytest.fixture
def administrator(db):
    return member(UserFactory(username="administrator"), OrganisationFactory(key="admins"), Role.ADMINISTRATOR)


@pytest.fixture
def outsider(other_body):
    """Staff of another body: clerk, head and executor there, none here."""
    user = UserFactory(username="outsider")
    for role in (Role.CLERK, Role.HEAD, Role.EXECUTOR):
        member(user, other_body, role)
    return user


# Monday 2026-11-02 10:00 Almaty: a plain working week (no holidays until 16 December).
MONDAY = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))


@pytest.fixture
def now():
    return MONDAY


@pytest.fixture
def received(applicant, ministry, now):
    """A portal complaint to the ministry, just filed."""
    return services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry), now=now).complaint


@pytest.fixture
def registered(received, clerk, now):
    return services.register_complaint(actor=clerk, complaint=received, now=now).complaint


@pytest.fixture
def under_review(registered, head, executor, now):
    return services.assign_executor(actor=head, complaint=registered, executor=executor, now=now).complaint


@pytest.fixture
def provider_clerk(provider):
    return member(UserFactory(username="provider_clerk"), provider, Role.CLERK)


@pytest.fixture
def provider_head(provider):
    return member(UserFactory(username="provider_head"), provider, Role.HEAD)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the after-commit hooks (the events' subscribers, and the tasks they enqueue) at the end of the block, as a
    real commit would; inside a test's transaction they would never run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def paper(clerk, ministry, now, committed):
    """A complaint brought to the ministry's office on paper, registered at once; its talon issued after commit."""
    with committed():
        event = services.register_paper_complaint(
            actor=clerk,
            data=complaint_input(reviewing_body=ministry, channel=Channel.OFFICE, language="ru", officials=[]),
            holder=ministry,
            received_at=now,
            now=now,
        )
    return event.complaint


@pytest.fixture
def against_provider(provider_clerk, provider, ministry, now, committed):
    """A paper complaint filed with the provider whose act is appealed, addressed to the ministry (RULES §8)."""
    with committed():
        event = services.register_paper_complaint(
            actor=provider_clerk,
            data=complaint_input(reviewing_body=ministry, respondent=provider, channel=Channel.POST,
                                 postmark_date=dt.date(2026, 10, 30)),
            holder=provider,
            received_at=now,
            now=now,
        )
    return event.complaint


@pytest.fixture(scope="session")
def redis_url():
    """A redis-server of the tests' own on a free port (skipped where Debian's redis-server is not installed)."""
    import shutil
    import socket
    import subprocess  # nosec B404 # starts Debian's redis-server for the tests
    import time

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # B603 B607: a fixed command, found on PATH as the skip above checked; no input from outside.
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # nosec B603 B607
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
