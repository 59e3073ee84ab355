from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "shagym.webhooks"
    label = "webhooks"
    verbose_name = _("Events feed and webhooks")

    def ready(self) -> None:
        from shagym.complaints import events

        from .feed import append

        # Every event, right after its commit, in the process that acted (a short transaction: the feed position
        # and the webhook deliveries); the sweep's catch-up appends what a crash lost, at a later position.
        events.subscribe("feed", handle=append)
