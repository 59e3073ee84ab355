"""Submit, read, list and act on complaints through the API: the same services as the pages, problems for every
refusal, Idempotency-Key on every POST."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shagym.api.models import Scope
from shagym.api.tests.conftest import Api, complaint_body
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action, State
from shagym.directory.roles import Role
from shagym.documents.models import Letter

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_submit_answers_201_with_the_complaint_and_its_location(api, ministry):
    body = complaint_body(service=None, phones="+7 701 000 00 00", email="a@example.kz")
    response = api.post("/complaints", body)
    assert response.status_code == 201
    complaint = response.json()
    assert response["Location"].endswith(f"/api/v1/complaints/{complaint['id']}")
    assert complaint["status"] == State.RECEIVED and complaint["channel"] == "office"
    assert complaint["holder"]["key"] == "minjust" and complaint["reviewing_body"]["key"] == "minjust"
    assert complaint["applicant"]["iin"] == body["iin"] and complaint["applicant"]["email"] == "a@example.kz"
    assert complaint["officials"] == body["officials"]
    assert "register" in complaint["actions"]
    stored = Complaint.objects.get(pk=complaint["id"])
    assert (stored.circumstances, stored.demands, stored.received_by) == (
        body["circumstances"], body["demands"], api_user(api))


def api_user(api):
    from shagym.api.models import ApiKey

    return ApiKey.objects.get(prefix=api.token[:12]).user


def test_a_legal_entity_gives_its_bin_and_letter(api):
    from shagym.complaints.identifiers import make_bin

    response = api.post("/complaints", complaint_body(
        applicant_kind="legal", surname="", first_name="", iin="", legal_name="ТОО «Шағым»",
        bin=make_bin(2015, 3), outgoing_number="12/34", outgoing_date="2026-11-01"))
    assert response.status_code == 201, response.content
    assert response.json()["applicant"]["outgoing_number"] == "12/34"


def test_an_upload_is_checked_by_content_and_bound_at_filing(api):
    fake = api.client.post("/api/v1/uploads", {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")},
                           headers=api.headers())
    assert fake.status_code == 422 and fake.json()["errors"][0]["field"] == "attachments"

    upload = api.client.post("/api/v1/uploads", {"file": SimpleUploadedFile("анықтама.pdf", PDF)},
                             headers=api.headers({"Idempotency-Key": "upload-1"}))
    assert upload.status_code == 201, upload.content
    token = upload.json()["id"]
    again = api.client.post("/api/v1/uploads", {"file": SimpleUploadedFile("анықтама.pdf", PDF)},
                            headers=api.headers({"Idempotency-Key": "upload-1"}))
    assert again.json()["id"] == token  # the retried upload (another multipart boundary) is the same upload

    response = api.post("/complaints", complaint_body(attachments=[token]))
    assert response.status_code == 201, response.content
    (attachment,) = response.json()["attachments"]
    assert attachment["content_type"] == "application/pdf" and attachment["size"] == len(PDF)
    reused = api.post("/complaints", complaint_body(attachments=[token]))
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "attachments"


def test_a_replayed_idempotency_key_returns_the_same_complaint(api):
    body = complaint_body()
    first = api.post("/complaints", body, key="eotinish-2026-000123")
    second = api.post("/complaints", body, key="eotinish-2026-000123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.filter(action=Action.SUBMIT).count() == 1


def test_the_same_key_with_another_body_is_a_422(api):
    assert api.post("/complaints", complaint_body(), key="k-1").status_code == 201
    response = api.post("/complaints", complaint_body(demands="Басқа талап."), key="k-1")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Complaint.objects.count() == 1


def test_an_action_replayed_with_its_key_is_done_once(api, received):
    first = api.post(f"/complaints/{received.pk}/register", key="reg-1")
    second = api.post(f"/complaints/{received.pk}/register", key="reg-1")
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert api.post(f"/complaints/{received.pk}/register", key="reg-2").status_code == 409
    assert ComplaintEvent.objects.filter(complaint=received, action=Action.REGISTER).count() == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "The IIN must be 12 digits"), ("ru", "ИИН"), ("kk", "ЖСН")],
)
def test_invalid_input_is_a_problem_with_its_field_in_the_callers_language(client, ministry_key, language, expected):
    api = Api(client, ministry_key[1], language=language)
    response = api.post("/complaints", complaint_body(iin="123456789012"))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["errors"][0]["field"] == "iin"
    assert expected in problem["detail"]


def test_schema_errors_name_every_field(api):
    response = api.post("/complaints", {"applicant_kind": "robot", "learned_on": "yesterday", "surname": "x" * 151})
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"applicant_kind", "learned_on", "surname", "postal_address", "reviewing_body"} <= fields


def test_garbage_is_a_problem_never_a_500(api):
    for body in ("{", "null", "[]", '"x"', '{"surname": "\\u0000"}'):
        response = api.client.post("/api/v1/complaints", body, content_type="application/json",
                                   headers=api.headers())
        assert response.status_code in (400, 422), (body, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json")


def test_unknown_body_and_service_are_named(api):
    response = api.post("/complaints", complaint_body(reviewing_body="nowhere"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reviewing_body"
    response = api.post("/complaints", complaint_body(service="NO-SUCH"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "service"


def test_a_key_cannot_file_as_the_portal(api):
    response = api.post("/complaints", complaint_body(channel="portal"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "channel"


def test_list_filters_and_cursor_pages(api, ministry):
    ids = [api.post("/complaints", complaint_body(), key=f"k{i}").json()["id"] for i in range(5)]
    api.post(f"/complaints/{ids[0]}/register")
    page = api.get("/complaints", {"limit": 2})
    assert [item["id"] for item in page.json()["items"]] == ids[::-1][:2]
    seen = []
    params = {"limit": 2}
    while True:
        body = api.get("/complaints", params).json()
        seen += [item["id"] for item in body["items"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert seen == ids[::-1]
    assert [i["id"] for i in api.get("/complaints", {"status": "registered"}).json()["items"]] == [ids[0]]
    assert len(api.get("/complaints", {"body": "minjust", "channel": "office"}).json()["items"]) == 5
    assert api.get("/complaints", {"overdue": "true"}).json()["items"] == []
    today = dt.date.today().isoformat()
    assert len(api.get("/complaints", {"received_from": today, "received_to": today}).json()["items"]) == 5
    assert api.get("/complaints", {"status": "nonsense"}).status_code == 422
    assert api.get("/complaints", {"cursor": "!!"}).status_code == 422


def test_the_whole_lifecycle_by_one_system(client, ministry, make_key, committed):
    """A key with the clerk's, head's and executor's roles takes every step; each answer carries the event."""
    key, token = make_key(ministry, roles=(Role.CLERK, Role.HEAD, Role.EXECUTOR))
    api = Api(client, token)
    with committed():
        pk = api.post("/complaints", complaint_body()).json()["id"]
    steps = [
        ("register", {}, State.REGISTERED),
        ("assign", {"executor": key.user.username}, State.UNDER_REVIEW),
        ("extend", {"days": 3, "ground": "further_study", "reasons": "Тексеру қажет."}, State.EXTENDED),
        ("extension-notice", {"channel": "post"}, State.EXTENDED),
        ("hearing", {"held_on": dt.date.today().isoformat(), "notes": "Өтініш беруші тыңдалды."}, State.EXTENDED),
        ("propose", {"outcome": "perform", "reasons": "Заңның 25-бабы бойынша."}, State.AWAITING_SIGNATURE),
        ("return-draft", {"comment": "Дәлелдерді толықтырыңыз."}, State.EXTENDED),
        ("propose", {"outcome": "perform", "reasons": "Заңның 25-бабы бойынша, толық."}, State.AWAITING_SIGNATURE),
        ("sign", {}, State.DECIDED),
        ("deliver", {"method": "post"}, State.ANSWER_DELIVERED),
        ("close", {}, State.CLOSED),
    ]
    for index, (action, body, status) in enumerate(steps):
        with committed():
            response = api.post(f"/complaints/{pk}/{action}", body, key=f"step-{index}")
        assert response.status_code == 200, (action, response.content)
        answer = response.json()
        assert answer["complaint"]["status"] == status, action
        assert answer["event"]["status_after"] == status and answer["event"]["role"]
    documents = api.get(f"/complaints/{pk}/documents").json()
    answer = next(d for d in documents if d["kind"] == Letter.Kind.ANSWER)
    pdf = api.get(f"/complaints/{pk}/documents/{answer['id']}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert api.get(f"/complaints/{pk}/documents/receipt").content.startswith(b"%PDF")
    assert api.get(f"/complaints/{pk}/documents/999999").status_code == 404


def test_the_state_machine_refusal_is_a_409_with_its_reason(api, registered):
    response = api.post(f"/complaints/{registered.pk}/sign")
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"].endswith("conflict") and "registered" in problem["detail"]


def test_a_role_the_key_does_not_hold_is_a_403(client, ministry, make_key, registered):
    _key, token = make_key(ministry, roles=(Role.CLERK,))
    response = Api(client, token).post(f"/complaints/{registered.pk}/assign", {"executor": "executor"})
    assert response.status_code == 403


def test_invalid_action_input_is_a_422_with_the_field(api, under_review, head):
    response = api.post(f"/complaints/{under_review.pk}/leave", {"ground": "because"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ground"


def test_redirect_answers_with_a_null_complaint_once_it_has_left(api, registered, other_body):
    response = api.post(f"/complaints/{registered.pk}/redirect", {"target": "minedu", "reason": "Құзыретті емес."})
    assert response.status_code == 200, response.content
    assert response.json()["complaint"] is None and response.json()["event"]["action"] == Action.REDIRECT
    assert api.get(f"/complaints/{registered.pk}").status_code == 404


def test_the_quality_authority_recommends_and_controls_execution(client, make_key, quality_authority, ministry,
                                                                 qa_under_review, inspector):
    _qa, qa_token = make_key(quality_authority, roles=(Role.INSPECTOR, Role.CLERK))
    _m, ministry_token = make_key(ministry, roles=(Role.HEAD,))
    qa, body = Api(client, qa_token), Api(client, ministry_token)
    qa_user = _qa.user
    # The inspector's actions need the complaint assigned to the key's own user.
    from shagym.complaints import services

    services.assign_executor(actor=_head_of(quality_authority), complaint=qa_under_review, executor=qa_user)
    due = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    response = qa.post(f"/complaints/{qa_under_review.pk}/recommend",
                       {"body": "minjust", "text": "Анықтаманы беру.", "due_date": due})
    assert response.status_code == 200, response.content
    rec = response.json()["event"]["data"]["recommendation"]
    assert body.post(f"/recommendations/{rec}/report", {"report": "Берілді."}).status_code == 200
    confirmed = qa.post(f"/recommendations/{rec}/confirm", {"accepted": True})
    assert confirmed.status_code == 200, confirmed.content
    assert qa.get(f"/complaints/{qa_under_review.pk}").json()["recommendations"][0]["status"] == "executed"


def _head_of(organisation):
    from shagym.complaints.tests.factories import UserFactory, member

    return member(UserFactory(username=f"head-{organisation.key}"), organisation, Role.HEAD)


def test_the_applicant_session_reads_its_own_and_files_on_the_portal(client, applicant, registered, ministry):
    client.force_login(applicant)
    api = Api(client)
    assert api.get(f"/complaints/{registered.pk}").json()["executor"] is None
    response = api.post("/complaints", complaint_body(channel=None))
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "portal"
    assert Complaint.objects.get(pk=response.json()["id"]).applicant_user == applicant
    assert api.post(f"/complaints/{registered.pk}/register").status_code == 403  # not the applicant's action
    assert api.post(f"/complaints/{registered.pk}/withdraw", {"reason": "Шешілді."}).status_code == 200


def test_the_session_needs_the_csrf_token_for_a_post(applicant, ministry):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = Api(client).post("/complaints", complaint_body(channel=None))
    assert response.status_code == 403


def test_a_body_over_the_limit_is_a_413(api, settings):
    settings.SHAGYM_API_MAX_BODY_KB = 1
    response = api.post("/complaints", complaint_body(circumstances="ы" * 2000))
    assert response.status_code == 413 and response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("store", ["database", "redis"])
def test_rate_limits_answer_429_with_retry_after(api, settings, client, store, request):
    if store == "redis":  # counted in Redis, as deploy/ runs it (skipped without redis-server)
        from django.core.cache import caches

        settings.CACHES = {"default": {"BACKEND": "shagym.redis_cache.SharedClientRedisCache",
                                       "LOCATION": request.getfixturevalue("redis_url")}}
        caches["default"].clear()
    settings.SHAGYM_API_RATE_PER_KEY = 3
    codes = [api.get("/complaints").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    response = api.get("/complaints")
    assert 1 <= int(response["Retry-After"]) <= settings.SHAGYM_API_RATE_WINDOW_SECONDS
    settings.SHAGYM_API_RATE_PER_KEY = 0
    settings.SHAGYM_API_RATE_PER_ADDRESS = 2
    codes = [client.get("/api/v1/bodies", REMOTE_ADDR="10.1.1.1").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/bodies", REMOTE_ADDR="10.1.1.2").status_code == 200


def test_reference_data_is_public_and_paged(client, ministry, other_body):
    bodies = client.get("/api/v1/bodies", {"limit": 1}).json()
    assert len(bodies["items"]) == 1 and bodies["next_cursor"]
    rest = client.get("/api/v1/bodies", {"after": bodies["next_cursor"]}).json()
    assert {b["key"] for b in bodies["items"] + rest["items"]} == {"minjust", "minedu"}
    assert client.get("/api/v1/bodies/minjust").json()["kind"] == "central"
    assert client.get("/api/v1/bodies/nowhere").status_code == 404
    assert client.get("/api/v1/territories").status_code == 200
    assert client.get("/api/v1/services").json()["items"] == []


def test_the_schema_documents_problems_and_every_status(client):
    schema = client.get("/api/v1/openapi.json").json()
    submit = schema["paths"]["/api/v1/complaints"]["post"]["responses"]
    assert {"201", "401", "403", "409", "413", "422", "429"} <= set(submit)
    assert "application/problem+json" in submit["422"]["content"]
    pdf = schema["paths"]["/api/v1/complaints/{complaint_id}/documents/{document_id}"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]
    assert client.get("/api/v1/docs").status_code == 200


def test_the_choices_in_the_schema_are_the_lifecycle_s():
    import typing

    from shagym.api import schemas
    from shagym.complaints.states import AddresseeKind, AppealedAct, ApplicantKind, Channel, Language

    for literal, choices in ((schemas.ApplicantKindIn, ApplicantKind), (schemas.AppealedActIn, AppealedAct),
                             (schemas.LanguageIn, Language), (schemas.AddresseeIn, AddresseeKind),
                             (schemas.ChannelIn, Channel)):
        assert set(typing.get_args(literal)) == set(choices.values)


def test_read_scope_alone_lists(client, ministry, make_key):
    _key, token = make_key(ministry, scopes=[Scope.READ])
    assert Api(client, token).get("/complaints").status_code == 200


def test_an_upload_of_a_pdf_with_javascript_is_refused(api):
    from shagym.complaints.tests.test_attachments import HEX_ESCAPED

    response = api.client.post("/api/v1/uploads", {"file": SimpleUploadedFile("x.pdf", HEX_ESCAPED)},
                               headers=api.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "attachments"
    assert "JavaScript" in response.json()["errors"][0]["message"]
