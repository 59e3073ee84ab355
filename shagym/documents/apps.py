from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shagym.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from shagym.complaints import events

        from .services import LETTERS, issue_missing

        # Rendered after the commit (no row is locked then): by the worker from the events' outbox, or by the process
        # that acted. A page that needs the letter at once issues it itself (issue_for_event, ensure_letter); the
        # sweep's catch-up issues what a crash left out.
        events.subscribe("documents", handle=issue_missing, actions=LETTERS)
