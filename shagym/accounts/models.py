from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: an applicant or a member of staff (staff roles come from memberships)."""

    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    position = models.CharField(_("position in Kazakh"), max_length=200, blank=True)
    position_ru = models.CharField(_("position in Russian"), max_length=200, blank=True)

    @property
    def localised_position(self) -> str:
        """The position in the active language: a document is wholly in the complaint's language (RULES §23)."""
        if (get_language() or "")[:2] == "ru":
            return self.position_ru or self.position
        return self.position or self.position_ru

    @property
    def initials_name(self) -> str:
        """"Surname I. P." as printed on a talon (RULES §5)."""
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip() or self.get_username()
