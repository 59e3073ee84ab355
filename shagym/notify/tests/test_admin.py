"""The outbox and the delivery log in the back office: readable by an administrator, not editable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shagym.complaints import services as complaints
from shagym.complaints.tests.factories import UserFactory
from shagym.notify.models import Delivery, Message

from .conftest import MONDAY, portal_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def sent(applicant, clerk, ministry, committed):
    with committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        return complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint


def test_the_outbox_shows_the_text_and_each_channel(admin_client_, sent):
    message = Message.objects.get(complaint=sent, kind="registered")
    page = admin_client_.get(reverse("admin:notify_message_changelist"))
    assert page.status_code == 200
    assert message.subject in page.content.decode()
    page = admin_client_.get(reverse("admin:notify_message_change", args=[message.pk]))
    assert page.status_code == 200
    assert "erlan@example.kz" in page.content.decode()
    delivery = Delivery.objects.filter(message=message).first()
    assert admin_client_.get(reverse("admin:notify_delivery_change", args=[delivery.pk])).status_code == 200
    assert admin_client_.get(reverse("admin:notify_delivery_changelist")).status_code == 200


def test_the_outbox_cannot_be_edited(admin_client_, sent):
    message = Message.objects.filter(complaint=sent).first()
    assert admin_client_.get(reverse("admin:notify_message_add")).status_code == 403
    assert admin_client_.post(reverse("admin:notify_message_change", args=[message.pk]), {"subject": "x"}).status_code == 403
    assert admin_client_.get(reverse("admin:notify_message_delete", args=[message.pk])).status_code == 403
