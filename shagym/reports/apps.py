from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "shagym.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from shagym.complaints import events

        from .facts import refresh_for_event

        # Right after commit, in the process that acted: one narrow row per complaint and the monthly tallies move by
        # the difference it makes (a few small writes). The sweep's catch-up replays what a crash lost; replaying an
        # event changes nothing, because the row is recomputed from the complaint as it stands.
        events.subscribe("reports", handle=refresh_for_event)
