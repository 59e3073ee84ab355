"""Webhook subscriptions in the Django admin: create (the signing secret is shown once), disable, enable again; the
deliveries with every attempt, read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shagym.complaints.states import Action, Refused

from . import services
from .models import WebhookAttempt, WebhookDelivery, WebhookSubscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("receiver URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookSubscription
        fields = ("organisation", "url", "description", "actions", "contact_email", "is_active")

    def clean_url(self) -> str:
        try:
            return services.check_url(self.cleaned_data.get("url") or "")
        except Refused as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_actions(self) -> list[str]:
        actions = self.cleaned_data.get("actions") or []
        if not isinstance(actions, list) or not set(actions) <= set(Action.values):
            raise forms.ValidationError(gettext("A list of actions, e.g. [\"register\", \"sign_decision\"]."))
        return actions


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("organisation", "url", "is_active", "consecutive_failures", "disabled_at", "notice_sent_at")
    list_filter = ("is_active",)
    search_fields = ("url", "organisation__name_kk", "organisation__name_ru", "contact_email")
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "url", "description", "actions", "contact_email", "is_active", "consecutive_failures",
              "disabled_at", "disabled_reason", "notice_sent_at", "created_at", "created_by")
    readonly_fields = ("consecutive_failures", "disabled_at", "disabled_reason", "notice_sent_at", "created_at",
                       "created_by")
    actions = ("enable_again",)

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                gettext("Signing secret of this subscription (shown only now; give it to the receiver): %(secret)s")
                % {"secret": obj.secret},
            )

    @admin.action(description=_("Enable again (reset the failure count)"))
    def enable_again(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for subscription in queryset:
            services.enable(subscription)


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "ok", "status_code", "error", "duration_ms")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("message_id", "subscription", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status",)
    search_fields = ("message_id",)
    readonly_fields = ("subscription", "entry", "message_id", "body", "status", "attempts", "next_attempt_at",
                       "claimed_at", "delivered_at", "last_error", "created_at")
    inlines = (AttemptInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
