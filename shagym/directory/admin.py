"""The administrator's reference data: territories, organisations and their staff, services, calendar overrides."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import CalendarOverride, Membership, Organisation, Service, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["kato", "name_kk", "name_ru", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["kato", "name_kk", "name_ru", "name_en"]
    autocomplete_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_ru", "name_kk", "kind", "territory", "reviewer", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["key", "name_kk", "name_ru", "name_en", "bin"]
    autocomplete_fields = ["parent", "territory", "reviewer"]
    inlines = [MembershipInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_kk", "name_ru"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
    filter_horizontal = ["providers"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organisation__name_ru", "organisation__name_kk"]
    autocomplete_fields = ["user", "organisation"]


class CalendarOverrideForm(forms.ModelForm):
    # The day as every page writes it (02.12.2026), or as the date picker sends it.
    day = forms.DateField(
        label=_("day"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=AdminDateWidget(format="%d.%m.%Y"),
        help_text=_("For example 02.12.2026."),
        error_messages={"invalid": _("Enter the day as 02.12.2026.")},
    )

    class Meta:
        model = CalendarOverride
        fields = ["day", "working", "reason", "reference"]

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        # RULES §18: an override is a real order about a real year; the calendar covers 2000-2100.
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise forms.ValidationError(_("Enter a day between 2000 and 2100."))
        return day


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """RULES §18: transfer orders and the confirmed Kurban Ait date. Saving here changes the calendar version;
    the complaints whose due date would move are then listed for review (Back office, "Calendar changes")."""

    list_display = ["day", "working", "reason", "reference", "created_by", "created_at"]
    list_filter = ["working"]
    search_fields = ["reason", "reference"]
    date_hierarchy = "day"
    readonly_fields = ["created_by", "created_at"]
    form = CalendarOverrideForm

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: object, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarOverride]:
        return super().get_queryset(request).select_related("created_by")
