from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "shagym.complaints"
    verbose_name = _("Complaints")
