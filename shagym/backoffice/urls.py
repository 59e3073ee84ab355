from django.urls import path

from .views import actions, case, notices, queues, reports, search

urlpatterns = [
    path("", queues.staff_home, name="staff-home"),
    path("desk/", queues.desk, name="bo-desk"),
    path("desk/new/", actions.intake, name="bo-intake"),
    path("inbox/", queues.inbox, name="bo-inbox"),
    path("mine/", queues.mine, name="bo-mine"),
    path("quality/", queues.quality, name="bo-quality"),
    path("quality/bodies/", queues.bodies, name="bo-bodies"),
    path("recommendations/", queues.recommendations, name="bo-recommendations"),
    path("recommendations/<int:pk>/<slug:step>/", actions.recommendation_action, name="bo-recommendation-action"),
    path("search/", search.search, name="bo-search"),
    path("search/export.csv", search.export, name="bo-export"),
    path("search/export.xlsx", search.export, {"fmt": "xlsx"}, name="bo-export-xlsx"),
    path("reports/", reports.dashboard, name="bo-reports"),
    path("reports/ranking/", reports.ranking, name="bo-reports-ranking"),
    path("reports/<slug:table>.<slug:fmt>", reports.export, name="bo-reports-export"),
    path("complaints/<int:pk>/", case.case, name="bo-case"),
    path("complaints/<int:pk>/answer/", actions.answer, name="bo-answer"),
    path("complaints/<int:pk>/answer.pdf", case.answer_pdf, name="bo-answer-pdf"),
    path("complaints/<int:pk>/talon/", case.talon, name="bo-talon"),
    path("complaints/<int:pk>/do/<slug:slug>/", actions.complaint_action, name="bo-action"),
    path("attachments/<int:pk>/", case.attachment, name="bo-attachment"),
    path("letters/<int:pk>/", case.letter, name="bo-letter"),
    path("letters/<int:pk>/pdf/", case.letter_pdf, name="bo-letter-pdf"),
    path("messages/", notices.staff_messages, name="bo-messages"),
    path("print/", notices.print_queue, name="bo-print"),
    path("print/<int:pk>/letter.pdf", notices.letter_pdf, name="bo-print-pdf"),
    path("print/<int:pk>/posted/", notices.letter_posted, name="bo-print-posted"),
    path("outbox/", notices.outbox, name="bo-outbox"),
]
