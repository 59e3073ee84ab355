from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shagym.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from shagym.complaints import events

        from .services import LETTERS, issue_missing

        # Rendered in the process that acted, right after its commit (no row is locked then): the clerk prints the
        # letter on the next page. The sweep's catch-up issues what a crash left out.
        events.subscribe("documents", handle=issue_missing, actions=LETTERS)
