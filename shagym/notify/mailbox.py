"""Development e-mail: every message (the portal's sign-up and password mails, the notices the worker sends) is written
as one readable UTF-8 text file in SHAGYM_MAIL_DIR (var/mail/ by default): headers decoded, the text body, and the
attachments saved beside it. Used when SHAGYM_EMAIL_BACKEND is not set in development; never in production."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_lock = threading.Lock()


class ReadableFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(settings.SHAGYM_MAIL_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with _lock:
                stem = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{_slug(message.to[0] if message.to else 'nobody')}"
            lines = [
                f"From: {message.from_email}",
                f"To: {', '.join(message.to)}",
                f"Subject: {message.subject}",
                f"Date: {timezone.localtime():%d.%m.%Y %H:%M:%S}",
                # Message-ID, the notice's id and language: which message this is, as a real mail server sees it.
                *(f"{name}: {value}" for name, value in message.extra_headers.items()),
                "",
                message.body,
            ]
            for alternative in getattr(message, "alternatives", []):
                lines += ["", f"--- alternative ({alternative[1]}) ---", str(alternative[0])]
            for index, attachment in enumerate(message.attachments):
                if isinstance(attachment, tuple):
                    name, content, _mimetype = attachment
                    path = folder / f"{stem}-{index + 1}-{_slug(name or 'attachment')}"
                    path.write_bytes(content if isinstance(content, bytes) else str(content).encode())
                    lines += ["", f"Attachment: {path.name}"]
            (folder / f"{stem}.txt").write_text("\n".join(map(str, lines)) + "\n", encoding="utf-8")
            sent += 1
        return sent


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.@_-]+", "_", text)[:60]
