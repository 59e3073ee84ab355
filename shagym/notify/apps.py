from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "shagym.notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from shagym.complaints import events
        from shagym.complaints.states import Action

        from . import counts
        from .catalog import EVENT_KINDS
        from .services import announce_event, hand_off

        # After commit the event's id goes to the task queue (the worker writes and sends the messages); the
        # sweep's catch-up hands over what a crash or a queue outage lost.
        events.subscribe("notify", handle=announce_event, hand_off=hand_off, actions=EVENT_KINDS)
        # A complaint filed: its applicant's navigation now shows the personal cabinet.
        events.subscribe("navigation", handle=counts.complaint_filed, actions=[Action.SUBMIT])
