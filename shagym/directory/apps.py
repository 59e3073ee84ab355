from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "shagym.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        # The signals that retire cached memberships and calendar overrides, in every process (the admin's too).
        from . import calendar, memberships  # noqa: F401
