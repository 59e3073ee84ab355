from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shagym.security import twofactor


class Command(BaseCommand):
    help = "Reset the two-factor sign-in of a user (a lost phone): at the next sign-in they set it up again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: object) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        twofactor.reset(user)
        self.stdout.write(f"{user.get_username()}: two-factor sign-in reset")
