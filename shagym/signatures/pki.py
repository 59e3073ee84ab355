"""A small certification authority of our own, for the tests and the demo only: a root, an intermediate, and
certificates shaped like the Kazakh national certification centre's (НУЦ РК) ones: the IIN in the subject's
serialNumber ("IIN880101300123"), the BIN in its OU ("BIN150440000012"), the name in CN, SURNAME and GIVENNAME.
Also revocation lists, OCSP answers, PKCS#12 files and detached CMS signatures made with these keys.

Never used to trust anything in production: the operator configures the real roots (settings.SHAGYM_TRUST_DIR)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

# The key usages of a signing certificate (НУЦ РК's "SIGN" keys carry both); an authentication key lacks
# non-repudiation and is refused for signing a complaint or an answer.
SIGN_USAGE = {"digital_signature": True, "content_commitment": True}
AUTH_USAGE = {"digital_signature": True, "key_encipherment": True}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_key(kind: str = "ec") -> PrivateKey:
    """"ec" (P-256, fast: seals, the demo) or "rsa" (2048 bits, as НУЦ РК's RSA certificates)."""
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


@dataclass
class Issued:
    """A key and its certificate, with the chain of CA certificates above it (nearest first, root excluded)."""

    key: PrivateKey
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    def p12(self, password: str, *, name: str = "key") -> bytes:
        return pkcs12.serialize_key_and_certificates(
            name.encode(), self.key, self.cert, self.chain or None,
            serialization.BestAvailableEncryption(password.encode()),
        )

    def sign(self, data: bytes, *, attach: bool = False) -> bytes:
        """A CMS (CAdES-BES shaped) signature of `data`, DER: detached unless `attach`; signed attributes
        content-type, signing-time and message-digest; the certificate and its chain inside."""
        builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(self.cert, self.key, hashes.SHA256())
        for ca in self.chain:
            builder = builder.add_certificate(ca)
        options = [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCapabilities]
        if not attach:
            options.append(pkcs7.PKCS7Options.DetachedSignature)
        return builder.sign(serialization.Encoding.DER, options)


def _name(**parts: str) -> x509.Name:
    oids = {
        "cn": NameOID.COMMON_NAME, "surname": NameOID.SURNAME, "given_name": NameOID.GIVEN_NAME,
        "serial": NameOID.SERIAL_NUMBER, "country": NameOID.COUNTRY_NAME, "org": NameOID.ORGANIZATION_NAME,
        "ou": NameOID.ORGANIZATIONAL_UNIT_NAME, "email": NameOID.EMAIL_ADDRESS,
    }
    return x509.Name([x509.NameAttribute(oids[k], _fit(v)) for k, v in parts.items() if v])


def _fit(value: str, limit: int = 64) -> str:
    """X.520 upper bounds: 64 (checked on the encoded length by `cryptography`); long body names are cut."""
    while len(value.encode()) > limit:
        value = value[:-1]
    return value


def _builder(subject: x509.Name, issuer: Issued | None, key: PrivateKey, *, not_before: dt.datetime,
             not_after: dt.datetime) -> x509.CertificateBuilder:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    return builder


def _usage(**flags: bool) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


def _validity(not_before: dt.datetime | None, not_after: dt.datetime | None, years: int) -> tuple[dt.datetime, dt.datetime]:
    start = not_before or utcnow() - dt.timedelta(days=1)
    return start, not_after or start + dt.timedelta(days=365 * years)


def make_root(name: str = "Shagym Demo Root CA", *, key_kind: str = "ec", not_before: dt.datetime | None = None,
              not_after: dt.datetime | None = None) -> Issued:
    key = new_key(key_kind)
    start, end = _validity(not_before, not_after, 20)
    cert = (
        _builder(_name(cn=name, country="KZ"), None, key, not_before=start, not_after=end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def _revocation_extensions(builder: x509.CertificateBuilder, crl_url: str | None,
                           ocsp_url: str | None) -> x509.CertificateBuilder:
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None, reasons=None, crl_issuer=None)]),
            critical=False)
    if ocsp_url:
        builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
    return builder


def make_intermediate(root: Issued, name: str = "Shagym Demo Signing CA", *, key_kind: str = "ec",
                      not_before: dt.datetime | None = None, not_after: dt.datetime | None = None) -> Issued:
    key = new_key(key_kind)
    start, end = _validity(not_before, not_after, 10)
    cert = (
        _builder(_name(cn=name, country="KZ"), root, key, not_before=start, not_after=end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .sign(root.key, hashes.SHA256())
    )
    return Issued(key, cert, [*root.chain])


def make_person(
    issuer: Issued,
    *,
    iin: str,
    surname: str,
    first_name: str,
    patronymic: str = "",
    bin: str = "",
    organisation: str = "",
    key_kind: str = "ec",
    usage: dict[str, bool] | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    crl_url: str | None = None,
    ocsp_url: str | None = None,
) -> Issued:
    """A person's signing certificate; with `bin` and `organisation`, an employee's (the head of a body)."""
    key = new_key(key_kind)
    start, end = _validity(not_before, not_after, 1)
    subject = _name(cn=f"{surname} {first_name}".upper(), surname=surname.upper(), serial=f"IIN{iin}",
                    country="KZ", given_name=patronymic.upper(), org=organisation, ou=f"BIN{bin}" if bin else "")
    builder = (
        _builder(subject, issuer, key, not_before=start, not_after=end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(**(usage or SIGN_USAGE)), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    )
    cert = _revocation_extensions(builder, crl_url, ocsp_url).sign(issuer.key, hashes.SHA256())
    return Issued(key, cert, [issuer.cert, *issuer.chain])


def make_seal(issuer: Issued, *, organisation: str, bin: str = "", key_kind: str = "ec",
              not_before: dt.datetime | None = None, not_after: dt.datetime | None = None) -> Issued:
    """A body's seal: the certificate of the organisation itself, for the PAdES seal on every document it issues."""
    key = new_key(key_kind)
    start, end = _validity(not_before, not_after, 3)
    subject = _name(cn=organisation, org=organisation, ou=f"BIN{bin}" if bin else "", country="KZ")
    cert = (
        _builder(subject, issuer, key, not_before=start, not_after=end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(digital_signature=True, content_commitment=True), critical=True)
        .sign(issuer.key, hashes.SHA256())
    )
    return Issued(key, cert, [issuer.cert, *issuer.chain])


def make_crl(issuer: Issued, revoked: Iterable[tuple[x509.Certificate, dt.datetime]] = (), *,
             this_update: dt.datetime | None = None, next_update: dt.datetime | None = None) -> bytes:
    """A CRL (DER) of `issuer` listing the certificates revoked and when."""
    start = this_update or utcnow() - dt.timedelta(hours=1)
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.cert.subject)
               .last_update(start).next_update(next_update or start + dt.timedelta(days=7)))
    for cert, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(when).build())
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def ocsp_answer(request_der: bytes, issuer: Issued, statuses: dict[int, dt.datetime | None]) -> bytes:
    """An OCSP response (DER) signed by the issuer itself: good, or revoked at the time given, per serial number;
    an unknown serial is answered "unknown"."""
    request = ocsp.load_der_ocsp_request(request_der)
    now = utcnow()
    revoked_at = statuses.get(request.serial_number)
    known = request.serial_number in statuses
    status = (ocsp.OCSPCertStatus.UNKNOWN if not known
              else ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD)
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash, issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number, algorithm=request.hash_algorithm, cert_status=status,
        this_update=now - dt.timedelta(minutes=1), next_update=now + dt.timedelta(hours=1),
        revocation_time=revoked_at, revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, issuer.cert)
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def load_p12(data: bytes, password: str) -> Issued:
    key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode())
    if key is None or cert is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError("The PKCS#12 file holds no RSA or EC key with its certificate.")
    return Issued(key, cert, list(extra or []))


def load_pem_pair(cert_pem: bytes, key_pem: bytes) -> Issued:
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError("Only RSA and EC keys are supported here.")
    return Issued(key, x509.load_pem_x509_certificate(cert_pem))
