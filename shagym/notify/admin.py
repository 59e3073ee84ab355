"""The outbox and the delivery log in the back office, read-only: an administrator reads what went out, to whom,
on which channel, and what the servers answered. In development this is where messages are read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Delivery, DeliveryAttempt, Message


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fk_name = "message"
    fields = readonly_fields = (
        "medium", "address", "status", "attempts", "sent_at", "next_attempt_at", "reference", "last_error",
    )


class AttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    show_change_link = False
    fields = readonly_fields = ("at", "ok", "reference", "error")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "complaint", "addressee", "language", "subject", "channels"]
    list_filter = ["audience", "kind", "language", "deliveries__status", "deliveries__medium"]
    search_fields = ["complaint__number", "addressee", "subject", "dedup_key"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "created_at", "kind", "audience", "complaint", "event", "recipient", "addressee", "sender", "language",
        "subject", "body", "sms_text", "legal_reference", "notice_due", "document", "read_at", "dedup_key",
    )
    inlines = [DeliveryInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        return super().get_queryset(request).select_related("complaint").prefetch_related("deliveries")

    @admin.display(description=_("channels"))
    def channels(self, obj: Message) -> str:
        return ", ".join(f"{d.get_medium_display()}: {d.get_status_display()}" for d in obj.deliveries.all())


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "medium", "address", "status", "attempts", "sent_at", "message"]
    list_filter = ["status", "medium"]
    search_fields = ["address", "reference", "message__complaint__number", "message__subject"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "message", "medium", "address", "organisation", "status", "attempts", "next_attempt_at", "claimed_at",
        "sent_at", "reference", "last_error", "fallback_from", "posted_by", "created_at",
    )
    inlines = [AttemptInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return super().get_queryset(request).select_related("message")
