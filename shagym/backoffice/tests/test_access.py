"""Isolation (issue 5 §6): staff see and act only on the complaints of the bodies they serve; inspectors read
across bodies but act only on their own authority's; a user of another body is refused (403/404) and never shown
the data; nothing changes a complaint except the lifecycle services."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shagym.complaints import attachments, services
from shagym.complaints.models import Complaint, ComplaintEvent, Recommendation
from shagym.documents.models import Letter

from ..models import AnswerDraft
from ..views.actions import ACTIONS
from .conftest import login

pytestmark = pytest.mark.django_db

PAGES = ["staff-home", "bo-desk", "bo-intake", "bo-inbox", "bo-mine", "bo-quality", "bo-bodies",
         "bo-recommendations", "bo-search", "bo-export"]

# A plausible POST for every action, so a refusal is about who asks, not about the input.
POSTS = {
    "satisfy": {"text": "x"}, "redirect": {"reason": "x"}, "request-content": {"items": ["iin"], "days": "5"},
    "supply-content": {"text": "x"}, "extend": {"days": "5", "ground": "more_information", "reasons": "x"},
    "extension-notice": {"channel": "post"}, "hearing": {"held_on": "2026-11-02", "notes": "x"},
    "return-draft": {"comment": "x"}, "leave": {"ground": "withdrawn"}, "withdraw": {"reason": "x"},
    "deliver": {"method": "post", "delivered_on": "2026-11-02"}, "recommend": {"text": "x", "due_date": "2026-12-01"},
}


@pytest.fixture
def case(paper, head, executor, now):
    """The ministry's paper complaint, assigned, with an attachment, a talon, a draft."""
    attachments.store(complaint=paper, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", "application/pdf"))
    services.assign_executor(actor=head, complaint=paper, executor=executor, now=now)
    AnswerDraft.objects.create(complaint=paper, outcome="perform", reasons="Жоба", updated_by=executor)
    return paper


@pytest.fixture
def recommendation(qa_case, inspector, ministry, now):
    event = services.recommend(actor=inspector, complaint=qa_case, body=ministry, text="Қалпына келтіру.",
                               due_date=now.date().replace(day=20), now=now)
    return Recommendation.objects.get(pk=event.payload.recommendation)


def complaint_urls(complaint: Complaint) -> list[tuple[str, str, dict]]:
    """Every back-office URL about one complaint: (method, url, data)."""
    urls = []
    for name in ("bo-case", "bo-answer", "bo-answer-pdf", "bo-talon"):
        urls.append(("get", reverse(name, args=[complaint.pk]), {}))
    urls.append(("post", reverse("bo-talon", args=[complaint.pk]), {}))
    urls.append(("post", reverse("bo-answer", args=[complaint.pk]),
                 {"outcome": "perform", "reasons": "x", "send": "1"}))
    for slug in ACTIONS:
        url = reverse("bo-action", args=[complaint.pk, slug])
        urls.append(("get", url, {}))
        urls.append(("post", url, POSTS.get(slug, {})))
    for attachment in complaint.attachments.all():
        urls.append(("get", reverse("bo-attachment", args=[attachment.pk]), {}))
    for letter in Letter.objects.filter(complaint=complaint):
        urls.append(("get", reverse("bo-letter", args=[letter.pk]), {}))
        urls.append(("get", reverse("bo-letter-pdf", args=[letter.pk]), {}))
    return urls


def state_of(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (complaint.snapshot(), ComplaintEvent.objects.count(), Letter.objects.count(),
            list(AnswerDraft.objects.values_list("reasons", flat=True)),
            list(Recommendation.objects.values_list("status", "report")))


def secrets_of(complaint: Complaint) -> list[str]:
    return [complaint.number, complaint.iin, complaint.surname, complaint.postal_address]


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode(errors="replace")


# ---- A user of another body ----------------------------------------------------------------------------------------


def test_outsider_gets_404_for_every_url_and_action_and_changes_nothing(case, outsider):
    client = login(outsider)
    before = state_of(case)
    for method, url, data in complaint_urls(case):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        for secret in secrets_of(case):
            assert secret not in body(response), (method, url)
    assert state_of(case) == before


def test_outsider_lists_and_searches_never_show_the_data(case, outsider):
    client = login(outsider)
    for name in PAGES:
        for query in ({}, {"q": case.iin}, {"q": case.number}, {"q": case.surname}):
            response = client.get(reverse(name), query)
            assert response.status_code in (200, 403), name
            text = body(response)
            assert "No complaint matches" in text or name != "bo-search"
            for secret in secrets_of(case):
                if secret != query.get("q"):  # the page may repeat what was typed, never what was found
                    assert secret not in text, (name, query)


def test_outsider_cannot_act_on_recommendations_of_another_body(recommendation, outsider):
    for step, data in (("report", {"report": "x"}), ("confirm", {"accepted": "yes"})):
        url = reverse("bo-recommendation-action", args=[recommendation.pk, step])
        assert login(outsider).get(url).status_code == 404
        assert login(outsider).post(url, data).status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ISSUED


def test_letter_of_a_forwarded_complaint_stays_with_the_sender_only(against_provider, provider_clerk, clerk,
                                                                   outsider):
    login(provider_clerk).post(reverse("bo-action", args=[against_provider.pk, "forward"]))
    letter = Letter.objects.get(kind=Letter.Kind.FORWARDING)
    assert login(provider_clerk).get(reverse("bo-letter-pdf", args=[letter.pk])).status_code == 200
    assert login(clerk).get(reverse("bo-letter-pdf", args=[letter.pk])).status_code == 200  # now holds the complaint
    assert login(outsider).get(reverse("bo-letter-pdf", args=[letter.pk])).status_code == 404
    talon = Letter.objects.get(kind=Letter.Kind.TALON, complaint=against_provider)
    assert login(outsider).get(reverse("bo-letter", args=[talon.pk])).status_code == 404


# ---- No staff role at all ------------------------------------------------------------------------------------------


def test_applicant_is_refused_the_back_office_even_for_own_complaint(registered, applicant):
    client = login(applicant)
    for name in PAGES[1:]:
        assert client.get(reverse(name)).status_code == 403, name
    for method, url, data in complaint_urls(registered):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert client.get(reverse("staff-home")).status_code == 200  # a page that says where to go instead


def test_anonymous_is_sent_to_sign_in(registered, client):
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 302
    for method, url, data in complaint_urls(registered):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "login" in response["Location"], url


# ---- Each role on its own body's complaint -------------------------------------------------------------------------

PAGE_ACCESS = {
    # persona: the pages it may open (others: 403)
    "clerk": {"staff-home", "bo-desk", "bo-intake", "bo-search", "bo-export"},
    # SHAGYM_HEAD_MAY_REVIEW: a head may take a complaint himself, and then finds it under "My complaints".
    "head": {"staff-home", "bo-inbox", "bo-mine", "bo-recommendations", "bo-search", "bo-export"},
    "executor": {"staff-home", "bo-mine", "bo-search", "bo-export"},
    "inspector": {"staff-home", "bo-mine", "bo-quality", "bo-bodies", "bo-recommendations", "bo-search", "bo-export"},
}

# RULES §10-§23 through the state table: what each persona of the ministry may do on the ministry's complaint
# (the executor is the one appointed). The inspector reads the ministry's complaint but may do nothing on it.
ACTION_ACCESS = {
    "clerk": {"register", "forward", "redirect", "request-content", "supply-content", "return", "extension-notice",
              "withdraw", "deliver", "close"},
    "head": {"register", "forward", "satisfy", "redirect", "request-content", "return", "assign", "extend",
             "extension-notice", "hearing", "return-draft", "sign", "leave", "deliver", "close"},
    "executor": {"request-content", "extend", "extension-notice", "hearing", "deliver"},
    "inspector": set(),
}


@pytest.mark.parametrize("persona", sorted(PAGE_ACCESS))
def test_role_pages(persona, request):
    user = request.getfixturevalue(persona)
    client = login(user)
    for name in PAGES:
        expected = 200 if name in PAGE_ACCESS[persona] else 403
        assert client.get(reverse(name)).status_code == expected, (persona, name)


@pytest.mark.parametrize("persona", sorted(ACTION_ACCESS))
def test_role_actions_on_own_body(persona, case, request):
    user = request.getfixturevalue(persona)
    client = login(user)
    assert client.get(reverse("bo-case", args=[case.pk])).status_code == 200
    before = state_of(case)
    for slug in ACTIONS:
        url = reverse("bo-action", args=[case.pk, slug])
        if slug in ACTION_ACCESS[persona]:
            assert client.get(url).status_code == 200, (persona, slug)
        else:
            assert client.get(url).status_code == 403, (persona, slug)
            assert client.post(url, POSTS.get(slug, {})).status_code == 403, (persona, slug)
    assert state_of(case) == before
    answer = reverse("bo-answer", args=[case.pk])
    assert client.get(answer).status_code == (200 if persona in {"head", "executor"} else 403)


def test_inspector_reads_across_bodies_but_acts_only_on_his_authority(case, qa_case, inspector):
    client = login(inspector)
    before = state_of(case)
    for method, url, data in complaint_urls(case):
        response = getattr(client, method)(url, data)
        if method == "get" and "/do/" not in url and "/answer/" not in url:
            assert response.status_code in (200, 404), url  # 404: a document not issued yet
        else:
            assert response.status_code == 403, (method, url)
    assert state_of(case) == before
    # On the quality authority's own complaint, appointed to him, he recommends and extends.
    for slug in ("recommend", "extend", "hearing"):
        assert client.get(reverse("bo-action", args=[qa_case.pk, slug])).status_code == 200


def test_staff_of_the_provider_do_not_see_the_ministry(case, provider_clerk):
    assert login(provider_clerk).get(reverse("bo-case", args=[case.pk])).status_code == 404


# ---- Only the lifecycle changes a complaint --------------------------------------------------------------------------

FORBIDDEN = [
    re.compile(r"\.status\s*=[^=]"),
    re.compile(r"Complaint\.objects\.(create|update|bulk_create|bulk_update|get_or_create|update_or_create)"),
    re.compile(r"complaint\.save\("),
    re.compile(r"\.update\(\s*status"),
    re.compile(r"setattr\(\s*complaint"),
]


def test_back_office_code_never_writes_a_complaint_itself():
    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(pattern.search(line) for pattern in FORBIDDEN):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_case_pages_recommendations_follow_the_same_rule_as_every_list(recommendation, qa_case, decided, inspector,
                                                                            head, clerk, qa_clerk, outsider):
    """access.recommendations_on (the case page's, without a join) gives each person exactly what
    access.recommendations_for gives on the same complaints: the addressed body, the holder, inspectors; no one else."""
    from shagym.complaints import access

    on = {decided.pk: decided.holder_id, qa_case.pk: qa_case.holder_id}
    for person in (inspector, head, clerk, qa_clerk, outsider):
        expected = set(access.recommendations_for(person).filter(complaint_id__in=on))
        assert set(access.recommendations_on(person, on)) == expected, person
    assert recommendation in set(access.recommendations_on(head, on))  # addressed to the ministry
    assert not access.recommendations_on(outsider, on).exists()
    page = login(head).get(reverse("bo-case", args=[decided.pk])).content.decode()
    assert "Қалпына келтіру." in page
