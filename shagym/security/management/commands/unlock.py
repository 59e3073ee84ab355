from django.core.management.base import BaseCommand, CommandParser

from shagym.security import lockout


class Command(BaseCommand):
    help = "Unlock the sign-in of these users (the lockout after failed attempts), from every address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="+")

    def handle(self, *args: object, **options: object) -> None:
        for username in options["usernames"]:  # type: ignore[attr-defined]
            count = lockout.unlock(str(username))
            self.stdout.write(f"{username}: {count} lockout record(s) removed")
