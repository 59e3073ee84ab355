"""Access codes for the status check without an account (paper and post complaints, RULES §5): part of the
complaint's identity, printed once on its talon.

We keep only a keyed hash of the code, so a leaked database does not let anyone read a status. The code has 8
characters from a 31-letter alphabet (about 40 bits) drawn with `secrets`; with the attempt limits of the status
page, guessing one is out of reach."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from shagym.db import only_row

from .models import AccessCode, Complaint

# No 0/O, 1/I/L: the code is read off paper and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_SALT = "shagym.portal.codes"  # the salt of the hashes already stored: changing it would void every printed code


def _hash(code: str) -> str:
    return salted_hmac(_SALT, normalise_code(code), algorithm="sha256").hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def normalise_number(number: str) -> str:
    return "".join(ch for ch in (number or "").strip() if ch.isdigit() or ch == "-")


def format_code(code: str) -> str:
    """"ABCD-EFGH": easier to read aloud and to copy."""
    return f"{code[:4]}-{code[4:]}"


def new_code() -> str:
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


@transaction.atomic
def store_access_code(complaint: Complaint, code: str) -> None:
    """Make `code` the complaint's code (its hash). The code printed on an earlier talon stops working."""
    AccessCode.objects.update_or_create(
        complaint=complaint, defaults={"code_hash": _hash(code), "created_at": timezone.now()}
    )


def issue_access_code(complaint: Complaint) -> str:
    """A new code for this complaint, in plain text this once. (The documents layer prints a talon with a new code
    and stores it in one transaction with the talon; this is the same in one call.)"""
    code = new_code()
    store_access_code(complaint, code)
    return code


def check_access_code(number: str, code: str) -> Complaint | None:
    """The complaint with this registration number, if the code is its code; otherwise None. No rate limit here:
    the status page counts the attempts (shagym.portal.status). One query: the complaint with its code's hash."""
    complaint = (
        only_row(Complaint.objects.select_related("reviewing_body", "holder", "access_code")
                 .filter(number=normalise_number(number)))
        if number
        else None
    )
    try:
        expected = complaint.access_code.code_hash if complaint is not None else None
    except AccessCode.DoesNotExist:
        expected = None
    # Compare even when there is nothing to compare with, so the time taken does not tell whether the number exists.
    ok = constant_time_compare(_hash(code), expected or _hash("-"))
    return complaint if complaint is not None and expected is not None and ok else None
