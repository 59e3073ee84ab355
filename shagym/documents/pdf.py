"""The one PDF renderer: Django templates to PDF with WeasyPrint, and QR codes as inline SVG.

Fonts come from the system packages (Debian `fonts-dejavu-core`), which carry every Kazakh letter
(Ә Ғ Қ Ң Ө Ұ Ү Һ І); the base template (`documents/base.html`) names them once. Nothing binary is committed.

Rendering takes tens to hundreds of milliseconds (seconds on the first call, while Pango loads): it must never run
while a database row is locked. The documents are rendered after the action has committed (services.py)."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, scale: int = 3) -> SafeString:
    """An inline SVG QR code (error correction M), safe to put in a template."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, dark="#000", light="#fff")
    return mark_safe(svg)  # nosec B308, B703 # segno builds the markup from the encoded data only


def render_pdf(template_name: str, context: dict[str, Any], *, language: str | None = None,
               number: str | None = None, verify_url: str | None = None) -> bytes:
    """Render a template to PDF, in `language` if given (a complaint's documents are in its language). With a
    document `number`, the foot of the document carries it and a QR code of `verify_url`, its verification page.
    The same input renders the same bytes (the head signs them; the page re-renders them to check)."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDF work needs it

    if number and verify_url:
        context = {**context, "document_number": number, "verify_url": verify_url, "verify_qr": qr_svg(verify_url, scale=2)}
    with translation.override(language) if language else translation.override(translation.get_language()):
        html = render_to_string(template_name, {"LANGUAGE_CODE": language or translation.get_language(), **context})
    return HTML(string=html).write_pdf()
