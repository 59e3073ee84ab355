"""The applicant's documents as PDF, in the complaint's language: the talon (receipt), the extension notice and
the answer. Rendered by shagym.documents.render_pdf with DejaVu fonts (all Kazakh letters)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from shagym.complaints.models import Complaint
from shagym.complaints.states import Channel
from shagym.documents import qr_svg, render_pdf

from . import timeline


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def status_url(complaint: Complaint, *, access_code: str | None = None) -> str:
    """Where the QR code leads: the status check with the number and code filled in (paper talons), or the
    complaint's page in the personal cabinet (portal complaints, whose applicant has an account)."""
    with translation.override(complaint.language):
        if access_code and complaint.number:
            return _absolute(reverse("status-check") + "?" + urlencode({"number": complaint.number,
                                                                         "code": access_code}))
        return _absolute(reverse("cabinet-complaint", args=[complaint.pk]))


def render_talon(complaint: Complaint, *, access_code: str | None = None) -> bytes:
    """RULES §5 (АППК 64(2)): number, date and time, the receiver (office intake), the body, the due date, and a
    QR code to the status page. The back office passes the code from codes.issue_access_code for paper talons."""
    with translation.override(complaint.language):
        url = status_url(complaint, access_code=access_code)
        context = {
            "complaint": complaint,
            "deadline": timeline.deadline(complaint),
            "status": timeline.status_label(complaint),
            "access_code": access_code,
            "office": complaint.channel != Channel.PORTAL,
            "qr": qr_svg(url, scale=3),
            "url": url,
            "printed_at": timezone.localtime(),
            "LANGUAGE_CODE": complaint.language,
        }
        return render_pdf("portal/pdf/talon.html", context, language=complaint.language)


def render_answer(complaint: Complaint) -> bytes:
    """RULES §23 (АППК 101): the reasoned answer as delivered to the personal cabinet."""
    with translation.override(complaint.language):
        context = {
            "complaint": complaint,
            "outcome_words": timeline.OUTCOME_WORDS.get(complaint.outcome, ""),
            "court_until": timeline.court_until(complaint),
            "LANGUAGE_CODE": complaint.language,
        }
        return render_pdf("portal/pdf/answer.html", context, language=complaint.language)


def render_extension_notice(complaint: Complaint) -> bytes:
    """RULES §14: the notice of an extended term, with its reasons."""
    with translation.override(complaint.language):
        context = {"complaint": complaint, "LANGUAGE_CODE": complaint.language}
        return render_pdf("portal/pdf/extension_notice.html", context, language=complaint.language)
