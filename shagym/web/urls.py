from django.urls import include, path

from . import opendata, staff, views

urlpatterns = [
    path("", include("shagym.portal.urls")),
    path("calendar/deadline/", views.deadline_calculator, name="deadline-calculator"),
    path("open-data/", opendata.open_data, name="open-data"),
    path("open-data/<slug:name>.<slug:fmt>", opendata.open_data_file, name="open-data-file"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify_document, name="verify-document"),
    path("accounts/two-factor/", include("shagym.security.urls")),
    path("accounts/", include("allauth.urls")),
    path("staff/calendar-changes/", staff.calendar_changes, name="calendar-changes"),
    path("staff/", include("shagym.backoffice.urls")),
]
