"""Memoranda and letters as PDF (text extracted with pdftotext) and DOCX (re-read)."""

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document as WordDocument

from rkpk.correspondence import rendering, services
from rkpk.correspondence.models import Document, LetterTemplate
from rkpk.organisation.models import Official
from rkpk.organisation.profile import current_profile

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
SCRIPT = "<script>alert(1)</script>"
SIGNER_NAME = "Prof. Dr. Hendra Wijayakusuma, S.H., M.H."
SIGNER_NIP = "196208171988031002"


def deputy_title() -> str:
    """The deputy's title as the organisation profile gives it (the signer's printed post)."""
    return current_profile().deputy_title


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The PDF's text; without `layout`, whitespace collapsed (lines wrap where they fit)."""
    assert data.startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        pytest.skip("reading PDF text needs pdftotext (Debian poppler-utils)")
    done = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    text = done.stdout.decode()
    return text if layout else flat(text)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def docx_text(data: bytes) -> str:
    """Every paragraph of the DOCX, in the body and in its tables, one per line."""
    word = WordDocument(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def make_document(actor, *, key="step1-call-for-submissions", **fields) -> Document:
    template = LetterTemplate.objects.get(key=key)
    document = services.create_from_template(
        actor=actor,
        template=template,
        values={"year": 2027, "cycle": "Siklus 2027", "deadline": "29 Januari 2027"},
        addressee="Para Kepala Satuan Organisasi\ndi lingkungan Kementerian Sekretariat Negara",
        copies="1. Menteri Sekretaris Negara\nSekretaris Kementerian Sekretariat Negara",
    )
    if fields:
        Document.objects.filter(pk=document.pk).update(**fields)
        document.refresh_from_db()
    return document


def signer_for(user):
    official = Official.objects.create(
        name=SIGNER_NAME, nip=SIGNER_NIP, position="Deputi Bidang Pengawasan"
    )
    user.official = official
    user.save(update_fields=["official"])
    return user


def signed(document, signer, *, acting="", review=None):
    if document.requires_review:
        services.send_for_review(actor=review["staff"], document=document)
        services.review(actor=review["head_of_bureau"], document=document, approve=True)
    return services.sign(actor=signer, document=document, acting=acting)


def registered(document, users, *, acting=""):
    """The document reviewed, signed by its signer's role and registered."""
    signer = signer_for(users[document.signer_role])
    document = signed(document, signer, acting=acting, review=users)
    return services.register(actor=users["staff"], document=document)


@pytest.fixture
def draft(role_users):
    return make_document(role_users["staff"])


@pytest.fixture
def memo(role_users):
    return registered(make_document(role_users["staff"]), role_users, acting="Plt")


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signing")
    call_command(
        "make_signing_certificate", "--out", str(folder), "--days", "30", stdout=io.StringIO()
    )
    return folder / "signing-cert.pem", folder / "signing-key.pem"


# --- the content -------------------------------------------------------------------------


def test_draft_pdf_prints_the_memorandum_layout_and_a_draft_mark(draft):
    text = pdf_text(rendering.render_document(draft, fmt="pdf"))
    for expected in (
        "KEMENTERIAN SEKRETARIAT NEGARA",
        "REPUBLIK INDONESIA",
        "NOTA DINAS",
        "Nomor",
        "…… (draf)",
        "DRAF",
        "Sifat",
        "Biasa",
        "Lampiran",
        "Hal",
        "Permintaan dokumen Rencana Kinerja dan Penetapan Kinerja Tahun 2027",
        "Yth.",
        "Para Kepala Satuan Organisasi",
        "di lingkungan Kementerian Sekretariat Negara",
        "paling lambat tanggal 29 Januari 2027",
        "Atas perhatian dan kerja sama Saudara",
        f"{deputy_title()},",
        "Tembusan:",
        "Menteri Sekretaris Negara",
        "Halaman 1 dari 1",
        f"Jakarta, {rendering.format_date_id(timezone.localdate())}",
    ):
        assert expected in text, expected
    # Copies are numbered once, whether or not the drafter numbered them.
    assert "1. 1." not in text
    assert "ttd" not in text
    assert rendering.QR_CAPTION not in text


def test_heading_block_is_left_and_date_right_on_the_same_line(draft):
    text = pdf_text(rendering.render_document(draft, fmt="pdf"), layout=True)
    line = next(line for line in text.splitlines() if "Nomor" in line)
    assert "Jakarta," in line and line.index("Nomor") < line.index("Jakarta,")


def test_body_paragraphs_are_split_on_blank_lines(draft):
    context = rendering.document_context(draft)
    assert len(context["body"]) == 3
    assert context["body"][0][0].startswith("Dalam rangka penyusunan")
    assert context["heading"][0] == {"label": "Nomor", "value": "…… (draf)"}
    assert context["is_draft"] and context["verification_url"] == ""


def test_registered_pdf_has_number_signature_and_verification_qr(memo, settings):
    data = rendering.render_document(memo, fmt="pdf")
    text = pdf_text(data)
    registered_on = timezone.localdate(memo.registered_at)
    for expected in (
        memo.number,
        f"Jakarta, {rendering.format_date_id(registered_on)}",
        f"Plt. {deputy_title()},",
        "ttd",
        SIGNER_NAME,
        f"NIP. {SIGNER_NIP}",
        rendering.QR_CAPTION,
    ):
        assert expected in text, expected
    assert "DRAF" not in text and "(draf)" not in text
    url = f"{settings.RKPK_BASE_URL.rstrip('/')}/verify/{memo.verification_token}/"
    assert rendering.verification_url(memo.verification_token) == url
    assert url in text.replace(" ", "")
    # The QR code printed is the one that encodes the verification address.
    html = rendering.render_html(rendering.document_context(memo))
    assert rendering.qr_svg(url) in html
    assert rendering.qr_code(url).designator.endswith("-M")


def test_the_verification_address_follows_the_base_url(memo, settings):
    settings.RKPK_BASE_URL = "https://rkpk.setneg.go.id/"
    context = rendering.document_context(memo)
    assert context["verification_url"] == (
        f"https://rkpk.setneg.go.id/verify/{memo.verification_token}/"
    )


def test_letter_has_no_title_and_keeps_the_block(role_users):
    letter = make_document(role_users["staff"], key="step13-letter-to-menpan")
    text = pdf_text(rendering.render_document(letter, fmt="pdf"))
    assert "NOTA DINAS" not in text
    for expected in ("Nomor", "Sifat", "Lampiran", "Hal", "Menteri Sekretaris Negara,"):
        assert expected in text, expected


def test_the_date_is_of_registration_else_signing_else_today(draft):
    assert rendering.document_date(draft) == timezone.localdate()
    draft.signed_at = datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert rendering.document_date(draft) == date(2026, 11, 25)  # Jakarta is UTC+7
    draft.registered_at = datetime(2026, 12, 1, 9, tzinfo=JAKARTA)
    assert rendering.document_date(draft) == date(2026, 12, 1)


def test_acting_prefix_and_electronic_mark(memo, settings, certificate):
    context = rendering.document_context(memo)
    assert context["signature"]["position_lines"] == [f"Plt. {deputy_title()}"]
    assert context["signature"]["mark"] == "ttd"
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = map(str, certificate)
    context = rendering.document_context(memo)
    assert context["signature"]["mark"] == rendering.ELECTRONIC_MARK


def test_every_text_is_escaped_and_nothing_is_fetched(role_users):
    document = make_document(
        role_users["staff"],
        subject=SCRIPT,
        body=f'Isi {SCRIPT}\n\n<img src="http://x/y.png"> {{{{ year }}}}',
        addressee=SCRIPT,
        copies='<a href="http://x">x</a>',
        signer_position="Deputi <b>Bidang</b>",
    )
    html = rendering.render_html(rendering.document_context(document))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<(img|link|script|object|iframe)\b", html)
    text = pdf_text(rendering.render_document(document, fmt="pdf"))
    assert SCRIPT in text
    assert "{{ year }}" in text
    words = docx_text(rendering.render_document(document, fmt="docx"))
    assert SCRIPT in words and '<img src="http://x/y.png">' in words
    assert "Deputi <b>Bidang</b>" in words


def test_control_characters_are_dropped(role_users):
    document = make_document(role_users["staff"])
    document.body = "Satu\x00\x07\x0b dua\x0cempat"  # not saved: PostgreSQL refuses NUL
    words = docx_text(rendering.render_document(document, fmt="docx"))
    assert "Satu duaempat" in words


def test_draft_docx_has_the_same_content_and_is_editable(draft):
    data = rendering.render_document(draft, fmt="docx")
    words = docx_text(data)
    for expected in (
        "KEMENTERIAN SEKRETARIAT NEGARA",
        "NOTA DINAS",
        "Nomor",
        "…… (draf)",
        rendering.DRAFT_LABEL,
        "Lampiran",
        "Permintaan dokumen Rencana Kinerja dan Penetapan Kinerja Tahun 2027",
        "Para Kepala Satuan Organisasi",
        "paling lambat tanggal 29 Januari 2027",
        f"{deputy_title()},",
        "Tembusan:",
        "1.\tMenteri Sekretaris Negara",
        "2.\tSekretaris Kementerian Sekretariat Negara",
        f"Jakarta, {rendering.format_date_id(timezone.localdate())}",
    ):
        assert expected in words, expected
    assert "{{" not in words and "{%" not in words
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
        footer = "".join(archive.read(n).decode() for n in archive.namelist() if "footer" in n)
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_registered_docx_carries_number_signer_and_qr_image(memo):
    data = rendering.render_document(memo, fmt="docx")
    words = docx_text(data)
    for expected in (
        memo.number,
        f"Plt. {deputy_title()},",
        "ttd",
        SIGNER_NAME,
        f"NIP. {SIGNER_NIP}",
        rendering.QR_CAPTION,
        rendering.verification_url(memo.verification_token),
    ):
        assert expected in words, expected
    assert "DRAF" not in words
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(images) == 1
        assert archive.read(images[0]).startswith(b"\x89PNG")


def test_the_letter_docx_has_no_title(role_users):
    letter = make_document(role_users["staff"], key="step13-letter-to-menpan")
    assert "NOTA DINAS" not in docx_text(rendering.render_document(letter, fmt="docx"))


def test_letterhead_comes_from_the_template(draft, role_users):
    LetterTemplate.objects.filter(pk=draft.template_id).update(
        letterhead="KEMENTERIAN UJI\nDEPUTI BIDANG UJI"
    )
    # A document keeps the letterhead it was created with; the next one has the new one.
    draft.refresh_from_db()
    text = pdf_text(rendering.render_document(draft, fmt="pdf"))
    assert "KEMENTERIAN SEKRETARIAT NEGARA" in text.split("Nomor")[0]
    fresh = make_document(role_users["staff"])
    text = pdf_text(rendering.render_document(fresh, fmt="pdf"))
    assert "KEMENTERIAN UJI" in text and "DEPUTI BIDANG UJI" in text
    assert "KEMENTERIAN SEKRETARIAT NEGARA" not in text.split("Nomor")[0]


def test_unknown_format_is_refused(draft):
    with pytest.raises(rendering.RenderError):
        rendering.render_document(draft, fmt="odt")


def test_filenames(draft, memo):
    assert rendering.document_filename(draft, "docx") == f"draf-{draft.pk}.docx"
    name = rendering.document_filename(memo, "pdf")
    assert name.endswith(".pdf") and "/" not in name and name.startswith("ND-1-")


def test_the_printed_qr_code_reads_back_module_for_module():
    """WeasyPrint draws segno's inline SVG exactly: every module of the matrix is where it
    should be in the rasterised PDF, so a phone reads the verification address."""
    image_module = pytest.importorskip("PIL.Image")
    if not shutil.which("pdftoppm"):
        pytest.skip("rasterising needs pdftoppm (Debian poppler-utils)")
    import weasyprint

    url = rendering.verification_url("Zk3p_Qm9xVb2TnA8LrW4yHs6JdEcFgUo")
    html = (
        "<style>@page { size: A4; margin: 2cm } .q, .q svg { width: 2.9cm; height: 2.9cm }"
        f"</style><div class='q'>{rendering.qr_svg(url)}</div>"
    )
    pdf = weasyprint.HTML(string=html).write_pdf()
    png = subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    image = image_module.open(io.BytesIO(png)).convert("L")
    left, top, right, bottom = image.point(lambda v: 255 if v < 128 else 0).getbbox()
    matrix = rendering.qr_code(url).matrix
    n = len(matrix)
    assert abs((right - left) - (bottom - top)) <= 2
    size = (right - left) / n
    wrong = sum(
        (image.getpixel((int(left + (c + 0.5) * size), int(top + (r + 0.5) * size))) < 128)
        != bool(matrix[r][c])
        for r in range(n)
        for c in range(n)
    )
    assert wrong == 0


def test_a_long_memorandum_runs_over_numbered_pages(role_users):
    body = "\n\n".join(f"Paragraf {i}. " + "Isi nota dinas yang panjang. " * 30 for i in range(12))
    document = make_document(role_users["staff"], body=body)
    text = pdf_text(rendering.render_document(document, fmt="pdf"))
    pages = re.findall(r"Halaman (\d+) dari (\d+)", text)
    assert len(pages) > 1 and pages == [(str(i), str(len(pages))) for i in range(1, len(pages) + 1)]
    assert "Paragraf 11." in text and "Tembusan:" in text
