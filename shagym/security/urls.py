from django.urls import path

from . import views

urlpatterns = [
    path("", views.manage, name="two-factor"),
    path("verify/", views.verify, name="two-factor-verify"),
    path("setup/", views.enrol, name="two-factor-enrol"),
    path("setup/done/", views.enrolled, name="two-factor-enrolled"),
    path("recovery-codes/", views.new_codes, name="two-factor-new-codes"),
    path("off/", views.turn_off, name="two-factor-off"),
]
