"""gateways.py: the SMS gateways and the mobile-number rule."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from shagym.notify.gateways import (
    FileSmsGateway,
    GatewayError,
    HttpSmsGateway,
    PermanentError,
    mobile_number,
    sms_gateway,
)

from .conftest import free_port


@pytest.mark.parametrize(
    ("phones", "expected"),
    [
        ("+7 701 123 45 67", "+77011234567"),
        ("8 (747) 123-45-67", "+77471234567"),
        ("7771234567", "+77771234567"),
        ("+7 7172 55 66 77, +7 705 000 11 22", "+77050001122"),  # Astana landline first, then a mobile
        ("+7 727 250 00 00", None),  # Almaty landline
        ("", None),
        ("12345", None),
    ],
)
def test_mobile_number(phones, expected):
    assert mobile_number(phones) == expected


def test_file_gateway_writes_one_file_per_sms(tmp_path):
    sms_id = FileSmsGateway(tmp_path).send(to="+77011234567", text="Шағым 26-001-00001 тіркелді.")
    [path] = tmp_path.glob("*.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["id"] == sms_id
    assert (record["to"], record["text"]) == ("+77011234567", "Шағым 26-001-00001 тіркелді.")


def test_the_setting_chooses_the_gateway(settings):
    settings.SHAGYM_SMS_GATEWAY = "shagym.notify.gateways.ConsoleSmsGateway"
    assert sms_gateway().send(to="+77011234567", text="x")


def test_http_gateway_posts_json_with_the_token(sms_provider):
    assert HttpSmsGateway().send(to="+77011234567", text="Жалоба 26-001-00001") == "sms-1"
    assert sms_provider.received == [{"to": "+77011234567", "text": "Жалоба 26-001-00001", "sender": "Shagym"}]
    assert sms_provider.headers[0]["Authorization"] == "Bearer test-token"


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (403, True), (429, False), (503, False)])
def test_http_gateway_tells_a_refusal_from_a_failure(sms_provider, status, permanent):
    sms_provider.status = status
    with pytest.raises(GatewayError) as caught:
        HttpSmsGateway().send(to="+77011234567", text="x")
    assert isinstance(caught.value, PermanentError) is permanent


def test_http_gateway_unreachable_is_retried(settings):
    settings.SHAGYM_SMS_HTTP_URL = f"http://127.0.0.1:{free_port()}/send"
    with pytest.raises(GatewayError) as caught:
        HttpSmsGateway().send(to="+77011234567", text="x")
    assert not isinstance(caught.value, PermanentError)


def test_http_gateway_needs_its_address(settings):
    settings.SHAGYM_SMS_HTTP_URL = ""
    with pytest.raises(ImproperlyConfigured):
        HttpSmsGateway()


def test_development_mail_is_one_readable_file_per_message(tmp_path, settings):
    """Issue 10, 14: every development e-mail, Kazakh subject and body and its PDF, readable in var/mail/."""
    from django.core.mail import EmailMessage

    from shagym.notify.mailbox import ReadableFileBackend

    settings.SHAGYM_MAIL_DIR = tmp_path / "mail"
    message = EmailMessage("№ 26-001-00001 шағым тіркелді", "Құрметті Ерлан Ахметов!\nШағымыңыз тіркелді.",
                           "shagym@localhost", ["erlan@example.kz"])
    message.attach("answer.pdf", b"%PDF-1.4 answer", "application/pdf")
    assert ReadableFileBackend().send_messages([message]) == 1
    [text] = list((tmp_path / "mail").glob("*.txt"))
    content = text.read_text(encoding="utf-8")
    assert "Subject: № 26-001-00001 шағым тіркелді" in content and "Шағымыңыз тіркелді." in content
    assert "=?utf-8?" not in content  # no encoded words
    [pdf] = list((tmp_path / "mail").glob("*answer.pdf"))
    assert pdf.read_bytes() == b"%PDF-1.4 answer"
