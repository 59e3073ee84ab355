"""Webhook subscriptions by API: an organisation's key lists, creates (the signing secret is in that answer only)
and deletes its subscriptions, and reads their deliveries. The same as the admin does."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Status

from shagym.webhooks import services as webhooks
from shagym.webhooks.models import WebhookDelivery, WebhookSubscription

from . import idempotency, problems
from .auth import AUTH, Caller, caller
from .complaints import GET_ERRORS, IDEMPOTENCY_HEADER, POST_ERRORS
from .models import Scope
from .problems import Problem
from .schemas import MAX_ID, Done, WebhookDeliveryOut, WebhookIn, WebhookOut

router = Router(tags=["webhooks"], auth=AUTH)


def _key_caller(request: HttpRequest, scope: str) -> Caller:
    c = caller(request)
    if c.key is None:
        raise problems.forbidden(gettext("Webhooks are subscribed by an organisation's API key."))
    c.require(scope)
    return c


def out(subscription: WebhookSubscription, *, secret: bool = False) -> dict[str, Any]:
    return {
        "id": subscription.pk, "url": subscription.url, "description": subscription.description,
        "actions": list(subscription.actions), "contact_email": subscription.contact_email,
        "is_active": subscription.is_active, "disabled_at": subscription.disabled_at,
        "disabled_reason": subscription.disabled_reason, "secret": subscription.secret if secret else None,
    }


def _mine(c: Caller, subscription_id: int) -> WebhookSubscription:
    assert c.key is not None
    found = None
    if 1 <= subscription_id <= MAX_ID:
        found = WebhookSubscription.objects.filter(pk=subscription_id, organisation=c.key.organisation).first()
    if found is None:
        raise problems.not_found()
    return found


@router.get("/webhooks", response={200: list[WebhookOut], **GET_ERRORS}, summary="The organisation's subscriptions")
def list_webhooks(request: HttpRequest) -> Status:
    c = _key_caller(request, Scope.READ)
    assert c.key is not None
    subscriptions = WebhookSubscription.objects.filter(organisation=c.key.organisation).order_by("pk")
    return Status(200, [out(s) for s in subscriptions])


@router.post("/webhooks", response={201: WebhookOut, **POST_ERRORS}, summary="Subscribe a URL to the events",
             description="The events of the complaints the organisation holds (or held when they happened), signed "
             "per the Standard Webhooks specification with the `secret` in this answer (shown once).")
def create_webhook(request: HttpRequest, payload: WebhookIn,
                   idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    c = _key_caller(request, Scope.ACT)
    assert c.key is not None
    key = c.key

    def work() -> idempotency.Result:
        subscription = webhooks.create_subscription(
            organisation=key.organisation, url=payload.url, contact_email=payload.contact_email,
            actions=payload.actions, description=payload.description, created_by=c.user,
        )
        return idempotency.Result(201, out(subscription, secret=True))

    result = idempotency.run(request, c, work)
    return Status(result.status, result.body)


@router.delete("/webhooks/{subscription_id}", response={200: Done, **{k: Problem for k in (401, 403, 404, 413, 422, 429)}},
               summary="Delete a subscription")
def delete_webhook(request: HttpRequest, subscription_id: int) -> Status:
    c = _key_caller(request, Scope.ACT)
    webhooks.delete_subscription(_mine(c, subscription_id))
    return Status(200, {"detail": gettext("Deleted.")})


@router.get("/webhooks/{subscription_id}/deliveries", response={200: list[WebhookDeliveryOut], **GET_ERRORS},
            summary="The latest deliveries of a subscription")
def deliveries(request: HttpRequest, subscription_id: int,
               limit: int = Query(50, ge=1, le=200)) -> Status:
    c = _key_caller(request, Scope.READ)
    subscription = _mine(c, subscription_id)
    rows = WebhookDelivery.objects.filter(subscription=subscription).order_by("-pk")[:limit]
    return Status(200, [
        {"id": d.pk, "message_id": d.message_id, "status": d.status, "attempts": d.attempts,
         "next_attempt_at": d.next_attempt_at, "delivered_at": d.delivered_at, "last_error": d.last_error}
        for d in rows
    ])
