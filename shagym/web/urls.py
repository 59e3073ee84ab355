from django.urls import include, path

from . import staff, views

urlpatterns = [
    path("", include("shagym.portal.urls")),
    path("calendar/deadline/", views.deadline_calculator, name="deadline-calculator"),
    path("accounts/", include("allauth.urls")),
    path("staff/calendar-changes/", staff.calendar_changes, name="calendar-changes"),
    path("staff/", include("shagym.backoffice.urls")),
]
