"""The meeting report as DOCX and PDF: content, draft watermark, text printed as text."""

import io
import subprocess

import pytest
from docx import Document as Docx

from rkpk.meetings import documents, services
from rkpk.meetings.dates import format_day_date_id

pytestmark = [pytest.mark.django_db]


def _docx_text(data: bytes) -> str:
    document = Docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].header.paragraphs)
    return "\n".join(parts)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_draft_docx_has_the_decisions_and_the_watermark(ready):
    data, draft = documents.render(ready, "docx")
    assert draft
    text = _docx_text(data)
    assert "LAPORAN HASIL PEMBAHASAN RENCANA KINERJA DAN PENETAPAN KINERJA" in text
    assert "Menyempurnakan indikator sasaran 3" in text
    assert "Penanggung jawab" in text and "Batas waktu" in text
    assert "Biro A" in text and "Sdr. Wakil" in text
    assert "Catatan penting rapat." in text
    assert "NIP. 197001011995031001" in text
    assert "DRAF" in text


def test_filed_pdf_has_the_decisions_without_watermark(ready, role_users, tmp_path):
    draft_pdf, draft = documents.render(ready, "pdf")
    assert draft and draft_pdf.startswith(b"%PDF")
    assert "DRAF" in _pdf_text(draft_pdf, tmp_path)
    services.file_report(actor=role_users["head_of_bureau"], meeting=ready)
    ready.refresh_from_db()
    data, draft = documents.render(ready, "pdf")
    assert not draft
    text = _pdf_text(data, tmp_path)
    assert "Menyempurnakan indikator sasaran 3" in text
    assert "Keputusan" in text and "Penanggung jawab" in text
    assert "Kepala Biro Akuntabilitas Kinerja" in text
    assert format_day_date_id(ready.starts_at) in text
    assert "DRAF" not in text
    docx_text = _docx_text(documents.render(ready, "docx")[0])
    assert "DRAF" not in docx_text


def test_filed_report_prints_what_was_frozen(ready, role_users):
    services.file_report(actor=role_users["staff"], meeting=ready)
    ready.refresh_from_db()
    # Even if a row changed behind the services' back, the filed report stays as filed.
    ready.decisions.update(text="Diubah diam-diam")
    text = _docx_text(documents.render(ready, "docx")[0])
    assert "Menyempurnakan indikator sasaran 3" in text and "Diubah diam-diam" not in text


def test_texts_are_printed_as_text(ready, role_users):
    staff = role_users["staff"]
    item = ready.agenda_items.get()
    services.update_agenda_item(
        actor=staff, item=item, revision=item.revision, notes='<script>alert(1)</script>\x07 & "x"'
    )
    ready.refresh_from_db()
    content, _draft = documents.current_report(ready)
    html = documents.render_html({"report": content, "draft": True, "watermark": "DRAF"})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\x07" not in html
    text = _docx_text(documents.render(ready, "docx")[0])
    assert "<script>alert(1)</script>" in text


def test_unknown_format():
    with pytest.raises(documents.DocumentError):
        documents.render(None, "odt")
