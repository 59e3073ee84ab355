"""API keys in the Django admin: create (the key is shown once, then only its prefix), revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import keys
from .models import ApiKey, Scope


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    roles = forms.MultipleChoiceField(
        label=_("roles"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(role.value, role.label) for role in keys.KEY_ROLES],
        help_text=_("The roles the key's system user holds in the organisation (the clerk's for submitting)."),
    )

    class Meta:
        model = ApiKey
        fields = ("organisation", "name", "scopes", "roles", "expires_at")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("prefix", "name", "organisation", "scopes", "roles", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "organisation__name_kk", "organisation__name_ru", "organisation__key")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("prefix", "user", "revoked_at", "last_used_at", "created_at", "created_by")
    actions = ("revoke",)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        if obj is not None:
            return (*self.readonly_fields, "organisation")
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            super().save_model(request, obj, form, change)
            keys.sync_memberships(obj)
            return
        key, token = keys.issue(
            organisation=data["organisation"], name=data["name"], scopes=data["scopes"], roles=data["roles"],
            expires_at=data.get("expires_at"), created_by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = key.pk
        obj.refresh_from_db()
        messages.warning(request, gettext("The API key (shown only now; keep it secret): %(key)s") % {"key": token})

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        at = timezone.now()
        for key in queryset.select_related("user"):
            keys.revoke(key, at=at)
        messages.success(request, gettext("Revoked."))
