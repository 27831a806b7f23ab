"""Electronic signatures of the official PDFs, behind one small interface.

`get_signer()` returns the configured `Signer`; `sign_pdf()` signs with it. Two
implementations are here:

- `PadesSigner`: a PAdES baseline signature (ETSI.CAdES.detached, invisible field
  "Signature1") made with pyHanko and a certificate and key from PEM files, chosen when
  the settings `RKPK_SIGNING_CERT` and `RKPK_SIGNING_KEY` (optional
  `RKPK_SIGNING_KEY_PASSWORD`) name them. `rkpk make_signing_certificate --out DIR`
  writes a self-signed pair for development and tests.
- `NoSigner`: returns the PDF unchanged (development without a certificate). The
  authenticity of an issued PDF still rests on its SHA-256 kept with the document and
  checked on the public verification page.

A certified Indonesian e-signature — BSrE (Balai Sertifikasi Elektronik, BSSN) or
another certified provider, typically called through its signing API with the
signatory's NIK and passphrase — is a third implementation of the same `Signer`
protocol: `sign()` sends the PDF and returns the signed one, `verify()` validates it
against the provider's CA. Point `get_signer()` at it (e.g. with a setting naming the
class); nothing else in the project changes.
"""

from __future__ import annotations

import asyncio
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

FIELD_NAME = "Signature1"
PADES_SUBFILTER = "/ETSI.CAdES.detached"


@dataclass(frozen=True)
class VerificationResult:
    """What the validation of a PDF's embedded signature found.

    `signed`: the PDF carries a signature at all; `intact`: the signed bytes are unchanged
    and the signature covers the whole file (nothing appended after signing); `valid`: the
    signature is cryptographically sound; `trusted`: the signer's certificate chains to a
    trusted root; `pades`: the signature uses the PAdES subfilter.
    """

    signed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    pades: bool = False
    signer_subject: str = ""
    signed_at: object = None
    message: str = ""
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted


@runtime_checkable
class Signer(Protocol):
    #: True when `sign()` embeds a signature that `verify()` can check.
    embeds_signature: bool
    #: A short name for logs and the verification page.
    name: str

    def sign(self, pdf: bytes, *, reason: str, signer_name: str) -> bytes: ...

    def verify(self, pdf: bytes) -> VerificationResult: ...


class NoSigner:
    """No electronic signature: the PDF is returned as it is (development)."""

    embeds_signature = False
    name = "none"

    def sign(self, pdf: bytes, *, reason: str, signer_name: str) -> bytes:
        return pdf

    def verify(self, pdf: bytes) -> VerificationResult:
        return VerificationResult(message="No signing certificate is configured.")


class PadesSigner:
    """PAdES signatures with a certificate and private key in PEM files (pyHanko)."""

    embeds_signature = True
    name = "pades"

    def __init__(self, cert_path: str, key_path: str, password: str = "", chain=()):
        for label, path in (("RKPK_SIGNING_CERT", cert_path), ("RKPK_SIGNING_KEY", key_path)):
            if not Path(path).is_file():
                raise ImproperlyConfigured(f"{label}: no such file: {path}")
        self.cert_path, self.key_path = str(cert_path), str(key_path)
        self.password = password or ""
        self.chain = tuple(str(p) for p in chain)
        self._signer = None

    @property
    def signer(self):
        if self._signer is None:
            from pyhanko.sign import signers

            loaded = signers.SimpleSigner.load(
                self.key_path,
                self.cert_path,
                ca_chain_files=self.chain or None,
                key_passphrase=self.password.encode() if self.password else None,
            )
            if loaded is None:
                raise ImproperlyConfigured(
                    "The signing certificate or key could not be read "
                    "(RKPK_SIGNING_CERT, RKPK_SIGNING_KEY, RKPK_SIGNING_KEY_PASSWORD)."
                )
            _cache_private_key(loaded)
            self._signer = loaded
        return self._signer

    def sign(self, pdf: bytes, *, reason: str, signer_name: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            reason=reason or None,
            name=signer_name or None,
            location=_location() or None,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = io.BytesIO()
        off_event_loop(lambda: signers.sign_pdf(writer, meta, signer=self.signer, output=out))
        return out.getvalue()

    def validation_context(self):
        from pyhanko.keys import load_cert_from_pemder
        from pyhanko_certvalidator import ValidationContext

        roots = [load_cert_from_pemder(self.cert_path)]
        roots += [load_cert_from_pemder(p) for p in self.chain]
        return ValidationContext(trust_roots=roots, allow_fetching=False)

    def verify(self, pdf: bytes) -> VerificationResult:
        return validate(pdf, self.validation_context())


def _location() -> str:
    """The signing city of the organisation profile (read already by the document's
    rendering, so cached), for the signature's location."""
    from rkpk.organisation.profile import signing_city

    try:
        return signing_city()
    except Exception:  # noqa: BLE001 — the location is optional metadata; never fail a seal
        return getattr(settings, "RKPK_DOCUMENT_PLACE", "")


def off_event_loop(call):
    """Run `call` where no event loop runs.

    pyHanko's synchronous functions start an event loop of their own, which fails in a
    thread that already runs one (an ASGI server; Playwright's sync API in the tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def _cache_private_key(simple_signer) -> None:
    """Parse the private key once, not on every signature.

    pyHanko's SimpleSigner parses the DER key on each raw signature, and `cryptography`
    checks an RSA key thoroughly when it loads it (about 0.1 s, twice per PDF: the size
    estimate signs too). The key is parsed once here, with the same checks.
    """
    from cryptography.hazmat.primitives import serialization

    original = simple_signer.sign_raw
    parsed = {}

    def sign_raw(data: bytes, digest_algorithm: str) -> bytes:
        if "key" not in parsed:
            parsed["key"] = serialization.load_der_private_key(
                simple_signer.signing_key.dump(), password=None
            )
        mechanism = simple_signer.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if algorithm != "rsassa_pkcs1v15":
            return original(data, digest_algorithm)
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign.general import get_pyca_cryptography_hash

        return parsed["key"].sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    simple_signer.sign_raw = sign_raw


def validate(pdf: bytes, validation_context) -> VerificationResult:
    """Validate the last embedded signature of `pdf`; never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception as error:  # noqa: BLE001 — any garbage is "not a readable PDF"
        logger.info("unreadable PDF on verification: %s", error)
        return VerificationResult(message="The file is not a readable PDF.")
    if not embedded:
        return VerificationResult(message="The PDF carries no electronic signature.")
    signature = embedded[-1]
    try:
        subfilter = str(signature.sig_object.get("/SubFilter", ""))
        status = off_event_loop(lambda: validate_pdf_signature(signature, validation_context))
    except Exception as error:  # noqa: BLE001 — a broken signature is an invalid one
        logger.info("signature validation failed: %s", error)
        return VerificationResult(
            signed=True,
            message="The signature could not be validated.",
            details={"error": str(error)},
        )
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact) and whole_file
    try:
        subject = status.signing_cert.subject.human_friendly
    except Exception:  # noqa: BLE001
        subject = ""
    if not intact:
        message = "The document was changed after it was signed."
    elif not status.valid:
        message = "The signature is not valid."
    elif not status.trusted:
        message = "The signer's certificate is not trusted."
    else:
        message = "The signature is valid and the document is unchanged."
    return VerificationResult(
        signed=True,
        intact=intact,
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        pades=subfilter == PADES_SUBFILTER,
        signer_subject=subject,
        signed_at=status.signer_reported_dt,
        message=message,
        details={"coverage": status.coverage.name, "summary": status.summary()},
    )


@lru_cache(maxsize=4)
def _pades(cert: str, key: str, password: str) -> PadesSigner:
    return PadesSigner(cert, key, password)


def get_signer() -> Signer:
    """The configured signer: PAdES when a certificate and key are set, else `NoSigner`."""
    cert = getattr(settings, "RKPK_SIGNING_CERT", "") or ""
    key = getattr(settings, "RKPK_SIGNING_KEY", "") or ""
    if cert and key:
        return _pades(str(cert), str(key), getattr(settings, "RKPK_SIGNING_KEY_PASSWORD", "") or "")
    if cert or key:
        raise ImproperlyConfigured("Set both RKPK_SIGNING_CERT and RKPK_SIGNING_KEY, or neither.")
    return NoSigner()


def sign_pdf(pdf: bytes, *, reason: str, signer_name: str) -> bytes:
    """Sign `pdf` with the configured signer (unchanged when none is configured)."""
    return get_signer().sign(pdf, reason=reason, signer_name=signer_name)


def verify_pdf(pdf: bytes) -> VerificationResult:
    return get_signer().verify(pdf)
