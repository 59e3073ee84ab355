"""manage.py ncalayer_double: a stand-in for NCALayer on loopback, signing with demo keys (development only)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shagym.signatures import demo, ncalayer_double, pki


class Command(BaseCommand):
    help = ("Run a test double of NCALayer on loopback: the pages sign with keys of the demo CA (minted for the IIN or "
            "BIN the page asks for, or one fixed PKCS#12 key). For development and tests only.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=13579)
        parser.add_argument("--tls", action="store_true",
                            help="serve wss:// with a certificate of the demo CA (trust var/pki/ca/root.pem in the browser)")
        parser.add_argument("--key", help="always sign with this PKCS#12 file")
        parser.add_argument("--password", default="", help="the password of --key")
        parser.add_argument("--iin", default="880101300123", help="the IIN of a minted key when the page names none")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["host"] not in {"127.0.0.1", "localhost", "::1"}:
            raise CommandError("The double listens on loopback only.")
        directory = Path(settings.PKI_DEMO_DIR)
        keys = ncalayer_double.Keys(default_iin=options["iin"])
        if options["key"]:
            keys.fixed = pki.load_p12(Path(options["key"]).read_bytes(), options["password"])
        else:
            keys.ca = demo.ensure_ca(directory)
        cert = key = None
        if options["tls"]:
            cert_path, key_path = demo.ensure_tls(directory, demo.ensure_ca(directory))
            cert, key = str(cert_path), str(key_path)
        scheme = "wss" if cert else "ws"
        self.stdout.write(f"NCALayer double (test keys only) on {scheme}://{options['host']}:{options['port']}; "
                          f"set SHAGYM_NCALAYER_URL to it. Ctrl+C stops it.")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(ncalayer_double.run(keys, host=options["host"], port=options["port"], cert=cert, key=key))
