"""The public verification page: authentic files pass; forged, altered and garbage ones do not."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rkpk.correspondence import rendering, services, verification
from rkpk.correspondence.models import Document
from rkpk.correspondence.tests.test_rendering import make_document, registered
from rkpk.correspondence.tests.test_signing import change_one_byte, make_certificate
from rkpk.correspondence.views import verify as verify_views
from rkpk.organisation.profile import current_profile

pytestmark = pytest.mark.django_db

AUTHENTIC = "Authentic and unchanged"
NOT_AUTHENTIC = "Not the authentic document, or altered."
SECRET_BODY = "paling lambat tanggal"


@pytest.fixture
def memo(role_users):
    return registered(make_document(role_users["staff"]), role_users)


def issued_pdf(document) -> bytes:
    document.pdf.open("rb")
    try:
        return document.pdf.read()
    finally:
        document.pdf.close()


def upload(client, url, data: bytes, name="nota-dinas.pdf"):
    return client.post(url, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def page_url(document):
    return reverse("verify_document", args=[document.verification_token])


def test_url_shape_matches_the_qr_code(memo, settings):
    assert page_url(memo) == f"/verify/{memo.verification_token}/"
    assert reverse("verify_upload") == "/verify/"
    assert rendering.verification_url(memo.verification_token).endswith(page_url(memo))


@pytest.mark.parametrize("who", ["anonymous", "nobody", "operator_b", "deputy", "viewer"])
def test_the_page_is_public_and_shows_only_the_facts(memo, role_users, client, who):
    if who != "anonymous":
        client.force_login(role_users[who])
    response = client.get(page_url(memo))
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    html = response.content.decode()
    assert memo.number in html and memo.subject in html and memo.pdf_sha256 in html
    assert current_profile().deputy_title in html
    # Never the body, the addressees or the copies.
    assert SECRET_BODY not in html
    assert "Para Kepala Satuan Organisasi" not in html
    assert "Sekretaris Kementerian Sekretariat Negara" not in html
    assert 'enctype="multipart/form-data"' in html and 'for="id_file"' in html


def test_the_authentic_file_passes(memo, client):
    response = upload(client, page_url(memo), issued_pdf(memo))
    assert response.status_code == 200
    html = response.content.decode()
    assert AUTHENTIC in html and 'data-authentic="true"' in html
    assert NOT_AUTHENTIC not in html


def test_a_forged_pdf_with_other_content_fails(memo, role_users, client):
    other = make_document(role_users["staff"], key="step10-deputy-to-minister")
    forged = rendering.render_document(other, fmt="pdf")
    response = upload(client, page_url(memo), forged)
    html = response.content.decode()
    assert response.status_code == 200
    assert NOT_AUTHENTIC in html and 'data-authentic="false"' in html
    assert hashlib.sha256(forged).hexdigest() in html


def test_a_reprint_of_the_same_content_is_not_the_issued_file(memo, client):
    """A PDF re-rendered from the database (or retyped) is not the sealed file."""
    Document.objects.filter(pk=memo.pk).update(subject="Hal yang diubah")
    memo.refresh_from_db()
    response = upload(client, page_url(memo), rendering.render_document(memo, fmt="pdf"))
    assert NOT_AUTHENTIC in response.content.decode()


def test_an_altered_pdf_fails(memo, client):
    altered = change_one_byte(issued_pdf(memo))
    response = upload(client, page_url(memo), altered)
    assert NOT_AUTHENTIC in response.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"PK\x03\x04 a Word file", "This is not a PDF file."),
        (b"<html>not a pdf</html>", "This is not a PDF file."),
        (b"", "The submitted file is empty."),
    ],
)
def test_non_pdf_and_empty_uploads_are_refused(memo, client, data, error):
    for url in (page_url(memo), reverse("verify_upload")):
        response = upload(client, url, data)
        html = response.content.decode()
        assert response.status_code == 200
        assert error in html
        assert 'id="verify-result"' not in html


def test_a_missing_file_and_a_too_large_one_are_refused(memo, client, monkeypatch):
    response = client.post(page_url(memo), {})
    assert "This field is required." in response.content.decode()
    monkeypatch.setattr(verify_views, "MAX_UPLOAD", 100)
    response = upload(client, page_url(memo), issued_pdf(memo))
    assert "larger than 10 MB" in response.content.decode()


def test_broken_pdfs_never_give_a_server_error(memo, client, settings, tmp_path):
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = make_certificate(tmp_path)
    data = issued_pdf(memo)
    for garbage in (b"%PDF-1.7\n\x00\xff garbage", data[: len(data) // 3], data + b"\x00" * 10):
        for url in (page_url(memo), reverse("verify_upload")):
            response = upload(client, url, garbage)
            assert response.status_code == 200
            assert NOT_AUTHENTIC in response.content.decode()


def test_unknown_tokens_and_unissued_documents_are_404(memo, role_users, client):
    draft = make_document(role_users["staff"])
    Document.objects.filter(pk=draft.pk).update(verification_token="draft-token")
    for token in ("unknown-token", "x" * 41, "draft-token"):
        assert client.get(f"/verify/{token}/").status_code == 404
        assert upload(client, f"/verify/{token}/", issued_pdf(memo)).status_code == 404


def test_other_methods_are_refused(memo, client):
    assert client.put(page_url(memo)).status_code == 405
    assert client.delete(reverse("verify_upload")).status_code == 405


def test_upload_without_token_finds_the_document_by_its_hash(memo, client):
    response = client.get(reverse("verify_upload"))
    assert response.status_code == 200 and 'id="verify-result"' not in response.content.decode()
    response = upload(client, reverse("verify_upload"), issued_pdf(memo))
    html = response.content.decode()
    assert AUTHENTIC in html and memo.number in html and memo.subject in html
    assert SECRET_BODY not in html
    response = upload(client, reverse("verify_upload"), change_one_byte(issued_pdf(memo)))
    html = response.content.decode()
    assert NOT_AUTHENTIC in html and memo.number not in html


def test_a_superseded_document_is_authentic_but_flagged(memo, role_users, client):
    services.correct(actor=role_users["staff"], document=memo, reason="Salah tanggal")
    response = upload(client, page_url(memo), issued_pdf(memo))
    html = response.content.decode()
    assert AUTHENTIC in html and "replaced by a correction" in html


def test_with_pades_the_embedded_signature_is_checked_too(role_users, client, settings, tmp_path):
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = make_certificate(tmp_path)
    memo = registered(make_document(role_users["staff"]), role_users)
    data = issued_pdf(memo)
    response = upload(client, page_url(memo), data)
    html = response.content.decode()
    assert AUTHENTIC in html and "The electronic signature is intact and valid." in html
    assert "RK-PK Development Signer" in html
    # A file whose registered hash matched but whose signature is broken is refused: the
    # signature check does not rest on the hash alone.
    altered = change_one_byte(data)
    Document.objects.filter(pk=memo.pk).update(pdf_sha256=hashlib.sha256(altered).hexdigest())
    memo.refresh_from_db()
    outcome = verification.check(altered, document=memo)
    assert not outcome.authentic and outcome.signature.signed and not outcome.signature.intact
    response = upload(client, page_url(memo), altered)
    assert NOT_AUTHENTIC in response.content.decode()


def test_check_without_a_signer_rests_on_the_hash(memo):
    data = issued_pdf(memo)
    outcome = verification.check(data)
    assert outcome.authentic and outcome.document == memo and outcome.signature is None
    assert not verification.check(data + b" ").authentic
    assert verification.check(b"%PDF-").document is None


def test_the_lookup_uses_a_constant_number_of_queries(memo, client, django_assert_num_queries):
    data = issued_pdf(memo)
    with django_assert_num_queries(1):
        verification.check(data)
    with django_assert_num_queries(0):
        verification.check(data, document=memo)
