from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import staff, views

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/deadline/", views.deadline_calculator, name="deadline-calculator"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="home"), name="logout"),
    path("staff/calendar-changes/", staff.calendar_changes, name="calendar-changes"),
    path("staff/", include("shagym.backoffice.urls")),
]
