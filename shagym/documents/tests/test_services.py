"""The documents layer: the letters an event calls for, issued once after the action has committed, in the language
of the complaint, never rendered while a complaint's row is locked."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.db import connection

from shagym.complaints import codes, services
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action, Channel, NotAllowed, Refused, State
from shagym.complaints.tests.factories import UserFactory, complaint_input, member
from shagym.directory.roles import Role
from shagym.documents import pdf as pdf_module
from shagym.documents import seal as seal_module
from shagym.documents import services as documents
from shagym.documents.models import Letter

CODE = re.compile(r"\b([2-9A-Z]{4}-[2-9A-Z]{4})\b")


def pdf_text(pdf: bytes) -> str:
    # One line: pdftotext wraps long lines where the PDF does.
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_paper_complaint_is_registered_at_once_and_its_talon_issued_after_commit(paper, clerk):
    assert paper.status == State.REGISTERED
    assert paper.number and paper.registered_on == dt.date(2026, 11, 2)
    assert paper.received_by == clerk
    assert list(paper.events.values_list("action", flat=True)) == [Action.SUBMIT, Action.REGISTER]
    talon = Letter.objects.get(complaint=paper, kind=Letter.Kind.TALON)
    assert talon.event.action == Action.REGISTER and talon.created_by == clerk
    text = pdf_text(bytes(talon.pdf))
    assert paper.number in text
    assert clerk.initials_name in text  # RULES §5: surname and initials of the receiver
    # The access code printed on the talon opens the portal's status page.
    code = CODE.search(text).group(1)
    assert codes.check_access_code(paper.number, code) == paper


def test_same_intake_form_twice_gives_one_complaint_and_one_talon(clerk, ministry, now, committed):
    data = complaint_input(reviewing_body=ministry, channel=Channel.OFFICE)
    with committed():
        first = services.register_paper_complaint(actor=clerk, data=data, holder=ministry, received_at=now,
                                                  idempotency_key="form-1", now=now)
    with committed():
        again = services.register_paper_complaint(actor=clerk, data=data, holder=ministry, received_at=now,
                                                  idempotency_key="form-1", now=now)
    assert again == first
    assert documents.issue_for_event(again) == documents.issue_for_event(first)
    assert Letter.objects.filter(complaint=first.complaint, kind=Letter.Kind.TALON).count() == 1


def test_only_a_clerk_of_the_receiving_body_registers_paper(outsider, ministry, now):
    with pytest.raises(NotAllowed):
        services.register_paper_complaint(actor=outsider, holder=ministry, received_at=now, now=now,
                                          data=complaint_input(reviewing_body=ministry, channel=Channel.POST))
    assert not ComplaintEvent.objects.exists()


def test_a_portal_complaint_gets_no_talon_letter(registered, committed, clerk):
    # RULES §5: on the portal, the status in the cabinet is the confirmation (and its receipt PDF on request).
    event = registered.events.get(action=Action.REGISTER)
    assert documents.issue_for_event(event) == []
    assert not Letter.objects.exists()


def test_new_talon_replaces_the_access_code(paper, clerk, committed):
    first = pdf_text(bytes(Letter.objects.get(complaint=paper, kind=Letter.Kind.TALON).pdf))
    old = CODE.search(first).group(1)

    with committed():
        event = services.reissue_talon(actor=clerk, complaint=paper)

    new_talon = Letter.objects.get(event=event, kind=Letter.Kind.TALON)
    new = CODE.search(pdf_text(bytes(new_talon.pdf))).group(1)
    assert codes.check_access_code(paper.number, old) is None
    assert codes.check_access_code(paper.number, new) == paper
    assert event.actor == clerk  # who replaced the code is in the history


def test_a_portal_complaint_has_no_talon_to_reissue(registered, clerk):
    with pytest.raises(Refused):
        services.reissue_talon(actor=clerk, complaint=registered)


def test_complaint_against_the_provider_is_forwarded_with_a_covering_letter(against_provider, provider_clerk, provider,
                                                                            ministry, committed):
    assert against_provider.status == State.FORWARDING
    assert against_provider.forward_due == dt.date(2026, 11, 5)  # RULES §8: 3 working days
    with committed():
        event = services.forward_complaint(actor=provider_clerk, complaint=against_provider)
    against_provider.refresh_from_db()
    assert against_provider.status == State.RECEIVED and against_provider.holder == ministry
    letter = Letter.objects.get(event=event)
    # The letter stays with the body that sent it.
    assert letter.organisation == provider and letter.kind == Letter.Kind.FORWARDING
    text = pdf_text(bytes(letter.pdf))
    assert against_provider.number in text and "91" in text  # АППК Art. 91(4)


def test_redirect_produces_the_notice_in_the_complaint_language(registered, clerk, other_body, ministry, committed):
    with committed():
        event = services.redirect_complaint(actor=clerk, complaint=registered, target=other_body,
                                            reason="Мәселе білім министрлігінің құзыретінде.")
    registered.refresh_from_db()
    assert registered.holder == other_body
    letter = Letter.objects.get(event=event)
    assert letter.organisation == ministry and letter.language == "kk"
    text = pdf_text(bytes(letter.pdf))
    assert "Мәселе білім министрлігінің құзыретінде." in text
    assert "65" in text


def test_missing_content_notice_lists_what_is_missing_and_the_term(registered, clerk, committed, now):
    with committed():
        event = services.request_content(actor=clerk, complaint=registered, missing="IIN\nThe list of attachments",
                                         days=5, now=now)
    registered.refresh_from_db()
    assert registered.status == State.AWAITING_CONTENT
    assert registered.content_due == dt.date(2026, 11, 9)
    text = pdf_text(bytes(Letter.objects.get(event=event).pdf))
    assert "The list of attachments" in text and "09.11.2026" in text


def test_provider_may_not_extend_and_nothing_is_issued(provider, provider_clerk, provider_head, now, committed):
    """RULES §14: providers are not in Law Art. 25(4)."""
    with committed():
        complaint = services.register_paper_complaint(
            actor=provider_clerk,
            data=complaint_input(reviewing_body=provider, respondent=provider, channel=Channel.OFFICE,
                                 addressee_kind="provider_head"),
            holder=provider, received_at=now, now=now).complaint
    worker = member(UserFactory(username="provider_executor"), provider, Role.EXECUTOR)
    services.assign_executor(actor=provider_head, complaint=complaint, executor=worker, now=now)
    with committed(), pytest.raises(Refused):
        services.extend_term(actor=worker, complaint=complaint, days=5, ground="more_information", reasons="...")
    complaint.refresh_from_db()
    assert complaint.extension_days == 0 and complaint.status == State.UNDER_REVIEW
    assert not Letter.objects.filter(kind=Letter.Kind.EXTENSION).exists()


def test_extension_produces_the_notice_with_reasons_and_new_due_date(under_review, executor, committed, now):
    with committed():
        event = services.extend_term(actor=executor, complaint=under_review, days=10, ground="more_information",
                                     reasons="Облыстық басқармадан ақпарат сұралды.", now=now)
    under_review.refresh_from_db()
    assert under_review.status == State.EXTENDED
    assert under_review.extension_notice_due == dt.date(2026, 11, 5)
    text = pdf_text(bytes(Letter.objects.get(event=event, kind=Letter.Kind.EXTENSION).pdf))
    assert "Облыстық басқармадан ақпарат сұралды." in text
    assert under_review.due_date.strftime("%d.%m.%Y") in text


def test_signing_issues_the_answer_letter_with_rights(under_review, executor, head, committed):
    services.propose_decision(actor=executor, complaint=under_review, outcome="perform", reasons="Заңның 25-бабы.")
    with committed():
        event = services.sign_decision(actor=head, complaint=under_review)
    letter = Letter.objects.get(event=event, kind=Letter.Kind.ANSWER)
    assert letter.created_by == head and letter.language == "kk"
    text = pdf_text(bytes(letter.pdf))
    assert "Заңның 25-бабы." in text  # the reasons as written
    assert "136" in text  # the right to go to court (АППК 136)
    assert "DRAFT" not in text


def test_a_letter_is_issued_once_however_often_it_is_asked_for(under_review, executor, committed):
    with committed():
        event = services.extend_term(actor=executor, complaint=under_review, days=3, ground="more_information",
                                     reasons="Ақпарат сұралды.")
    first = documents.issue_for_event(event)
    again = documents.issue_for_event(event)  # the sweep's catch-up, or a page that needs the letter

    assert first == again and Letter.objects.filter(event=event).count() == 1


def test_nothing_is_issued_when_the_action_rolls_back(under_review, executor, committed):
    class Abandoned(Exception):
        pass

    with committed(), pytest.raises(Abandoned):
        from django.db import transaction

        with transaction.atomic():
            services.extend_term(actor=executor, complaint=under_review, days=3, ground="more_information",
                                 reasons="Ақпарат сұралды.")
            raise Abandoned
    assert not Letter.objects.exists()


# ---- No PDF is rendered while a complaint's row is locked (issue 9) ----


@pytest.fixture
def render_spy(monkeypatch):
    """Record, for each PDF rendered, whether the database connection was inside a transaction at the time."""
    calls: list[bool] = []
    real = pdf_module.render_pdf

    def spy(*args, **kwargs):
        calls.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "render_pdf", spy)
    return calls


@pytest.fixture
def seal_spy(monkeypatch):
    """The same for each seal applied: sealing signs the whole file and must not happen under a lock either."""
    calls: list[bool] = []
    real = seal_module.apply

    def spy(*args, **kwargs):
        calls.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(seal_module, "apply", spy)
    return calls


@pytest.mark.django_db(transaction=True)
def test_no_pdf_is_rendered_inside_a_transaction_on_any_desk_path(render_spy, seal_spy, sealed, settings, tmp_path):
    """Real commits (a transactional test): every action that issues a letter renders it only after its transaction
    has committed and released the row. A renderer called under the lock would record True."""
    from django.utils import timezone

    from shagym.complaints.tests.factories import OrganisationFactory
    from shagym.directory.models import OrganisationKind

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # notify's tasks wait
    MONDAY = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))
    ministry = OrganisationFactory(key="m", kind=OrganisationKind.CENTRAL)
    provider = OrganisationFactory(key="p", kind=OrganisationKind.PROVIDER, reviewer=ministry)
    other = OrganisationFactory(key="o", kind=OrganisationKind.CENTRAL)
    clerk = member(UserFactory(username="c"), ministry, Role.CLERK)
    member(clerk, provider, Role.CLERK)
    head = member(UserFactory(username="h"), ministry, Role.HEAD)
    executor = member(UserFactory(username="e"), ministry, Role.EXECUTOR)

    # Paper intake: submit + register in one transaction, then the talon.
    paper = services.register_paper_complaint(
        actor=clerk, data=complaint_input(reviewing_body=ministry, respondent=provider, channel=Channel.OFFICE),
        holder=provider, received_at=MONDAY, now=MONDAY).complaint
    services.forward_complaint(actor=clerk, complaint=paper, now=MONDAY)  # the covering letter
    services.register_complaint(actor=clerk, complaint=paper, now=MONDAY)
    services.reissue_talon(actor=clerk, complaint=paper)  # a new talon
    services.request_content(actor=clerk, complaint=paper, missing="ЖСН.", days=3, now=MONDAY)  # the notice
    services.supply_content(actor=clerk, complaint=paper, text="ЖСН берілді.", now=MONDAY)
    services.assign_executor(actor=head, complaint=paper, executor=executor, now=MONDAY)
    services.extend_term(actor=executor, complaint=paper, days=5, ground="more_information",
                         reasons="Ақпарат сұралды.", now=MONDAY)  # the extension notice
    services.propose_decision(actor=executor, complaint=paper, outcome="perform", reasons="Заң бойынша.", now=MONDAY)
    services.sign_decision(actor=head, complaint=paper, now=MONDAY)  # the answer
    second = services.submit_complaint(actor=clerk, holder=ministry, now=MONDAY,
                                       data=complaint_input(reviewing_body=ministry, channel=Channel.POST)).complaint
    services.redirect_complaint(actor=clerk, complaint=second, target=other, reason="Құзыретінде емес.")

    kinds = set(Letter.objects.values_list("kind", flat=True))
    assert kinds == {Letter.Kind.TALON, Letter.Kind.FORWARDING, Letter.Kind.CONTENT, Letter.Kind.EXTENSION,
                     Letter.Kind.ANSWER, Letter.Kind.REDIRECT}
    assert len(render_spy) == Letter.objects.count() == 7  # two talons
    assert not any(render_spy), "a PDF was rendered inside a transaction"
    assert len(seal_spy) == 7 and not any(seal_spy), "a PDF was sealed inside a transaction"


@pytest.mark.django_db(transaction=True)
def test_the_spy_would_see_a_render_under_a_lock(render_spy):
    """The check above can fail: a render inside a transaction is recorded as such."""
    from django.db import transaction

    with transaction.atomic():
        pdf_module.render_pdf("documents/pdf/notice.html", {"subject": "x", "body": "y"})
    assert render_spy == [True]
