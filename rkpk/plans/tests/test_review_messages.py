"""The clarification thread: posting, attachments checked by content, guarded downloads."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

from rkpk.core.downloads import download_name
from rkpk.plans import services
from rkpk.plans.models import Attachment, Message
from rkpk.plans.tests.test_review_support import make_officials, make_plan, submitted_plan, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def office_zip(folder: str, *, macro: bool = False, extra: dict | None = None) -> bytes:
    """A minimal OOXML package (DOCX with folder "word", XLSX with "xl")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
        if macro:
            archive.writestr(f"{folder}/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A DOCX whose directory claims a member unpacks to ~4 GB (a small file, a huge claim)."""
    data = bytearray(office_zip("word", extra={"word/media/big.bin": b"\x00" * 1024}))
    central = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    struct.pack_into("<I", data, central + 24, 0xFFFFFFF0)  # its uncompressed size
    return bytes(data)


def truncated_docx() -> bytes:
    """A DOCX cut before its central directory: recognised as DOCX, unreadable as a zip."""
    data = office_zip("word")
    return data[: data.find(b"PK\x01\x02")]


@pytest.fixture
def officials(units):
    return make_officials(units)


@pytest.fixture
def plan(units, officials, role_users):
    return submitted_plan(units, officials, role_users["unit_operator"])


def post(client, plan, body="Mohon dicek", files=(), **extra):
    return client.post(
        url("review_messages", plan), {"body": body, "files": list(files), **extra}, format=None
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_message_with_several_attachments(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    response = post(
        client,
        plan,
        "Berikut SK dan tabel target.\nMohon arahan.",
        [
            SimpleUploadedFile("SK penetapan.pdf", PDF),
            SimpleUploadedFile("grafik.png", PNG),
            SimpleUploadedFile("target.xlsx", office_zip("xl")),
            SimpleUploadedFile("catatan.docx", office_zip("word")),
        ],
    )
    assert response.status_code == 302
    message = Message.objects.get(plan=plan)
    assert response["Location"].endswith(f"#message-{message.pk}")
    kinds = dict(message.attachments.values_list("original_name", "content_type"))
    assert kinds == {
        "SK penetapan.pdf": "application/pdf",
        "grafik.png": "image/png",
        "target.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "catatan.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    page = client.get(url("review_messages", plan)).content.decode()
    assert "Berikut SK dan tabel target.<br>Mohon arahan." in page
    assert "SK penetapan.pdf" in page and "(PDF, " in page and "Excel (XLSX)" in page
    assert "u_unit_operator" in page


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("laporan.pdf", EXE, "judged by its content"),
        ("foto.png", HTML, "judged by its content"),
        ("makro.docm", office_zip("word", macro=True), "contains macros"),
        ("makro.xlsm", office_zip("xl", macro=True), "contains macros"),
        ("tersamar.docx", office_zip("word", macro=True), "contains macros"),
        ("bom.docx", zip_bomb(), "unpacks to too much data"),
        ("rusak.docx", truncated_docx(), "damaged"),
        # Word and Excel save a password-protected file as an encrypted OLE container.
        ("terkunci.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "judged by"),
        ("kosong.pdf", b"", "empty"),
    ],
    ids=[
        "exe-as-pdf",
        "html-as-png",
        "docm",
        "xlsm",
        "docm-as-docx",
        "zip-bomb",
        "corrupt",
        "password-protected",
        "empty",
    ],
)
def test_bad_attachments_are_refused(plan, role_users, client_for, name, data, reason):
    response = post(client_for(role_users["staff"]), plan, files=[SimpleUploadedFile(name, data)])
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Message.objects.filter(plan=plan).exists()
    assert stored_files() == []


def test_a_file_over_10_mb_is_refused(plan, role_users, client_for):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = post(client_for(role_users["staff"]), plan, files=[SimpleUploadedFile("b.pdf", big)])
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_nothing_is_saved_when_one_of_several_files_is_bad(plan, role_users, client_for):
    response = post(
        client_for(role_users["unit_head"]),
        plan,
        "Tiga lampiran",
        [
            SimpleUploadedFile("a.pdf", PDF),
            SimpleUploadedFile("b.png", PNG),
            SimpleUploadedFile("c.pdf", EXE),
        ],
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "c.pdf is not a PDF" in text
    # What was written is kept; the files must be chosen again.
    assert "Tiga lampiran" in text
    assert not Message.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == []


def test_a_message_needs_a_text(plan, role_users, client_for):
    response = post(
        client_for(role_users["staff"]), plan, "   ", [SimpleUploadedFile("a.pdf", PDF)]
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert "Choose the attachments again" in response.content.decode()
    assert not Message.objects.exists()


def test_too_many_files_are_refused(plan, role_users, client_for):
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(11)]
    response = post(client_for(role_users["staff"]), plan, files=files)
    assert response.status_code == 400
    assert "at most 10 files" in response.content.decode()


def test_download_sends_the_stored_file_safely(plan, role_users, client_for):
    message = services.post_message(
        actor=role_users["staff"],
        plan=plan,
        body="SK",
        files=[SimpleUploadedFile('SK "final"\\ré.pdf', PDF)],
    )
    attachment = message.attachments.get()
    response = client_for(role_users["unit_operator"]).get(
        url("review_attachment", plan, attachment.pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # Non-ASCII name: RFC 5987 encoding, quotes and backslashes cannot break out.
    assert "filename*=utf-8''" in disposition
    assert '"final"' not in disposition and "\\" not in disposition
    assert "private" in response["Cache-Control"]


def test_download_name_drops_control_characters_and_separators():
    assert download_name("a\r\nContent-Type: text/html.pdf") == "a_Content-Type: text_html.pdf"
    assert download_name("../../etc/passwd") == "_.._etc_passwd"
    assert download_name("\x00") == "lampiran"
    assert download_name('laporan "x".pdf') == 'laporan "x".pdf'  # quoted by Django's header


def test_another_units_operator_cannot_download(plan, role_users, client_for):
    message = services.post_message(
        actor=role_users["unit_operator"],
        plan=plan,
        body="SK",
        files=[SimpleUploadedFile("a.pdf", PDF)],
    )
    pk = message.attachments.get().pk
    client = client_for(role_users["operator_b"])
    assert client.get(url("review_attachment", plan, pk)).status_code == 404
    # Nor through their own plan's address.
    own = make_plan(role_users["operator_b"].role_assignments.get().unit, make_officials_b())
    assert client.get(url("review_attachment", own, pk)).status_code == 404


def make_officials_b():
    from rkpk.organisation.models import Official

    return {
        "head": Official.objects.create(name="B1", nip="198001012000031003", position="Kepala B"),
        "superior": Official.objects.create(name="B2", nip="198001012000031004", position="Ses"),
    }


def test_the_file_is_stored_outside_every_served_path(plan, role_users, client_for):
    message = services.post_message(
        actor=role_users["staff"],
        plan=plan,
        body="x",
        files=[SimpleUploadedFile("rahasia.pdf", PDF)],
    )
    attachment = message.attachments.get()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_file() and stored.read_bytes() == PDF
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    served = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    assert not any(stored.is_relative_to(p.resolve()) for p in served)
    # A random stored name: the user's file name never becomes a path.
    assert "rahasia" not in attachment.file.name
    # No URL serves the media folder.
    media_url = settings.MEDIA_URL + attachment.file.name
    with pytest.raises(Resolver404):
        resolve(media_url)
    assert client_for(role_users["staff"]).get(media_url).status_code == 404


def test_an_attachment_of_another_plan_is_404_through_this_plan(
    units, officials, plan, role_users, client_for
):
    other = make_plan(units["b"], officials)
    message = services.post_message(
        actor=role_users["staff"], plan=other, body="x", files=[SimpleUploadedFile("a.pdf", PDF)]
    )
    pk = message.attachments.get().pk
    client = client_for(role_users["unit_operator"])
    assert client.get(url("review_attachment", plan, pk)).status_code == 404
    assert client.get(url("review_attachment", other, pk)).status_code == 404
    assert (
        client_for(role_users["staff"]).get(url("review_attachment", other, pk)).status_code == 200
    )


def test_a_missing_stored_file_is_404_not_500(plan, role_users, client_for):
    message = services.post_message(
        actor=role_users["staff"], plan=plan, body="x", files=[SimpleUploadedFile("a.pdf", PDF)]
    )
    attachment = message.attachments.get()
    Path(attachment.file.path).unlink()
    response = client_for(role_users["staff"]).get(url("review_attachment", plan, attachment.pk))
    assert response.status_code == 404


def test_posting_from_the_review_page_returns_there(plan, role_users, client_for):
    response = post(
        client_for(role_users["staff"]), plan, "dari halaman telaah", return_to="review"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("review_plan", plan))
    # A unit user cannot be sent to the review page they may not open.
    response = post(client_for(role_users["unit_operator"]), plan, "jawaban", return_to="review")
    assert response["Location"].startswith(url("review_messages", plan))
