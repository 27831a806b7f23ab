"""The documents of the ministry RK-PK: the drafts of a version (PDF and DOCX) and the final,
signed RK and PK (PDF), their content, escaping and file names."""

import io
from copy import deepcopy

import pytest
from django.utils import timezone

from rkpk.ministry import documents
from rkpk.ministry.models import MinistryPlan, PlanVersion
from rkpk.ministry.tests.factories import approved_by_deputy
from rkpk.ministry.tests.signing_helpers import (
    MINISTER_NAME,
    MINISTER_NIP,
    pdf_text,
    signed_plan,
)
from rkpk.plans.documents import BLANK
from rkpk.plans.models import StatementTemplate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

URL = "https://rkpk.setneg.go.id/verify/AbCdEf0123456789-token/"
HOSTILE = '<script>alert("x")</script> & <b>tebal</b>\x07'


@pytest.fixture
def approved(role_users, units):
    return approved_by_deputy(role_users, units)


@pytest.fixture
def version(approved) -> PlanVersion:
    return approved.versions.get()


@pytest.fixture
def signed(role_users, units) -> MinistryPlan:
    return signed_plan(role_users, units)


def docx_text(data: bytes) -> tuple[list[str], list, str]:
    """(paragraph texts, tables as lists of row texts, header text) of a DOCX."""
    from docx import Document

    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    return paragraphs, tables, header


# --- drafts of a version ----------------------------------------------------------------


def test_the_draft_docx_has_the_cover_sections_and_both_tables(version):
    paragraphs, tables, header = docx_text(documents.render_version(version, fmt="docx"))
    assert "DRAF versi 1" in header
    assert paragraphs[0] == (
        "RENCANA KINERJA DAN PENETAPAN KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027"
    )
    assert "DRAF versi 1" in paragraphs
    for section in version.content["sections"]:
        assert section["title"] in paragraphs
        assert section["text"] in paragraphs
    goals, programs = tables
    assert goals[0] == ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target"]
    rows = goals[1:]
    content_goals = version.content["tables"]["goals"]
    assert len(rows) == sum(max(1, len(g["indicators"])) for g in content_goals)
    first = content_goals[0]
    assert rows[0] == [
        "1",
        f"{first['code']} {first['text']}",
        first["indicators"][0]["name"],
        first["indicators"][0]["measure"],
        first["indicators"][0]["target"],
    ]
    assert programs[0] == ["No", "Program/Kegiatan", "Anggaran (Rp)", "Keterangan"]
    program = version.content["tables"]["programs"][0]
    assert programs[1] == ["1", program["name"], program["budget"].removeprefix("Rp"), ""]
    total = version.content["tables"]["budget_total"].removeprefix("Rp")
    assert programs[-1] == ["", "Jumlah", total, ""]


def test_the_draft_pdf_has_the_same_content(version):
    data = documents.render_version(version, fmt="pdf")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data, "-raw")  # the watermark stays out of the lines
    assert "RENCANA KINERJA DAN PENETAPAN KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027" in text
    assert "DRAF versi 1" in text and "belum ditandatangani" in text
    for section in version.content["sections"]:
        assert section["title"] in text
    assert "Sasaran strategis 1" in text and "Indikator kementerian 1" in text
    for header in ("Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target"):
        assert header in text
    for header in ("Program/Kegiatan", "Anggaran (Rp)", "Keterangan", "Jumlah"):
        assert header in text
    assert version.content["tables"]["budget_total"].removeprefix("Rp") in text
    assert "Halaman 1 dari" in text
    # The final documents' marks are not on a draft.
    assert documents.ELECTRONIC_MARK not in text


def test_texts_are_printed_as_text(version):
    version.content = deepcopy(version.content)
    version.content["sections"][0]["text"] = f"Paragraf {HOSTILE}\n\nKedua"
    version.content["tables"]["goals"][0]["text"] = "Sasaran <i>miring</i>"
    html = documents.render_to_string(documents.DRAFT_TEMPLATE, documents.version_context(version))
    assert "<script>" not in html and "<b>tebal</b>" not in html and "<i>miring" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;miring" in html
    assert "\x07" not in html
    text = pdf_text(documents.render_version(version, fmt="pdf"))
    assert '<script>alert("x")</script> & <b>tebal</b>' in text
    paragraphs, tables, _header = docx_text(documents.render_version(version, fmt="docx"))
    assert '<script>alert("x")</script> & <b>tebal</b>' in " ".join(paragraphs)
    assert tables[0][1][1].endswith("Sasaran <i>miring</i>")


def test_a_draft_loads_nothing_from_outside(version):
    html = documents.render_to_string(documents.DRAFT_TEMPLATE, documents.version_context(version))
    for marker in ("<img", "<link", "src=", "url(", "<script", "@import"):
        assert marker not in html
    assert "url(" not in documents._stylesheet_text() and "@import" not in html


def test_version_file_names(version):
    assert documents.version_filename(version, "pdf") == "RKPK-KEMENTERIAN-2027-draf-v1.pdf"
    assert documents.version_filename(version, "docx") == "RKPK-KEMENTERIAN-2027-draf-v1.docx"
    version.number = 2
    assert documents.version_filename(version, "pdf") == "RKPK-KEMENTERIAN-2027-draf-v2.pdf"
    with pytest.raises(documents.DocumentError):
        documents.version_filename(version, "xlsx")
    with pytest.raises(documents.DocumentError):
        documents.render_version(version, fmt="html")


# --- the final RK and PK ----------------------------------------------------------------


def test_the_final_pk_statement_attachment_and_signature(signed):
    text = pdf_text(documents.render_final(signed, kind="pk", verification_url=URL))
    assert "PENETAPAN KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027" in text
    assert "LAMPIRAN PENETAPAN KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027" in text
    # The statement in the regulated wording, the minister as first party.
    assert "kami yang bertanda tangan di bawah ini" in text
    assert f"Nama : {MINISTER_NAME}" in text
    assert "Jabatan : Menteri Sekretaris Negara" in text
    assert "Jabatan : Presiden Republik Indonesia" in text
    assert f"Nama : {BLANK}" in text  # the second party's name is not set
    # Place and date of the signature, the two blocks, the minister's electronic signature.
    day = timezone.localdate(signed.signed_at)
    assert f"Jakarta, {documents.format_date_id(day)}" in text
    assert "Pihak Kedua" in text and "Pihak Pertama" in text
    assert MINISTER_NAME in text and f"NIP. {MINISTER_NIP}" in text
    assert "Ditandatangani secara elektronik" in text
    assert documents.format_date_id(day) + " pukul" in text
    # The attachment: table 1 and table 2 with the total.
    assert "Indikator kementerian 3" in text and "Program Dukungan" in text
    assert "Anggaran (Rp)" in text and "Jumlah" in text and "3.000.000" in text
    # The footer: the verification address and page numbers.
    assert URL in text and "Halaman 1 dari 2" in text and "Halaman 2 dari 2" in text


def test_the_pk_layout_second_party_left_first_party_right(signed):
    html = documents.render_final_html(
        documents.final_context(signed, kind="pk", verification_url=URL)
    )
    signatures = html[html.index('class="signatures"') :]
    party = signatures[signatures.index('class="party"') :]
    assert party.index("Pihak Kedua") < party.index("Pihak Pertama")
    # The QR code is inline SVG leading to the verification page; nothing loads from outside.
    assert html.count("<svg") == 2  # on the statement and under the attachment
    for marker in ("<img", "<link", "src=", "url("):
        assert marker not in html


def test_the_second_party_and_an_acting_minister_are_printed(signed):
    signed.second_party_name = "Ir. H. Joko Widodo"
    signed.signed_acting = "Plt"
    text = pdf_text(documents.render_final(signed, kind="pk", verification_url=URL))
    assert "Nama : Ir. H. Joko Widodo" in text and BLANK not in text
    assert "Jabatan : Plt. Menteri Sekretaris Negara" in text
    assert "Plt. Menteri Sekretaris Negara" in text.split("Pihak Pertama", 1)[1]
    signed.signed_acting = "Plh"
    text = pdf_text(documents.render_final(signed, kind="rk", verification_url=URL))
    assert "Plh. Menteri Sekretaris Negara" in text


def test_the_final_rk_cover_sections_tables_and_closing(signed):
    text = pdf_text(documents.render_final(signed, kind="rk", verification_url=URL))
    assert "RENCANA KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027" in text
    for section in signed.signed_version.content["sections"]:
        assert section["title"] in text
    assert "Capaian" in text and "Terhimpun" in text
    compiled = signed.signed_version.content["tables"]["goals"][0]["indicators"][0]["compiled"]
    assert compiled and f"Persen 81 {compiled}" in text
    assert "Anggaran (Rp)" in text and "Jumlah" in text
    assert "Menteri Sekretaris Negara," in text and MINISTER_NAME in text
    assert f"NIP. {MINISTER_NIP}" in text and "Ditandatangani secara elektronik" in text
    assert URL in text and "Halaman 1 dari 3" in text
    assert "Pihak Kedua" not in text and "DRAF" not in text


def test_the_final_prints_the_signed_version_not_the_current_sections(signed):
    section = signed.sections.get(key="pendahuluan")
    type(section).objects.filter(pk=section.pk).update(text="Teks yang diubah kemudian.")
    text = pdf_text(documents.render_final(signed, kind="rk", verification_url=URL))
    assert "Teks yang diubah kemudian." not in text
    assert signed.signed_version.content["sections"][0]["text"][:60] in text


def test_final_texts_are_escaped(signed):
    signed.signed_name = "Dr. <b>Nama</b> & Rekan"
    signed.second_party_name = HOSTILE
    html = documents.render_final_html(
        documents.final_context(signed, kind="pk", verification_url=URL + '"><script>')
    )
    assert "<b>Nama</b>" not in html and "&lt;b&gt;Nama&lt;/b&gt; &amp; Rekan" in html
    assert "<script>" not in html and "\x07" not in html
    text = pdf_text(documents.render_final(signed, kind="pk", verification_url=URL))
    assert "Dr. <b>Nama</b> & Rekan" in text


def test_the_pk_follows_the_active_statement_template(signed):
    StatementTemplate.objects.update(is_active=False)
    StatementTemplate.objects.create(
        title="PERJANJIAN KINERJA TAHUN {year}",
        body="Kami, {first_name} ({first_position}) dan {second_position}, sepakat.",
        regulation="PermenPAN-RB 53/2014",
        is_active=True,
    )
    text = pdf_text(documents.render_final(signed, kind="pk", verification_url=URL))
    assert "PERJANJIAN KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027" in text
    assert f"Kami, {MINISTER_NAME} (Menteri Sekretaris Negara)" in text
    assert "Presiden Republik Indonesia, sepakat." in text
    assert documents.final_title("pk", 2027) == (
        "Perjanjian Kinerja Kementerian Sekretariat Negara Tahun 2027"
    )


def test_final_file_names_and_errors(signed):
    assert documents.final_filename(signed, "pk") == "PK-KEMENTERIAN-2027.pdf"
    assert documents.final_filename(signed, "rk") == "RK-KEMENTERIAN-2027.pdf"
    assert documents.final_title("rk", 2027) == (
        "Rencana Kinerja Kementerian Sekretariat Negara Tahun 2027"
    )
    with pytest.raises(documents.DocumentError):
        documents.final_filename(signed, "rkpk")
    with pytest.raises(documents.DocumentError):
        documents.render_final(signed, kind="lakip", verification_url=URL)


def test_an_unsigned_plan_has_no_final_document(approved):
    with pytest.raises(documents.DocumentError, match="not been signed"):
        documents.render_final(approved, kind="pk", verification_url=URL)
