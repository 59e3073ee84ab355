from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/deadline/", views.deadline_calculator, name="deadline-calculator"),
]
