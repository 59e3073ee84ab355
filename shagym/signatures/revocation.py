"""Fetching what the certification centre says about a certificate: an OCSP answer from the responder named in the
certificate (Authority Information Access), else its revocation list (CRL Distribution Points). Both are checked by
the chain validation (verify.py), which trusts only answers signed by the issuer or its delegated responder.

The network is the outside world: a responder that does not answer within the timeout leaves the revocation "not
checked", recorded as such; it never blocks or fails a verification. НУЦ РК publishes its OCSP responder and CRLs
over plain HTTP, as RFC 6960 and RFC 5280 expect."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import requests
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID

logger = logging.getLogger(__name__)


@dataclass
class Revinfo:
    ocsps: list[bytes] = field(default_factory=list)
    crls: list[bytes] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # "OCSP http://..." / "CRL http://...", what answered
    problems: list[str] = field(default_factory=list)  # why something did not answer

    @property
    def found(self) -> bool:
        return bool(self.ocsps or self.crls)


def _urls(cert: x509.Certificate) -> tuple[list[str], list[str]]:
    ocsp_urls: list[str] = []
    crl_urls: list[str] = []
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        ocsp_urls = [d.access_location.value for d in aia
                     if d.access_method == AuthorityInformationAccessOID.OCSP
                     and isinstance(d.access_location, x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    try:
        cdp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        crl_urls = [name.value for point in cdp for name in point.full_name or []
                    if isinstance(name, x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    return ocsp_urls, crl_urls


def fetch(cert: asn1_x509.Certificate, issuer: asn1_x509.Certificate, *, timeout: float) -> Revinfo:
    """OCSP first (one small request); the CRL only when no OCSP responder answered."""
    leaf = x509.load_der_x509_certificate(cert.dump())
    parent = x509.load_der_x509_certificate(issuer.dump())
    ocsp_urls, crl_urls = _urls(leaf)
    info = Revinfo()
    if not ocsp_urls and not crl_urls:
        info.problems.append("the certificate names no OCSP responder and no CRL")
        return info
    for url in ocsp_urls:
        # RFC 6960's CertID names the certificate by SHA-1 hashes of its issuer: an identifier responders expect,
        # not a signature or a password hash.
        request = ocsp.OCSPRequestBuilder().add_certificate(leaf, parent, hashes.SHA1()).build()  # nosec B303
        try:
            answer = requests.post(url, data=request.public_bytes(serialization.Encoding.DER), timeout=timeout,
                                   headers={"Content-Type": "application/ocsp-request"})
            answer.raise_for_status()
            parsed = ocsp.load_der_ocsp_response(answer.content)
        except (requests.RequestException, ValueError) as exc:
            info.problems.append(f"OCSP {url}: {exc.__class__.__name__}")
            continue
        if parsed.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            info.problems.append(f"OCSP {url}: {parsed.response_status.name}")
            continue
        info.ocsps.append(answer.content)
        info.sources.append(f"OCSP {url}")
        return info
    for url in crl_urls:
        try:
            answer = requests.get(url, timeout=timeout)
            answer.raise_for_status()
            x509.load_der_x509_crl(answer.content)
        except (requests.RequestException, ValueError) as exc:
            info.problems.append(f"CRL {url}: {exc.__class__.__name__}")
            continue
        info.crls.append(answer.content)
        info.sources.append(f"CRL {url}")
        return info
    return info
