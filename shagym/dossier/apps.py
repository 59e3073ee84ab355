from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "shagym.dossier"
    verbose_name = _("Case files")
