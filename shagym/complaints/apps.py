from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "shagym.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .history import register_sqlite_function

        # SQLite's trigger refusing to delete events asks this function (migration 0007).
        connection_created.connect(register_sqlite_function, dispatch_uid="shagym_history_locked")
