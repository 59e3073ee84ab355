"""PDF documents (talons, answer letters, notices) rendered from Django templates with WeasyPrint.

Fonts come from the system packages (Debian `fonts-dejavu-core`), which carry every Kazakh letter
(Ә Ғ Қ Ң Ө Ұ Ү Һ І); nothing binary is committed. QR codes are drawn by segno as inline SVG."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, scale: int = 3) -> SafeString:
    """An inline SVG QR code (error correction M), safe to put in a template."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, dark="#000", light="#fff")
    return mark_safe(svg)  # safe: segno builds the markup from the encoded data only


def render_pdf(template_name: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    """Render a template to PDF, in `language` if given (a complaint's documents are in its language)."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only PDF views need it

    with translation.override(language) if language else translation.override(translation.get_language()):
        html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()
