"""SMS gateways. A gateway is a class with `send(*, to, text) -> str` (the provider's id for the SMS), chosen by
the SHAGYM_SMS_GATEWAY setting. It raises GatewayError for a failure worth retrying (the network, a busy provider)
and PermanentError for one that never will succeed (a rejected number), which moves the message to the next channel.

To plug in a provider, subclass HttpSmsGateway and override `payload` and `parse`, or write any class with `send`."""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    """The message did not go out this time; it is retried with backoff."""


class PermanentError(GatewayError):
    """The message will never go out on this channel; the next channel is tried."""


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> str: ...


def sms_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.SHAGYM_SMS_GATEWAY)()
    return gateway


class FileSmsGateway:
    """Development default: every SMS becomes a JSON file in SHAGYM_SMS_DIR, to read instead of a phone."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or settings.SHAGYM_SMS_DIR)

    def send(self, *, to: str, text: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        sms_id = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
        record = {"id": sms_id, "to": to, "text": text, "at": timezone.now().isoformat()}
        (self.directory / f"{sms_id}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        return sms_id


class ConsoleSmsGateway:
    """Writes every SMS to the log (the worker's console)."""

    def send(self, *, to: str, text: str) -> str:
        sms_id = uuid.uuid4().hex
        logger.info("SMS %s to %s: %s", sms_id, to, text)
        return sms_id


class HttpSmsGateway:
    """Production: POST a JSON body to SHAGYM_SMS_HTTP_URL with a bearer token (SHAGYM_SMS_HTTP_TOKEN).

    The default contract is {"to": "+77011234567", "text": "...", "sender": "Shagym"} in, and a 2xx answer with
    {"id": "..."} out. 4xx (but 408 and 429) is permanent; 5xx, 408, 429 and network errors are retried."""

    def __init__(self) -> None:
        self.url = settings.SHAGYM_SMS_HTTP_URL
        self.token = settings.SHAGYM_SMS_HTTP_TOKEN
        self.sender = settings.SHAGYM_SMS_SENDER
        self.timeout = settings.SHAGYM_SMS_TIMEOUT
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("Set SHAGYM_SMS_HTTP_URL to the gateway's http(s) address.")

    def payload(self, *, to: str, text: str) -> dict[str, Any]:
        return {"to": to, "text": text, "sender": self.sender}

    def parse(self, answer: dict[str, Any]) -> str:
        return str(answer.get("id") or answer.get("message_id") or "")

    def send(self, *, to: str, text: str) -> str:
        body = json.dumps(self.payload(to=to, text=text), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            # B310: the URL is the configured gateway's, refused at start unless http(s) (no file:// or custom scheme).
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec B310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            if 400 <= exc.code < 500 and exc.code not in {408, 429}:
                raise PermanentError(f"SMS gateway refused: HTTP {exc.code} {detail}") from exc
            raise GatewayError(f"SMS gateway failed: HTTP {exc.code} {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GatewayError(f"SMS gateway unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        return self.parse(answer if isinstance(answer, dict) else {})


# Kazakhstan mobile numbers: +7 70x, 74x, 75x, 76x, 77x (landlines are +7 71x and +7 72x, e.g. Astana 7172).
_MOBILE = re.compile(r"^7(?:0|4|5|6|7)\d{8}$")


def mobile_number(phones: str) -> str | None:
    """The first mobile number among the complaint's contact phones, as +7XXXXXXXXXX; None if there is none."""
    for part in re.split(r"[,;/]|\s{2,}", phones or ""):
        digits = re.sub(r"\D", "", part)
        if len(digits) == 11 and digits[0] in "78":
            digits = digits[1:]
        if _MOBILE.match(digits):
            return f"+7{digits}"
    return None
