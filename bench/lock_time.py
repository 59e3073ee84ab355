"""How long does a complaint's row (on SQLite: the whole database) stay locked while the desk extends the term and
issues the notice to the applicant? (Issue 9: nothing slow, a PDF above all, may run while a row is locked.)

    .venv/bin/python bench/lock_time.py                 # SQLite, in a temporary file
    DATABASE_URL=postgresql://app:app@127.0.0.1:5432/bench .venv/bin/python bench/lock_time.py

It measures what another user feels: thread A runs the desk's "extend and produce the notice" (since issue 9 the
lifecycle service, whose notice the documents layer renders after commit; before, the back office's
extend_with_notice, which rendered it inside the transaction) on a fresh complaint; the moment A has taken its lock, thread B
tries to write the same complaint row (on SQLite any write waits: one writer at a time). B's wait is the time the
lock is held after A took it. Printed for the first (cold: fonts and Pango load) and the following (warm) runs,
with the time A took in all."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shagym.settings")
os.environ.setdefault("SHAGYM_DEBUG", "1")
os.environ.setdefault("SHAGYM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")  # production: the outbox row commits with the event
# The bench's applicant has no NCALayer: it times the lock of an action, not a signature's check.
os.environ.setdefault("SHAGYM_APPLICANT_SIGNATURE", "optional")
os.environ.setdefault("SHAGYM_ANSWER_SIGNATURE", "optional")
if not os.environ.get("DATABASE_URL"):
    _tmp = tempfile.mkdtemp(prefix="shagym-lock-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
    os.environ.setdefault("SHAGYM_MEDIA_ROOT", f"{_tmp}/media")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from shagym.accounts.models import User  # noqa: E402
from shagym.complaints import services  # noqa: E402
from shagym.complaints.identifiers import make_iin  # noqa: E402
from shagym.complaints.models import Complaint  # noqa: E402
from shagym.complaints.states import AddresseeKind, AppealedAct, ApplicantKind, Channel, ExtensionGround  # noqa: E402
from shagym.directory.models import Organisation  # noqa: E402


def _fresh_complaint(n: int) -> Complaint:
    """A portal complaint to the Almaty city akimat, registered and given to the demo executor."""
    import datetime as dt

    applicant = User.objects.get(username="demo-applicant")
    clerk = User.objects.get(username="demo-clerk")
    head = User.objects.get(username="demo-head")
    executor = User.objects.get(username="demo-executor")
    body = Organisation.objects.get(key="akimat_almaty")
    data = services.ComplaintInput(
        applicant_kind=ApplicantKind.INDIVIDUAL, channel=Channel.PORTAL, language="kk",
        addressee_kind=AddresseeKind.AKIM, reviewing_body=body, respondent=body, appealed_act=AppealedAct.DECISION,
        learned_on=timezone.localdate() - dt.timedelta(days=3), circumstances="Анықтама берілмеді.",
        reasons="Құжаттар толық тапсырылды.", demands="Анықтаманы беруді сұраймын.",
        postal_address="Алматы қ., Абай даңғылы, 10", surname="Ахметов", first_name="Ерлан",
        iin=make_iin(dt.date(1990, 5, 17)),
        officials=[services.OfficialInput(position="бөлім басшысы", surname="Қасымов", initials="Б.Т.")],
    )
    submitted = services.submit_complaint(actor=applicant, data=data, idempotency_key=f"lock-bench-{time.time()}-{n}")
    complaint = getattr(submitted, "complaint", submitted)  # a service returns its event (issue 9) or the complaint
    services.register_complaint(actor=clerk, complaint=complaint)
    services.assign_executor(actor=head, complaint=complaint, executor=executor)
    return Complaint.objects.get(pk=complaint.pk)


def _probe(complaint_id: int, started: threading.Event, waited: list[float]) -> None:
    """Thread B: once A holds its lock, write the same row and time the wait."""
    connection.ensure_connection()  # connect first: only the wait for the lock is timed
    started.wait()
    t0 = time.perf_counter()
    with connection.cursor() as cursor:  # this thread's own connection, in autocommit
        cursor.execute("UPDATE complaints_complaint SET updated_at = updated_at WHERE id = %s", [complaint_id])
    waited.append(time.perf_counter() - t0)
    connections.close_all()


def _lock_signal(started: threading.Event):
    """Set `started` once thread A has the lock: its first statement that locks or writes the complaint."""

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        text = sql.lstrip().upper()
        locking = "FOR UPDATE" in text or (text.startswith(("UPDATE", "INSERT")) and connection.vendor == "sqlite")
        if locking and "COMPLAINTS_COMPLAINT" in text.replace('"', "").upper() and not started.is_set():
            started.set()
        return result

    return wrapper


def _extend_with_notice(executor: User, complaint: Complaint) -> None:
    """The desk's step, whichever version of the code this is."""
    try:
        from shagym.documents import services as documents
    except ImportError:  # before issue 9
        from shagym.backoffice import services as desk

        desk.extend_with_notice(actor=executor, complaint=complaint, days=5, ground=ExtensionGround.FURTHER_STUDY,
                                reasons="Жергілікті жерде тексеру қажет.")
        return
    event = services.extend_term(actor=executor, complaint=complaint, days=5, ground=ExtensionGround.FURTHER_STUDY,
                                 reasons="Жергілікті жерде тексеру қажет.")
    assert documents.issue_for_event(event), "the notice is issued"


def run_once(n: int) -> tuple[float, float]:
    complaint = _fresh_complaint(n)
    executor = User.objects.get(username="demo-executor")
    started, waited = threading.Event(), []
    probe = threading.Thread(target=_probe, args=(complaint.pk, started, waited))
    probe.start()
    t0 = time.perf_counter()
    with connection.execute_wrapper(_lock_signal(started)):
        _extend_with_notice(executor, complaint)
    total = time.perf_counter() - t0
    started.set()
    probe.join()
    return waited[0], total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=6, help="warm runs after the cold one")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    print(f"database: {connection.vendor}")
    cold_wait, cold_total = run_once(0)
    warm = [run_once(i + 1) for i in range(args.runs)]
    waits = [w for w, _ in warm]
    totals = [t for _, t in warm]
    print(f"cold: lock held {cold_wait * 1000:8.1f} ms after it was taken; the action took {cold_total * 1000:8.1f} ms")
    print(f"warm: lock held {statistics.median(waits) * 1000:8.1f} ms median (max {max(waits) * 1000:.1f}); "
          f"the action took {statistics.median(totals) * 1000:.1f} ms median   ({args.runs} runs)")


if __name__ == "__main__":
    main()
