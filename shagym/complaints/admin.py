"""Read-only views of complaints for administrators: every change goes through the lifecycle services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AppealedOfficial, Attachment, Complaint, ComplaintEvent, Recommendation


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfficialInline(ReadOnlyInline):
    model = AppealedOfficial


class AttachmentInline(ReadOnlyInline):
    model = Attachment


class EventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ["at", "action", "actor", "role", "before", "after", "data"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "holder", "reviewing_body", "channel", "received_at", "due_date"]
    list_filter = ["status", "channel", "term_type", "language"]
    search_fields = ["number", "iin", "bin", "surname", "legal_name"]
    date_hierarchy = "received_at"
    inlines = [OfficialInline, AttachmentInline, EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["complaint", "body", "due_date", "status"]
    list_filter = ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
