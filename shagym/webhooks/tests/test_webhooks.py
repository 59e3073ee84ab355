"""Webhooks fed from the events seam: signed per Standard Webhooks, verified by the reference library on a loopback
receiver, each event delivered exactly once per subscription, also when the first attempts fail."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from shagym.complaints import events
from shagym.complaints import services as lifecycle
from shagym.complaints.states import Action, Refused
from shagym.complaints.tests.factories import complaint_input
from shagym.webhooks import services
from shagym.webhooks.models import DeliveryStatus, FeedEntry, WebhookAttempt, WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


def subscribe(organisation, url, **kw):
    return services.create_subscription(organisation=organisation, url=url, contact_email="it@minjust.kz", **kw)


def three_events(applicant, clerk, head, executor, ministry, committed):
    with committed():
        complaint = lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry)).complaint
    with committed():
        lifecycle.register_complaint(actor=clerk, complaint=complaint)
    with committed():
        lifecycle.assign_executor(actor=head, complaint=complaint, executor=executor)
    return complaint


def retry_until_quiet(rounds: int = 8) -> None:
    """The sweep puts due retries back on the queue (the immediate backend cannot defer them); time moves on."""
    moment = timezone.now()
    for _ in range(rounds):
        moment += dt.timedelta(hours=1)
        with time_machine.travel(moment, tick=False):
            if not services.sweep():
                return


def test_a_receiver_verifies_every_delivery_and_gets_each_event_once_even_when_the_first_attempts_fail(
    receiver, applicant, clerk, head, executor, ministry, committed
):
    hook = receiver(fail_first=2)
    subscription = subscribe(ministry, hook.url)
    hook.secret = subscription.secret

    complaint = three_events(applicant, clerk, head, executor, ministry, committed)
    assert WebhookDelivery.objects.count() == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    retry_until_quiet()

    assert hook.rejected == []
    assert sorted(hook.accepted_ids) == sorted(WebhookDelivery.objects.values_list("message_id", flat=True))
    assert len(set(hook.accepted_ids)) == len(hook.accepted_ids) == 3  # each once
    assert [p["data"]["action"] for p in sorted(hook.accepted, key=lambda p: p["data"]["position"])] == [
        Action.SUBMIT, Action.REGISTER, Action.ASSIGN]
    assert {p["data"]["complaint"]["id"] for p in hook.accepted} == {complaint.pk}
    assert all(p["type"] == f"complaint.{p['data']['action']}" for p in hook.accepted)
    # Three attempts each, every one in the log; the same webhook-id on each retry.
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.DELIVERED, 3)}
    assert WebhookAttempt.objects.count() == 9 and WebhookAttempt.objects.filter(ok=True).count() == 3
    assert set(hook.attempts.values()) == {3}

    # Handing the events over again (the sweep's catch-up) makes nothing, sends nothing.
    made, failed = events.catch_up(now=timezone.now() + dt.timedelta(hours=1))
    assert (made, failed) == (0, 0)
    retry_until_quiet()
    assert len(hook.accepted_ids) == 3 and WebhookDelivery.objects.count() == 3


def test_only_the_events_of_the_subscribers_complaints_and_actions_go_out(
    receiver, applicant, clerk, head, executor, ministry, other_body, committed
):
    ours, theirs = receiver(), receiver()
    mine = subscribe(ministry, ours.url, actions=[Action.REGISTER])
    other = subscribe(other_body, theirs.url)
    ours.secret, theirs.secret = mine.secret, other.secret
    three_events(applicant, clerk, head, executor, ministry, committed)
    assert [p["data"]["action"] for p in ours.accepted] == [Action.REGISTER]
    assert theirs.accepted == []


def test_a_failing_receiver_is_disabled_and_the_organisation_told(
    receiver, applicant, clerk, head, executor, ministry, committed, settings, mailoutbox
):
    settings.SHAGYM_WEBHOOK_DISABLE_AFTER = 4
    hook = receiver(fail_first=1000)
    subscription = subscribe(ministry, hook.url)
    three_events(applicant, clerk, head, executor, ministry, committed)
    retry_until_quiet()

    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_at and "500" in subscription.disabled_reason
    assert subscription.notice_sent_at is not None
    (mail,) = [m for m in mailoutbox if m.to == ["it@minjust.kz"]]
    assert hook.url in mail.subject
    assert sum(hook.attempts.values()) == 4  # nothing more is sent once it is disabled
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()

    services.enable(subscription)
    assert WebhookSubscription.objects.get(pk=subscription.pk).is_active


def test_a_receiver_on_a_private_address_is_refused_unless_allowed(
    receiver, applicant, ministry, committed, settings
):
    settings.SHAGYM_WEBHOOK_ALLOW_PRIVATE = False
    hook = receiver()
    subscription = subscribe(ministry, hook.url)
    hook.secret = subscription.secret
    with committed():
        lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry))
    assert hook.attempts == {}
    attempt = WebhookAttempt.objects.get()
    assert "PrivateAddress" in attempt.error


def test_urls_are_checked(ministry, settings):
    settings.SHAGYM_WEBHOOK_REQUIRE_HTTPS = True
    for url in ("ftp://example.kz/x", "http://example.kz/x", "https://user:pw@example.kz/", "example.kz"):
        with pytest.raises(Refused):
            subscribe(ministry, url)
    assert subscribe(ministry, "https://example.kz/hooks").url == "https://example.kz/hooks"
    with pytest.raises(Refused):
        subscribe(ministry, "https://example.kz/hooks", actions=["explode"])


def test_the_signature_is_the_standard_one():
    from standardwebhooks.webhooks import Webhook

    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    signature = services.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')
    assert signature == Webhook(secret).sign(
        "msg_p5jXN8AQM9LWM0D4loKWxJek", dt.datetime.fromtimestamp(1614265330, tz=dt.UTC), '{"test": 2432232314}')
    # The example of the specification.
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_delivery_body_is_frozen_with_its_feed_position(receiver, applicant, ministry, committed):
    hook = receiver()
    subscription = subscribe(ministry, hook.url)
    hook.secret = subscription.secret
    with committed():
        lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry))
    (payload,) = hook.accepted
    assert payload["data"]["position"] == FeedEntry.objects.get().position
    assert payload["data"]["actor"] == applicant.pk and payload["data"]["role"] == "applicant"
