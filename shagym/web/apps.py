from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "shagym.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        # The admin's titles in our words and languages (Django's Kazakh catalogue calls it "Даңғо сайтының әкімі").
        from django.contrib import admin

        admin.site.site_header = _("Shagym: administration")
        admin.site.site_title = _("Shagym administration")
        admin.site.index_title = _("Reference data and settings")
