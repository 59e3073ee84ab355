"""Open311 GeoReport v2: the service register, service definitions, requests in JSON and XML, filters, statuses
open/closed with notes, no personal data in the public answers, POST with an API key."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from shagym.complaints import services as lifecycle
from shagym.complaints.identifiers import make_iin
from shagym.complaints.models import Complaint
from shagym.complaints.tests.factories import ServiceFactory, complaint_input

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


@pytest.fixture
def service(db):
    return ServiceFactory(code="DEMO-01", name_en="Certificate of no criminal record")


@pytest.fixture
def filed(applicant, ministry, clerk, service):
    complaint = lifecycle.submit_complaint(
        actor=applicant, data=complaint_input(reviewing_body=ministry, service=service)
    ).complaint
    return lifecycle.register_complaint(actor=clerk, complaint=complaint).complaint


def test_services_in_json_and_xml(client, service):
    rows = client.get(f"{BASE}/services.json", headers={"Accept-Language": "en"}).json()
    assert rows == [{**rows[0], "service_code": "DEMO-01", "service_name": "Certificate of no criminal record",
                     "metadata": True, "type": "realtime"}]
    xml = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services" and xml.find("service/service_code").text == "DEMO-01"


def test_a_service_definition_names_what_a_complaint_needs(client, service):
    definition = client.get(f"{BASE}/services/DEMO-01.json").json()
    codes = {a["code"]: a for a in definition["attributes"]}
    assert {"reviewing_body", "appealed_act", "learned_on", "reasons", "demands"} <= set(codes)
    assert codes["reviewing_body"]["required"] and codes["language"]["datatype"] == "singlevaluelist"
    assert {"key": "kk", "name": "Kazakh"} in codes["language"]["values"] or codes["language"]["values"]
    assert ET.fromstring(client.get(f"{BASE}/services/DEMO-01.xml").content).find("attributes/attribute/code") is not None
    assert client.get(f"{BASE}/services/NOPE.json").status_code == 404


def test_requests_are_public_without_personal_data(client, filed):
    (row,) = client.get(f"{BASE}/requests.json", headers={"Accept-Language": "en"}).json()
    assert row["service_request_id"] == str(filed.pk) and row["status"] == "open"
    assert row["status_notes"] == "registered" and row["service_notice"] == filed.number
    assert row["service_code"] == "DEMO-01" and row["expected_datetime"].startswith(filed.due_date.isoformat())
    text = client.get(f"{BASE}/requests.json").content.decode()
    for personal in (filed.surname, filed.iin, filed.postal_address, filed.circumstances, filed.phones):
        assert personal not in text
    xml = ET.fromstring(client.get(f"{BASE}/requests/{filed.pk}.xml").content)
    assert xml.tag == "service_requests" and xml.find("request/status").text == "open"
    assert client.get(f"{BASE}/requests/999999.json").status_code == 404


def test_request_filters(client, filed, applicant, ministry):
    other = lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry)).complaint
    lifecycle.withdraw_complaint(actor=applicant, complaint=other)
    def ids(**params):
        return {r["service_request_id"] for r in client.get(f"{BASE}/requests.json", params).json()}

    assert ids() == {str(filed.pk), str(other.pk)}
    assert ids(status="open") == {str(filed.pk)}
    assert ids(status="closed") == {str(other.pk)}
    assert ids(service_code="DEMO-01") == {str(filed.pk)}
    assert ids(service_request_id=f"{other.pk},abc") == {str(other.pk)}
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == set()
    assert client.get(f"{BASE}/requests.json", {"status": "maybe"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
    assert client.get(f"{BASE}/requests.yaml").status_code == 404


def post_form(**overrides):
    form = {
        "service_code": "DEMO-01",
        "description": "Анықтама берілмеді.",
        "first_name": "Ерлан",
        "last_name": "Ахметов",
        "address_string": "Астана қ., Абай даңғылы, 10",
        "phone": "+7 701 123 45 67",
        "attribute[reviewing_body]": "minjust",
        "attribute[addressee_kind]": "central",
        "attribute[appealed_act]": "decision",
        "attribute[applicant_kind]": "individual",
        "attribute[iin]": make_iin(dt.date(1990, 5, 17)),
        "attribute[learned_on]": dt.date.today().isoformat(),
        "attribute[language]": "kk",
        "attribute[reasons]": "Құжаттар толық тапсырылды.",
        "attribute[demands]": "Анықтаманы беруді сұраймын.",
        "attribute[official_position]": "бөлім басшысы",
        "attribute[official_surname]": "Қасымов",
        "attribute[official_initials]": "Б.Т.",
    }
    form.update(overrides)
    return form


def test_post_files_a_complaint_with_an_api_key(client, service, ministry_key):
    assert client.post(f"{BASE}/requests.json", post_form()).status_code == 403
    response = client.post(f"{BASE}/requests.json", post_form(api_key=ministry_key[1]),
                           headers={"Idempotency-Key": "open311-1"})
    assert response.status_code == 201, response.content
    (row,) = response.json()
    complaint = Complaint.objects.get(pk=int(row["service_request_id"]))
    assert complaint.service == service and complaint.holder.key == "minjust" and complaint.channel == "office"
    assert complaint.received_by == ministry_key[0].user and complaint.officials.count() == 1
    again = client.post(f"{BASE}/requests.json", post_form(api_key=ministry_key[1]),
                        headers={"Idempotency-Key": "open311-1"})
    assert again.json() == response.json() and Complaint.objects.count() == 1


def test_post_refusals_are_open311_errors(client, service, ministry_key):
    response = client.post(f"{BASE}/requests.xml", post_form(**{"api_key": ministry_key[1],
                                                                "attribute[iin]": "123"}))
    assert response.status_code == 400
    assert ET.fromstring(response.content).find("error/description").text.startswith("attribute[iin]")
    response = client.post(f"{BASE}/requests.json", post_form(**{"api_key": ministry_key[1],
                                                                 "attribute[reviewing_body]": "nowhere"}))
    assert response.status_code == 400 and response.json()[0]["code"] == 400
