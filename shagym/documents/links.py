"""Where the QR code on a document leads, and the site's own address."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from shagym.complaints.models import Complaint


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def status_url(complaint: Complaint, *, access_code: str | None = None) -> str:
    """The status check with the number and code filled in (a paper talon), or the complaint's page in the personal
    cabinet (a portal complaint, whose applicant has an account). In the complaint's language."""
    with translation.override(complaint.language):
        if access_code and complaint.number:
            query = urlencode({"number": complaint.number, "code": access_code})
            return absolute(reverse("status-check") + "?" + query)
        return absolute(reverse("cabinet-complaint", args=[complaint.pk]))


def verify_url(number: str, language: str) -> str:
    """The verification page of a document (its QR code), in the document's language."""
    with translation.override(language):
        return absolute(reverse("verify-document", args=[number]))
