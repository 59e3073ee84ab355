from django.core.management.base import BaseCommand

from shagym.complaints import demo


class Command(BaseCommand):
    help = "Load real reference data, one demo user per role and sample complaints in every state (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        demo.load(log=self.stdout.write)
