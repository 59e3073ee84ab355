"""The complaint form: every step, every validation error (in kk and ru), the late warning, attachments checked by
content, and the idempotent submit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action, AddresseeKind, State
from shagym.portal.wizard import SESSION_KEY

from .conftest import BIN, JPEG, PDF, PNG
from .wizard_steps import answers, fill, start, step_url, url

LANGUAGES = ["kk", "ru"]


def _addressee(ministry) -> str:  # type: ignore[no-untyped-def]
    return f"{AddresseeKind.CENTRAL.value}:{ministry.pk}"


def test_the_form_needs_an_account(client, db):
    response = client.get(url("complaint-start"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_step_cannot_be_skipped(applicant_client):
    start(applicant_client)
    response = applicant_client.get(step_url("facts"))
    assert response.status_code == 302
    assert response["Location"].endswith(step_url("who"))


def test_applicant_files_a_complaint_step_by_step(applicant_client, verified, provider, ministry, service):
    fill(applicant_client, provider, addressee=_addressee(ministry), service=service)
    check = applicant_client.get(url("complaint-check"))
    assert check.status_code == 200
    key = applicant_client.session[SESSION_KEY]["key"]
    assert key.startswith(f"portal-{verified.pk}-")
    assert "Қасымов" in check.content.decode()
    response = applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == url("complaint-sent", complaint.pk)
    assert complaint.status == State.RECEIVED
    assert complaint.applicant_user == verified
    assert complaint.reviewing_body == ministry and complaint.respondent == provider
    assert complaint.service == service
    assert complaint.language == "kk"
    assert complaint.phones == "+7 701 123 45 67"
    assert [o.surname for o in complaint.officials.all()] == ["Қасымов"]
    assert ComplaintEvent.objects.filter(complaint=complaint, action=Action.SUBMIT).count() == 1
    sent = applicant_client.get(response["Location"])
    assert sent.status_code == 200
    assert str(complaint.pk) in sent.content.decode()


def test_a_double_click_or_a_retry_files_one_complaint(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry))
    key = applicant_client.session[SESSION_KEY]["key"]
    first = applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    second = applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"] == url("complaint-sent", Complaint.objects.get().pk)


def test_a_retry_after_the_session_is_gone_still_finds_the_complaint(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry))
    key = applicant_client.session[SESSION_KEY]["key"]
    applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    session = applicant_client.session
    del session[SESSION_KEY]
    session.save()
    again = applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    assert again["Location"] == url("complaint-sent", Complaint.objects.get().pk)
    assert Complaint.objects.count() == 1


def test_a_submit_with_a_stale_key_files_nothing(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry))
    response = applicant_client.post(url("complaint-check"), {"idempotency_key": "portal-1-old"})
    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    _expect(response.content.decode(),
            gettext("This form was opened in another window or has expired. Check your answers and submit again."))


def test_another_users_key_does_not_show_their_complaint(client, applicant_client, provider, ministry, outsider):
    fill(applicant_client, provider, addressee=_addressee(ministry))
    key = applicant_client.session[SESSION_KEY]["key"]
    applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    client.force_login(outsider)
    start(client)
    response = client.post(url("complaint-check"), {"idempotency_key": key})
    assert response.status_code == 302
    assert response["Location"] != url("complaint-sent", Complaint.objects.get().pk)


# ---- Validation errors: each shown, translated into the active language, and nothing saved ----


def _post_step(client, step: str, data: dict, language: str):  # type: ignore[no-untyped-def]
    response = client.post(step_url(step, language), data)
    assert response.status_code == 200, f"{step} accepted bad input"
    return response.content.decode()


def _expect(content: str, message: str) -> None:
    assert escape(message) in content, message
    assert "error-summary" in content


INDIVIDUAL_CASES = [
    ({"surname": ""}, "Enter your surname as in your ID card."),
    ({"first_name": ""}, "Enter your first name as in your ID card."),
    ({"iin": ""}, "Enter your IIN: 12 digits, on your ID card."),
    ({"iin": "90051730000"}, "The IIN has 12 digits; you entered %(count)d. Check it against your ID card."),
    ({"iin": "9005173000AB"}, "The IIN has digits only. Check it against your ID card."),
    ({"iin": "900517300001"}, "This IIN is not valid: a digit is probably mistyped. Check it against your ID card."),
    ({"postal_address": ""}, "Enter your postal address: the answer may be sent there."),
    ({"phones": "12345"}, "Enter a Kazakhstan phone number in the format +7 701 123 45 67."),
    ({"email": "not-an-email"}, "Enter an e-mail address like name@example.kz."),
    ({"surname": "Ж" * 151}, "Shorten this to %(limit_value)d characters or fewer."),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("change", "message"), INDIVIDUAL_CASES)
def test_individual_details_errors(applicant_client, provider, ministry, language, change, message):
    fill(applicant_client, provider, addressee=_addressee(ministry), language=language, until="details")
    data = {**answers(provider, addressee="")["details"], **change}
    content = _post_step(applicant_client, "details", data, language)
    with translation.override(language):
        text = gettext(message)
    if "%(count)d" in text:
        text = text % {"count": 11}
    if "%(limit_value)d" in text:
        text = text % {"limit_value": 150}
    _expect(content, text)
    assert "details" not in applicant_client.session[SESSION_KEY]["steps"]


LEGAL_CASES = [
    ({"legal_name": ""}, "Enter the name of the organisation as registered."),
    ({"bin": ""}, "Enter the BIN of the organisation: 12 digits."),
    ({"bin": "1504"}, "The BIN has 12 digits; you entered %(count)d. Check it against the registration."),
    ({"bin": "15044000000x"}, "The BIN has digits only. Check it against the registration."),
    ({"bin": BIN[:-1] + str((int(BIN[-1]) + 1) % 10)},
     "This BIN is not valid: a digit is probably mistyped. Check it against the registration."),
    ({"outgoing_number": ""}, "Enter the outgoing number of your letter, for example 12/45."),
    ({"outgoing_date": ""}, "Enter the date of your letter, for example 20.03.2026."),
    ({"outgoing_date": "31.02.2026"}, "Enter a real date, for example 20.03.2026."),
    ({"outgoing_date": "2999-01-01"}, "The date of the letter cannot be in the future."),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("change", "message"), LEGAL_CASES)
def test_legal_entity_details_errors(applicant_client, provider, ministry, language, change, message):
    fill(applicant_client, provider, addressee=_addressee(ministry), language=language, until="details",
         who={"applicant_kind": "legal"})
    data = {"legal_name": "«Балапан» ЖШС", "bin": BIN, "outgoing_number": "12/45", "outgoing_date": "2026-11-02",
            "postal_address": "Алматы қ.", "phones": "", "email": "", **change}
    content = _post_step(applicant_client, "details", data, language)
    with translation.override(language):
        text = gettext(message)
    _expect(content, text % {"count": 4} if "%(count)d" in text else text)


STEP_CASES = [
    ("who", {}, "Choose whether you complain as a person or for an organisation."),
    ("who", {"applicant_kind": "robot"}, "Choose whether you complain as a person or for an organisation."),
    ("body", {}, "Choose the body whose decision or action you complain about. Search for it above if it is not in "
                 "the list."),
    ("body", {"respondent": "999999"}, "Choose the body from the list. Search for it above if it is not there."),
    ("officials", {"officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0"},
     "Choose what you complain about: a decision, an action or inaction."),
    ("officials", {"appealed_act": "decision", "officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0"},
     "Add at least one official whose decision or action you complain about: position, surname and initials. If "
     "you do not know the name, write the position and “unknown”."),
    ("officials", {"appealed_act": "decision", "officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0",
                   "officials-0-position": "басшы"}, "Enter the official's surname."),
    ("officials", {"appealed_act": "decision", "officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0",
                   "officials-0-surname": "Қасымов"}, "Enter the official's initials, for example Б.Т."),
    ("service", {}, "Choose the public service, or “The service is not in the list”."),
    ("service", {"service": "abc"}, "Choose the public service from the list, or “The service is not in the list”."),
    ("facts", {"learned_on": ""}, "Enter the date you learned of the decision or action, for example 20.03.2026."),
    ("facts", {"learned_on": "2026-13-45"}, "Enter a real date, for example 20.03.2026."),
    ("facts", {"learned_on": "2999-01-01"}, "The date cannot be in the future. Enter the day you learned of it."),
    ("facts", {"learned_on": "1999-12-31"}, "Enter a date after 01.01.2000."),
    ("facts", {"circumstances": "  "}, "Describe what happened: when you applied, for what, and what the body did."),
    ("facts", {"reasons": ""}, "Explain why you disagree: which right or rule was broken."),
    ("facts", {"demands": ""}, "Say what you ask the body to do, for example to provide the service."),
    ("facts", {"language": "en"}, "Choose the language of the complaint: Kazakh or Russian."),
    ("facts", {"restoration_requested": "on", "restoration_reason": ""},
     "Write why you missed the term, or untick the request."),
    ("addressee", {}, "Choose to whom you address the complaint."),
    ("addressee", {"addressee": "akim:1"}, "Choose to whom you address the complaint from the list."),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("step", "data", "message"), STEP_CASES)
def test_step_errors(applicant_client, provider, ministry, service, language, step, data, message):
    base = answers(provider, addressee=_addressee(ministry), service=service)
    fill(applicant_client, provider, addressee=_addressee(ministry), service=service, language=language, until=step)
    if step == "facts":
        data = {**base["facts"], **data}
    content = _post_step(applicant_client, step, data, language)
    with translation.override(language):
        _expect(content, gettext(message))
    assert step not in applicant_client.session[SESSION_KEY]["steps"]


def test_inaction_needs_no_official(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="officials")
    response = applicant_client.post(step_url("officials"), {
        "appealed_act": "inaction", "officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert applicant_client.session[SESSION_KEY]["steps"]["officials"]["officials"] == []


def test_add_another_official_works_without_javascript(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="officials")
    data = {**answers(provider, addressee="")["officials"], "action": "add"}
    response = applicant_client.post(step_url("officials"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="officials-1-position"' in content
    assert 'value="Қасымов"' in content
    assert "error-summary" not in content
    data = {**data, "action": "continue", "officials-TOTAL_FORMS": "2", "officials-1-position": "маман",
            "officials-1-surname": "Серікова", "officials-1-initials": "А.Б."}
    assert applicant_client.post(step_url("officials"), data).status_code == 302
    officials = applicant_client.session[SESSION_KEY]["steps"]["officials"]["officials"]
    assert [o["surname"] for o in officials] == ["Қасымов", "Серікова"]


def test_body_search_finds_kazakh_names_in_any_case(applicant_client, provider, ministry):
    provider.name_kk = "Алматы қаласының Білім басқармасы"
    provider.save()
    fill(applicant_client, provider, addressee=_addressee(ministry), until="body")
    response = applicant_client.get(step_url("body") + "?q=БІЛІМ")
    content = response.content.decode()
    assert "Алматы қаласының Білім басқармасы" in content
    assert ministry.name_kk not in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_late_complaint_is_warned_once_and_never_blocked(applicant_client, provider, ministry, language):
    fill(applicant_client, provider, addressee=_addressee(ministry), language=language, until="facts")
    data = {**answers(provider, addressee="")["facts"], "learned_on": (dt.date.today() - dt.timedelta(days=200)).isoformat()}
    warned = applicant_client.post(step_url("facts", language), data)
    assert warned.status_code == 200
    content = warned.content.decode()
    assert 'name="late_seen"' in content and 'name="restoration_requested"' in content
    assert "error-summary" not in content
    accepted = applicant_client.post(step_url("facts", language), {
        **data, "late_seen": "1", "restoration_requested": "on", "restoration_reason": "Ауруханада болдым."})
    assert accepted.status_code == 302
    facts = applicant_client.session[SESSION_KEY]["steps"]["facts"]
    assert facts["restoration_requested"] is True


def test_late_complaint_is_filed_with_the_restoration_request(applicant_client, provider, ministry):
    late = (dt.date.today() - dt.timedelta(days=200)).isoformat()
    fill(applicant_client, provider, addressee=_addressee(ministry),
         facts={"learned_on": late, "restoration_requested": "on", "restoration_reason": "Ауруханада болдым."})
    key = applicant_client.session[SESSION_KEY]["key"]
    applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    complaint = Complaint.objects.get()
    assert complaint.restoration_requested and complaint.restoration_reason == "Ауруханада болдым."
    assert complaint.events.get(action=Action.SUBMIT).data["late"] is True


# ---- Attachments ----


def _upload(client, *files, action="upload"):  # type: ignore[no-untyped-def]
    return client.post(step_url("attachments"), {"files": list(files), "action": action})


@pytest.mark.parametrize(("content", "kind"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_attachments_are_typed_by_their_content(applicant_client, provider, ministry, content, kind):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="attachments")
    # The name says .txt, the content decides.
    response = _upload(applicant_client, SimpleUploadedFile("шешім.txt", content, content_type="text/plain"))
    assert response.status_code == 302
    stored = applicant_client.session[SESSION_KEY]["attachments"]
    assert stored[0]["content_type"] == kind
    assert stored[0]["name"].startswith("шешім.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_attachment_errors(applicant_client, provider, ministry, settings, language):
    settings.SHAGYM_ATTACHMENT_MAX_MB = 1
    settings.SHAGYM_ATTACHMENT_MAX_FILES = 2
    fill(applicant_client, provider, addressee=_addressee(ministry), language=language, until="attachments")
    cases = [
        (SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"),
         "The file “%(name)s” is not a PDF, JPEG or PNG. Save it in one of these formats and attach it again.", "a.pdf"),
        (SimpleUploadedFile("b.pdf", b""), "The file “%(name)s” is empty. Choose the file again.", "b.pdf"),
        (SimpleUploadedFile("c.pdf", b"%PDF-" + b"0" * (1024 * 1024)),
         "The file “%(name)s” is larger than %(size)d MB. Make it smaller, for example scan at a lower resolution, "
         "and attach it again.", "c.pdf"),
    ]
    for upload, message, name in cases:
        response = applicant_client.post(step_url("attachments", language), {"files": [upload], "action": "upload"})
        assert response.status_code == 200
        with translation.override(language):
            _expect(response.content.decode(), gettext(message) % {"name": name, "size": 1})
    assert applicant_client.session[SESSION_KEY]["attachments"] == []
    _upload(applicant_client, SimpleUploadedFile("1.pdf", PDF), SimpleUploadedFile("2.png", PNG))
    response = applicant_client.post(step_url("attachments", language),
                                     {"files": [SimpleUploadedFile("3.pdf", PDF)], "action": "upload"})
    with translation.override(language):
        _expect(response.content.decode(), gettext(
            "You can attach at most %(count)d files. Remove one before adding “%(name)s”.") % {"count": 2, "name": "3.pdf"})
    assert len(applicant_client.session[SESSION_KEY]["attachments"]) == 2


def test_an_attachment_can_be_removed(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="attachments")
    _upload(applicant_client, SimpleUploadedFile("1.pdf", PDF))
    stored = applicant_client.session[SESSION_KEY]["attachments"][0]["stored"]
    applicant_client.post(step_url("attachments"), {"remove": stored})
    assert applicant_client.session[SESSION_KEY]["attachments"] == []


def test_attachments_reach_the_complaint(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="attachments")
    _upload(applicant_client, SimpleUploadedFile("шешім.pdf", PDF), SimpleUploadedFile("photo.png", PNG),
            action="continue")
    applicant_client.post(step_url("addressee"), {"addressee": _addressee(ministry)})
    key = applicant_client.session[SESSION_KEY]["key"]
    applicant_client.post(url("complaint-check"), {"idempotency_key": key})
    complaint = Complaint.objects.get()
    assert sorted(a.content_type for a in complaint.attachments.all()) == ["application/pdf", "image/png"]
    assert {a.name for a in complaint.attachments.all()} == {"шешім.pdf", "photo.png"}


# ---- The addressee ----


def test_the_addressees_follow_the_body_and_show_their_terms(applicant_client, provider, ministry, quality_authority):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="addressee")
    response = applicant_client.get(step_url("addressee"))
    content = response.content.decode()
    assert f'value="provider_head:{provider.pk}"' in content
    assert f'value="central:{ministry.pk}"' in content
    assert f'value="quality_authority:{quality_authority.pk}"' in content
    assert "15" in content and "5" in content


def test_changing_the_body_drops_an_addressee_that_no_longer_fits(applicant_client, provider, ministry, other_body):
    fill(applicant_client, provider, addressee=_addressee(ministry))
    applicant_client.post(step_url("body") + "?from=check", {"respondent": other_body.pk})
    assert "addressee" not in applicant_client.session[SESSION_KEY]["steps"]
    assert applicant_client.get(url("complaint-check"))["Location"].endswith(step_url("addressee"))


def test_change_links_return_to_the_check_page(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry))
    data = {**answers(provider, addressee="")["facts"], "demands": "Жаңа талап.", "late_seen": "1"}
    response = applicant_client.post(step_url("facts") + "?from=check", data)
    assert response["Location"] == url("complaint-check")




@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_from_the_service_links_to_the_step_to_fix(applicant_client, provider, ministry, language):
    """The form checks first, but the service has the last word (RULES §3): its message is shown, translated,
    with a link to the page where the answer is given, and nothing is filed."""
    fill(applicant_client, provider, addressee=_addressee(ministry), language=language)
    session = applicant_client.session
    session[SESSION_KEY]["steps"]["details"]["iin"] = "123"
    session.save()
    response = applicant_client.post(url("complaint-check", language=language),
                                     {"idempotency_key": session[SESSION_KEY]["key"]})
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override(language):
        _expect(content, gettext("The IIN must be 12 digits with a valid check digit: check it against the ID card."))
        assert f'href="{step_url("details", language)}?from=check"' in content
    assert Complaint.objects.count() == 0


def test_tampered_input_never_breaks_a_page(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="officials")
    for total in ("abc", "999", "-1", ""):
        for action in ("add", "continue"):
            response = applicant_client.post(step_url("officials"), {
                "appealed_act": "decision", "officials-TOTAL_FORMS": total, "officials-INITIAL_FORMS": "0",
                "action": action})
            assert response.status_code in (200, 302), (total, action)
    assert applicant_client.get(step_url("body") + "?territory=x&q=" + "я" * 500).status_code == 200
    assert applicant_client.get(step_url("nonsense")).status_code == 302
    assert applicant_client.post(step_url("attachments"), {"remove": "../../etc/passwd"}).status_code in (200, 302)
    assert applicant_client.post(url("status-check"), {"number": "'; DROP TABLE", "code": "x" * 500}).status_code == 200


def test_a_pdf_with_javascript_is_refused_on_the_form(applicant_client, provider, ministry):
    from shagym.complaints.tests.test_attachments import JAVASCRIPT_ON_OPEN

    fill(applicant_client, provider, addressee=_addressee(ministry), language="en", until="attachments")
    response = applicant_client.post(step_url("attachments", "en"), {
        "files": [SimpleUploadedFile("invoice.pdf", JAVASCRIPT_ON_OPEN)], "action": "upload"})
    assert response.status_code == 200
    assert "contains a script or a command that starts a program (JavaScript)" in response.content.decode()
    assert applicant_client.session[SESSION_KEY]["attachments"] == []


def test_draft_files_wait_under_random_names(applicant_client, provider, ministry):
    fill(applicant_client, provider, addressee=_addressee(ministry), until="attachments")
    _upload(applicant_client, SimpleUploadedFile("шешім.pdf", PDF), SimpleUploadedFile("шешім.pdf", PDF))
    stored = [a["stored"] for a in applicant_client.session[SESSION_KEY]["attachments"]]
    assert len(set(stored)) == 2 and all(len(name) == 36 and name.endswith(".pdf") for name in stored)
