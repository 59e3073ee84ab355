from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "shagym.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from shagym.notify.sweep import register_housekeeping

        from . import housekeeping

        register_housekeeping(housekeeping.tidy)
