"""PAdES signing with a self-signed certificate, checked with pyHanko's own validation."""

import hashlib
import io
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from rkpk.correspondence import signing
from rkpk.correspondence.tests.test_rendering import make_document, registered


def make_certificate(folder, *extra) -> tuple[str, str]:
    call_command("make_signing_certificate", "--out", str(folder), *extra, stdout=io.StringIO())
    return str(folder / "signing-cert.pem"), str(folder / "signing-key.pem")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("cert"), "--days", "30")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string="<h1>NOTA DINAS</h1><p>Isi nota dinas.</p>").write_pdf()


@pytest.fixture
def pades(settings, certificate):
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = certificate
    settings.RKPK_SIGNING_KEY_PASSWORD = ""
    return signing.get_signer()


def pyhanko_status(data: bytes, cert_path: str):
    """pyHanko's validation of the last signature, trusting the self-signed certificate."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    embedded = reader.embedded_signatures[-1]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(cert_path)])
    # Playwright may run an event loop in this test thread; pyHanko starts its own.
    return embedded, signing.off_event_loop(lambda: validate_pdf_signature(embedded, context))


def change_one_byte(data: bytes, marker: bytes = b"WeasyPrint") -> bytes:
    """The same file with one byte of the signed content changed (the length kept)."""
    at = data.find(marker) + 1 or len(data) // 3
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_without_certificate_the_pdf_is_left_as_it_is(settings, pdf):
    settings.RKPK_SIGNING_CERT = settings.RKPK_SIGNING_KEY = ""
    signer = signing.get_signer()
    assert isinstance(signer, signing.NoSigner) and isinstance(signer, signing.Signer)
    assert not signer.embeds_signature
    assert signing.sign_pdf(pdf, reason="x", signer_name="y") == pdf
    assert not signer.verify(pdf).ok


def test_half_a_configuration_or_a_missing_file_is_refused(settings, certificate, tmp_path):
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = certificate[0], ""
    with pytest.raises(ImproperlyConfigured, match="both"):
        signing.get_signer()
    settings.RKPK_SIGNING_CERT = str(tmp_path / "missing.pem")
    settings.RKPK_SIGNING_KEY = certificate[1]
    with pytest.raises(ImproperlyConfigured, match="no such file"):
        signing.get_signer()


def test_pades_signature_validates_with_pyhanko(pades, certificate, pdf):
    assert isinstance(pades, signing.PadesSigner) and isinstance(pades, signing.Signer)
    signed = signing.sign_pdf(pdf, reason="ND-1/Was/11/2026 — Hal", signer_name="Dr. Hendra")
    assert signed.startswith(pdf)  # an incremental update: the issued bytes stay as they were
    embedded, status = pyhanko_status(signed, certificate[0])
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert embedded.field_name == "Signature1"
    assert str(embedded.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"  # PAdES
    assert str(embedded.sig_object["/Reason"]) == "ND-1/Was/11/2026 — Hal"
    assert str(embedded.sig_object["/Name"]) == "Dr. Hendra"
    assert "RK-PK Development Signer" in status.signing_cert.subject.human_friendly

    result = pades.verify(signed)
    assert result.ok and result.pades and result.signed and result.intact
    assert "RK-PK Development Signer" in result.signer_subject


def test_altering_one_byte_breaks_the_signature(pades, certificate, pdf):
    signed = signing.sign_pdf(pdf, reason="r", signer_name="n")
    altered = change_one_byte(signed)
    assert len(altered) == len(signed) and altered != signed
    _, status = pyhanko_status(altered, certificate[0])
    assert not status.intact
    result = pades.verify(altered)
    assert result.signed and not result.intact and not result.ok
    assert "changed" in result.message


def test_an_update_after_signing_is_not_intact(pades, pdf):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = signing.sign_pdf(pdf, reason="r", signer_name="n")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = pades.verify(out.getvalue())
    assert result.signed and result.valid and not result.intact and not result.ok
    assert not pades.verify(signed + b"\n% appended later\n").ok


def test_another_certificate_is_not_trusted(pades, pdf, tmp_path):
    signed = signing.sign_pdf(pdf, reason="r", signer_name="n")
    other = signing.PadesSigner(*make_certificate(tmp_path, "--days", "2"))
    result = other.verify(signed)
    assert result.signed and result.intact and result.valid and not result.trusted
    assert not result.ok


def test_garbage_and_unsigned_files_never_raise(pades, pdf):
    for data in (b"", b"hello", b"%PDF-1.7\n garbage", pdf[: len(pdf) // 2], pdf):
        result = pades.verify(data)
        assert not result.signed and not result.ok


def test_a_password_protected_key(settings, tmp_path, pdf):
    cert, key = make_certificate(tmp_path, "--password", "rahasia-123", "--days", "2")
    assert b"ENCRYPTED" in Path(key).read_bytes()
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = cert, key
    settings.RKPK_SIGNING_KEY_PASSWORD = "rahasia-123"
    signed = signing.sign_pdf(pdf, reason="r", signer_name="n")
    assert signing.verify_pdf(signed).ok
    settings.RKPK_SIGNING_KEY_PASSWORD = "salah"
    with pytest.raises((ImproperlyConfigured, ValueError)):
        signing.sign_pdf(pdf, reason="r", signer_name="n")


def test_the_command_writes_a_private_key_and_refuses_to_overwrite(tmp_path):
    out = io.StringIO()
    call_command("make_signing_certificate", "--out", str(tmp_path), "--days", "5", stdout=out)
    assert "RKPK_SIGNING_CERT=" in out.getvalue() and "RKPK_SIGNING_KEY=" in out.getvalue()
    key = tmp_path / "signing-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (tmp_path / "signing-cert.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE")
    with pytest.raises(CommandError, match="exists"):
        call_command("make_signing_certificate", "--out", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="days"):
        call_command(
            "make_signing_certificate", "--out", str(tmp_path / "x"), "--days", "0", stdout=out
        )
    call_command("make_signing_certificate", "--out", str(tmp_path), "--force", stdout=out)


@pytest.mark.django_db
def test_registration_issues_a_sealed_pdf(pades, certificate, role_users):
    document = registered(make_document(role_users["staff"]), role_users)
    data = document.pdf.read()
    assert hashlib.sha256(data).hexdigest() == document.pdf_sha256
    _, status = pyhanko_status(data, certificate[0])
    assert status.intact and status.valid and status.trusted
    assert pades.verify(data).ok


def test_signing_works_in_a_thread_that_runs_an_event_loop(tmp_path, settings):
    """An ASGI worker (or Playwright in the tests) runs an event loop in the calling thread."""
    import asyncio
    import threading

    from rkpk.correspondence import signing

    async def inside_a_loop():
        return signing.off_event_loop(lambda: asyncio.run(asyncio.sleep(0, result="ran")))

    # A fresh thread, so that no loop (Playwright's, in the tests) already runs around ours.
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=asyncio.run(inside_a_loop())))
    thread.start()
    thread.join()
    assert result == {"value": "ran"}
