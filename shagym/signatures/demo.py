"""The demo's certification authority, made once on the first start (load_demo) under var/pki/:

    ca/root.pem, ca/intermediate.pem, ca/intermediate-key.pem   the demo CA (the key signs what the NCALayer double mints)
    trust/root.pem, trust/intermediate.pem                       what SHAGYM_TRUST_DIR points at in development
    seals/<organisation key>.p12, seals/operator.p12             each body's seal (password SHAGYM_SEAL_PASSWORD)
    ncalayer/localhost.pem, ncalayer/localhost-key.pem           TLS for the double's wss:// (optional)

Nothing here is trusted outside development: the operator configures НУЦ РК's roots and the bodies' real seals."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from . import pki


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def ensure_ca(directory: Path) -> pki.Issued:
    """The demo's intermediate CA (with the root in its chain), made on the first call and read back after."""
    ca = directory / "ca"
    if (ca / "intermediate-key.pem").exists():
        intermediate = pki.load_pem_pair((ca / "intermediate.pem").read_bytes(),
                                         (ca / "intermediate-key.pem").read_bytes())
        intermediate.chain = [x509.load_pem_x509_certificate((ca / "root.pem").read_bytes())]
        return intermediate
    start = pki.utcnow() - dt.timedelta(days=1)
    root = pki.make_root("Shagym Demo Root CA", not_before=start, not_after=start + dt.timedelta(days=365 * 20))
    intermediate = pki.make_intermediate(root, "Shagym Demo Signing CA", not_before=start,
                                         not_after=start + dt.timedelta(days=365 * 10))
    _write(ca / "root.pem", root.pem)
    _write(ca / "intermediate.pem", intermediate.pem)
    _write(ca / "intermediate-key.pem", intermediate.key_pem())
    _write(directory / "trust" / "root.pem", root.pem)
    _write(directory / "trust" / "intermediate.pem", intermediate.pem)
    intermediate.chain = [root.cert]
    return intermediate


def ensure_seals(directory: Path, ca: pki.Issued, bodies: Iterable[tuple[str, str, str]], *, password: str) -> int:
    """A seal for the operator and for each (key, name, BIN) that has none yet. Returns how many were made."""
    made = 0
    for key, name, bin in [("operator", "Shagym", ""), *bodies]:
        path = directory / "seals" / f"{key}.p12"
        if path.exists():
            continue
        seal = pki.make_seal(ca, organisation=name[:64], bin=bin)
        _write(path, seal.p12(password, name=key))
        made += 1
    return made


def ensure_tls(directory: Path, ca: pki.Issued) -> tuple[Path, Path]:
    """A server certificate for 127.0.0.1 and localhost, for the NCALayer double's wss://."""
    cert_path, key_path = directory / "ncalayer" / "localhost.pem", directory / "ncalayer" / "localhost-key.pem"
    if not cert_path.exists():
        key = pki.new_key("ec")
        now = pki.utcnow()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365 * 2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca.key, hashes.SHA256())
        )
        issued = pki.Issued(key, cert, [ca.cert])
        _write(cert_path, issued.pem + ca.pem)
        _write(key_path, issued.key_pem())
    return cert_path, key_path
