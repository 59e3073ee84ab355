from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="portal-help"),
    path("complaint/new/", views.complaint_start, name="complaint-start"),
    path("complaint/new/check/", views.complaint_check, name="complaint-check"),
    path("complaint/new/content.json", views.complaint_content, name="complaint-content"),
    path("complaint/new/<slug:step>/", views.complaint_step, name="complaint-step"),
    path("complaint/<int:pk>/sent/", views.complaint_sent, name="complaint-sent"),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/messages/", views.cabinet_messages, name="cabinet-messages"),
    path("cabinet/<int:pk>/", views.cabinet_complaint, name="cabinet-complaint"),
    path("cabinet/<int:pk>/talon.pdf", views.cabinet_talon, name="cabinet-talon"),
    path("cabinet/<int:pk>/answer.pdf", views.cabinet_answer, name="cabinet-answer"),
    path("cabinet/<int:pk>/extension.pdf", views.cabinet_extension, name="cabinet-extension"),
    path("cabinet/<int:pk>/messages/<int:notice_pk>/letter.pdf", views.cabinet_notice_letter,
         name="cabinet-notice-letter"),
    path("cabinet/<int:pk>/files/<int:attachment_pk>/", views.cabinet_attachment, name="cabinet-attachment"),
    path("cabinet/<int:pk>/withdraw/", views.cabinet_withdraw, name="cabinet-withdraw"),
    path("cabinet/<int:pk>/supply/", views.cabinet_supply, name="cabinet-supply"),
    path("cabinet/<int:pk>/quality-authority/", views.cabinet_second_tier, name="cabinet-second-tier"),
    path("status/", views.status_check, name="status-check"),
]
