"""The RK and PK documents: DOCX (re-read with python-docx), PDF (text extracted), downloads."""

import io
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from docx import Document

from rkpk.core.pdf import no_fetch_class
from rkpk.core.tests.role_matrix import row
from rkpk.organisation.models import Official, Role
from rkpk.plans import documents
from rkpk.plans.documents import document_context, render_html, render_plan_document
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    StatementTemplate,
    Submission,
    UnitPlan,
)
from rkpk.plans.snapshot import plan_snapshot

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
DAY = date(2026, 11, 25)
FIRST_NAME = "Dr. Siti Rahmawati, S.E., M.Si."
SECOND_NAME = "Ir. Bambang Sutrisno, M.M."


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The text of a PDF: with pypdf if installed, else poppler's pdftotext.

    Without `layout`, whitespace is collapsed (a cell's text wraps over lines); with it, the
    page's lines as laid out (pdftotext only), to tell left from right.
    """
    assert data.startswith(b"%PDF-")
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None and not layout:
        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    elif shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        )
        text = done.stdout.decode()
    else:
        pytest.skip("reading PDF text needs pypdf or pdftotext (Debian poppler-utils)")
    return text if layout else " ".join(text.split())


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """(paragraph texts, tables as rows of cell texts) of a DOCX, as Word would read it."""
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def docx_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


@pytest.fixture
def officials(units):
    first = Official.objects.create(
        name=FIRST_NAME, nip="197001012000012001", position="Kepala Biro A", unit=units["a"]
    )
    second = Official.objects.create(
        name=SECOND_NAME, nip="196501011990011001", position="Sekretaris Uji", unit=units["root"]
    )
    return first, second


def _indicator(plan, goal, position, name, **fields):
    return Indicator.objects.create(
        plan=plan, goal=goal, position=position, name=name, measure="Persen", **fields
    )


@pytest.fixture
def plan(units, officials):
    """Unit A's 2027 plan: copied from 2026 (last year's targets), a script string in a goal,
    an indicator left out of the PK, a program with two activities, an acting first party."""
    first, second = officials
    old = UnitPlan.objects.create(unit=units["a"], year=2026)
    old_goal = Goal.objects.create(plan=old, position=1, text="Sasaran lama")
    old_indicator = _indicator(
        old, old_goal, 1, "Persentase dokumen tepat waktu", target_kind="percent", target_value=80
    )
    plan = UnitPlan.objects.create(
        unit=units["a"],
        year=2027,
        first_party=first,
        first_party_acting="Plt",
        second_party=second,
        copied_from=old,
    )
    goal1 = Goal.objects.create(
        plan=plan, position=1, text=f"{SCRIPT} Meningkatnya kualitas perencanaan"
    )
    goal2 = Goal.objects.create(plan=plan, position=2, text="Meningkatnya akuntabilitas keuangan")
    _indicator(
        plan,
        goal1,
        1,
        "Persentase dokumen tepat waktu",
        target_kind="percent",
        target_value=Decimal("85.5"),
        previous=old_indicator,
    )
    _indicator(
        plan, goal1, 2, "Indikator hanya RK", target_kind="number", target_value=1250, in_pk=False
    )
    _indicator(plan, goal2, 1, "Opini BPK", target_kind="qualitative", target_text="WTP")
    program = Activity.objects.create(
        plan=plan, position=1, kind="program", name="Program Dukungan Manajemen", budget=1_500_000
    )
    activity = Activity.objects.create(
        plan=plan, position=2, name="Kegiatan Perencanaan", budget=1_000_000, notes="=SUM(A1)"
    )
    Activity.objects.create(plan=plan, position=3, name="Kegiatan Evaluasi", budget=500_000)
    ActivityIndicator.objects.create(
        activity=activity, name="Jumlah dokumen perencanaan", measure="Dokumen", target_value=3
    )
    assert program.pk
    return plan


# --- content ----------------------------------------------------------------------------


def test_pk_docx_has_statement_signatures_and_attachment(plan):
    data = render_plan_document(plan, doc="pk", fmt="docx", on_date=DAY)
    paragraphs, tables = docx_text(data)
    text = "\n".join(paragraphs)
    assert paragraphs[0] == "PENETAPAN KINERJA TAHUN 2027"
    assert paragraphs[1] == "BIRO A"
    assert "LAMPIRAN PENETAPAN KINERJA TAHUN 2027" in text
    # The statement, its placeholders filled; "Nama: …" lines aligned with tabs.
    assert f"Nama\t:\t{FIRST_NAME}" in paragraphs
    assert "Jabatan\t:\tPlt. Kepala Biro A" in paragraphs
    assert f"Nama\t:\t{SECOND_NAME}" in paragraphs
    assert "{first_name}" not in text and "{year}" not in text
    # Two signature blocks (statement page and attachment): second party left, first right.
    signatures = [t for t in tables if len(t[0]) == 2 and t[0][1].startswith("Jakarta")]
    assert len(signatures) == 2
    for table in signatures:
        assert table[0] == ["", "Jakarta, 25 November 2026"]
        assert table[1] == ["Pihak Kedua,", "Pihak Pertama,"]
        assert table[2] == ["Sekretaris Uji", "Plt. Kepala Biro A"]
        assert table[4] == [SECOND_NAME, FIRST_NAME]
        assert table[5] == ["", ""]  # the parties' own ranks: none recorded here
        assert table[6] == ["NIP. 196501011990011001", "NIP. 197001012000012001"]
    # Table 1: only the PK indicators; the goal cell merged over its indicators.
    indicators = next(t for t in tables if t[0][1] == "Sasaran Strategis")
    assert indicators[0] == ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target"]
    assert indicators[1] == [
        "1",
        f"{SCRIPT} Meningkatnya kualitas perencanaan",
        "Persentase dokumen tepat waktu",
        "Persen",
        "85,5%",
    ]
    assert indicators[2][1:] == [
        "Meningkatnya akuntabilitas keuangan",
        "Opini BPK",
        "Persen",
        "WTP",
    ]
    assert len(indicators) == 3
    assert "Indikator hanya RK" not in docx_xml(data)
    # Table 2: programs and activities with their budget, and the total (the program once).
    budget = next(t for t in tables if t[0][1] == "Program/Kegiatan")
    assert budget[0] == ["No", "Program/Kegiatan", "Anggaran (Rp)", "Keterangan"]
    assert budget[1] == ["1", "Program Dukungan Manajemen", "1.500.000", ""]
    assert budget[2] == ["1.1", "Kegiatan Perencanaan", "1.000.000", "=SUM(A1)"]
    assert budget[3] == ["1.2", "Kegiatan Evaluasi", "500.000", ""]
    assert budget[4][0] == budget[4][1] == "Jumlah"  # merged over two columns
    assert budget[4][2] == "1.500.000"


def test_rk_docx_has_goals_last_years_targets_and_activities(plan):
    paragraphs, tables = docx_text(render_plan_document(plan, doc="rk", fmt="docx"))
    assert paragraphs[0] == "RENCANA KINERJA TAHUNAN 2027"
    assert paragraphs[1] == "BIRO A"
    goals, activities = tables
    assert goals[0] == [
        "No",
        "Sasaran",
        "Indikator Kinerja",
        "Satuan",
        "Target 2027",
        "Target Tahun Lalu (2026)",
    ]
    # Both indicators of goal 1 (the RK has them all), goal cells merged vertically.
    assert goals[1][2:] == ["Persentase dokumen tepat waktu", "Persen", "85,5%", "80%"]
    assert goals[2][:2] == goals[1][:2] == ["1", f"{SCRIPT} Meningkatnya kualitas perencanaan"]
    assert goals[2][2:] == ["Indikator hanya RK", "Persen", "1.250", ""]
    assert goals[3][:3] == ["2", "Meningkatnya akuntabilitas keuangan", "Opini BPK"]
    assert activities[0][2] == "Indikator Kinerja Kegiatan"
    assert activities[0][-1] == "Anggaran (Rp)"
    assert activities[2][1:] == [
        "Kegiatan Perencanaan",
        "Jumlah dokumen perencanaan",
        "Dokumen",
        "12" if False else "3",
        "1.000.000",
    ]
    assert activities[-1][0] == "Jumlah" and activities[-1][-1] == "1.500.000"


def test_rk_without_last_years_targets_has_no_such_column(units):
    plan = UnitPlan.objects.create(unit=units["b"], year=2027)
    goal = Goal.objects.create(plan=plan, position=1, text="Sasaran B")
    _indicator(plan, goal, 1, "Indikator B", target_kind="number", target_value=5)
    _paragraphs, tables = docx_text(render_plan_document(plan, doc="rk", fmt="docx"))
    goals = tables[0]
    assert goals[0] == ["No", "Sasaran", "Indikator Kinerja", "Satuan", "Target 2027"]
    assert goals[1] == ["1", "Sasaran B", "Indikator B", "Persen", "5"]
    assert all(len(row) == 5 for row in goals)
    html = render_html(document_context(plan_snapshot(plan), doc="rk"))
    assert "Target Tahun Lalu" not in html


def test_empty_plan_prints_empty_states_and_blank_parties(units):
    plan = UnitPlan.objects.create(unit=units["b"], year=2027)
    paragraphs, tables = docx_text(render_plan_document(plan, doc="rkpk", fmt="docx"))
    text = "\n".join(paragraphs) + "".join(str(t) for t in tables)
    for expected in (
        "RENCANA KINERJA TAHUNAN 2027",
        "PENETAPAN KINERJA TAHUN 2027",
        "Belum ada sasaran.",
        "Belum ada program/kegiatan.",
        "Belum ada indikator kinerja dalam PK.",
    ):
        assert expected in text
    signatures = next(t for t in tables if t[1] == ["Pihak Kedua,", "Pihak Pertama,"])
    assert signatures[4] == [documents.BLANK, documents.BLANK]


def test_rkpk_docx_holds_both_documents_in_order(plan):
    data = render_plan_document(plan, doc="rkpk", fmt="docx")
    paragraphs, tables = docx_text(data)
    text = "\n".join(paragraphs)
    assert text.index("RENCANA KINERJA TAHUNAN 2027") < text.index("PENETAPAN KINERJA TAHUN 2027")
    # No template tag is left over, in the body, the footer or the document's properties.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                xml = archive.read(name).decode()
                assert "{{" not in xml and "{%" not in xml, name
    assert Document(io.BytesIO(data)).core_properties.title == "RKPK 2027 Biro A"
    assert len(tables) == 6  # RK: 2 tables; PK: signatures, 2 attachment tables, signatures


def test_text_fields_are_printed_as_text_in_docx(plan):
    Goal.objects.filter(plan=plan, position=2).update(
        text="Tanda & < > \" ' {{ year }} {% if %} baris\nkedua\x07\x0c"
    )
    data = render_plan_document(plan, doc="rkpk", fmt="docx")
    xml = docx_xml(data)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "<script>" not in xml
    _paragraphs, tables = docx_text(data)
    cells = {cell for table in tables for row in table for cell in row}
    assert f"{SCRIPT} Meningkatnya kualitas perencanaan" in cells
    # Template syntax in data is not evaluated; control characters are dropped.
    assert "Tanda & < > \" ' {{ year }} {% if %} baris\nkedua" in cells


def test_pdf_html_escapes_every_text(plan):
    Activity.objects.filter(plan=plan, position=3).update(notes='<img src="http://x/y.png">')
    html = render_html(document_context(plan_snapshot(plan), doc="rkpk"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "<img" not in html and "&lt;img src=&quot;http://x/y.png&quot;&gt;" in html


def test_pk_pdf_prints_the_statement_and_signature_blocks(plan):
    data = render_plan_document(plan, doc="pk", fmt="pdf", on_date=DAY)
    text = pdf_text(data)
    for expected in (
        "PENETAPAN KINERJA TAHUN 2027",
        "LAMPIRAN PENETAPAN KINERJA TAHUN 2027",
        "BIRO A",
        "Jakarta, 25 November 2026",
        "Plt. Kepala Biro A",
        "NIP. 197001012000012001",
        "NIP. 196501011990011001",
        "Sasaran Strategis",
        "Anggaran (Rp)",
        "1.500.000",
        SCRIPT,
        "Halaman 1 dari 2",
        "Halaman 2 dari 2",
    ):
        assert expected in text, expected
    assert "Indikator hanya RK" not in text
    # Second party on the left, first party on the right, on the same line.
    text = pdf_text(data, layout=True)
    lines = [line for line in text.splitlines() if SECOND_NAME in line and FIRST_NAME in line]
    assert lines and all(line.index(SECOND_NAME) < line.index(FIRST_NAME) for line in lines)


def test_rk_pdf_prints_goals_activities_and_total(plan):
    text = pdf_text(render_plan_document(plan, doc="rk", fmt="pdf"))
    for expected in (
        "RENCANA KINERJA TAHUNAN 2027",
        "Tahun Lalu",
        "Indikator hanya RK",
        "85,5%",
        "80%",
        "WTP",
        "Kegiatan Perencanaan",
        "Jumlah dokumen perencanaan",
        "1.000.000",
        "Jumlah",
        SCRIPT,
    ):
        assert expected in text, expected


def test_statement_wording_comes_from_the_active_template(plan):
    StatementTemplate.objects.create(
        title="PERJANJIAN KINERJA TAHUN {year}",
        body=(
            "Pada {unit} tahun {year} {tidak_dikenal} {0} {\n\n"
            "Pihak pertama: {first_name} NIP {first_nip}\n"
            "Yang lain: {second_position}"
        ),
    )
    paragraphs, _tables = docx_text(render_plan_document(plan, doc="pk", fmt="docx"))
    assert paragraphs[0] == "PERJANJIAN KINERJA TAHUN 2027"
    assert "Pada Biro A tahun 2027 {tidak_dikenal} {0} {" in paragraphs
    assert f"Pihak pertama\t:\t{FIRST_NAME} NIP 197001012000012001" in paragraphs
    assert "Yang lain\t:\tSekretaris Uji" in paragraphs
    assert "LAMPIRAN PERJANJIAN KINERJA TAHUN 2027" in paragraphs


def test_statement_lines_and_blocks():
    values = dict.fromkeys(documents.PLACEHOLDERS, "X")
    blocks = documents.statement_blocks(
        "Kami yang bertanda tangan di bawah ini:\n\nNama: {first_name}\nJabatan : {unit}\n\n\n"
        "Teks penutup: dengan kalimat yang sangat panjang sekali melebihi label",
        values,
    )
    assert blocks == [
        [{"label": "", "value": "", "text": "Kami yang bertanda tangan di bawah ini:"}],
        [
            {"label": "Nama", "value": "X", "text": ""},
            {"label": "Jabatan", "value": "X", "text": ""},
        ],
        [{"label": "Teks penutup", "value": blocks[2][0]["value"], "text": ""}],
    ]


def test_a_submitted_version_prints_its_frozen_content_and_date(plan, role_users):
    submitted_at = datetime(2026, 12, 3, 23, 30, tzinfo=ZoneInfo("UTC"))  # 4 Dec in Jakarta
    submission = Submission.objects.create(
        plan=plan,
        number=1,
        snapshot=plan_snapshot(plan),
        submitted_by=role_users["unit_operator"],
        submitted_at=submitted_at,
    )
    Official.objects.filter(name=FIRST_NAME).update(name="Pejabat Baru")
    Goal.objects.filter(plan=plan, position=2).update(text="Sasaran diubah setelah dikirim")
    paragraphs, tables = docx_text(render_plan_document(submission, doc="pk", fmt="docx"))
    cells = {cell for table in tables for row in table for cell in row}
    assert FIRST_NAME in cells and "Pejabat Baru" not in cells
    assert "Meningkatnya akuntabilitas keuangan" in cells
    assert "Jakarta, 4 Desember 2026" in cells
    # The snapshot dict alone prints the same content, dated by its "submitted_at" if any.
    snapshot = {**submission.snapshot, "submitted_at": "2026-12-05T10:00:00+07:00"}
    _paragraphs, tables = docx_text(render_plan_document(snapshot, doc="pk", fmt="docx"))
    assert "Jakarta, 5 Desember 2026" in {c for t in tables for r in t for c in r}
    # The live plan shows the new name.
    _paragraphs, tables = docx_text(render_plan_document(plan, doc="pk", fmt="docx"))
    assert "Pejabat Baru" in {c for t in tables for r in t for c in r}


def test_budget_total_counts_programs_once_and_loose_activities(units):
    plan = UnitPlan.objects.create(unit=units["b"], year=2027)
    for position, kind, budget in (
        (1, "activity", 100),  # outside any program
        (2, "program", 0),  # budget not entered: its activities count
        (3, "activity", 20),
        (4, "activity", 30),
        (5, "program", 1000),
        (6, "activity", 1000),
    ):
        Activity.objects.create(
            plan=plan, position=position, kind=kind, name=f"Baris {position}", budget=budget
        )
    context = document_context(plan_snapshot(plan), doc="rkpk")
    assert context["pk"]["budget_total"] == "1.150"
    assert [a["number"] for a in context["pk"]["activities"]] == [
        "1",
        "2",
        "2.1",
        "2.2",
        "3",
        "3.1",
    ]


def test_place_is_configurable(plan, settings):
    settings.RKPK_DOCUMENT_PLACE = "Bogor"
    context = document_context(plan_snapshot(plan), doc="pk", on_date=DAY)
    assert context["pk"]["place_date"] == "Bogor, 25 November 2026"


def test_the_pdf_renderer_loads_no_external_resource():
    fetcher = no_fetch_class()()
    for url in ("http://127.0.0.1/x.png", "file:///etc/passwd", "data:text/css,body{}"):
        with pytest.raises(ValueError, match="not loaded"):
            fetcher.fetch(url)


def test_unknown_document_or_format_is_refused(plan):
    with pytest.raises(documents.DocumentError):
        render_plan_document(plan, doc="lakip", fmt="pdf")
    with pytest.raises(documents.DocumentError):
        render_plan_document(plan, doc="pk", fmt="odt")


def test_filenames(plan):
    assert documents.document_filename(plan, doc="pk", fmt="pdf") == "PK-2027-E1.A.pdf"
    snapshot = {"year": 2027, "unit": {"code": "SETMEN.RENKEU"}}
    assert documents.document_filename(snapshot, doc="rkpk", fmt="docx", version=2) == (
        "RKPK-2027-SETMEN.RENKEU-v2.docx"
    )


# --- downloads --------------------------------------------------------------------------


def render_queued_pdfs() -> None:
    """Run the queued PDF jobs here, as the worker would."""
    from django_tasks_db.models import DBTaskResult

    from rkpk.plans.document_tasks import render_plan_pdf

    for job in DBTaskResult.objects.filter(status="READY"):
        render_plan_pdf.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
        job.delete()


def _url(plan, doc="pk", fmt="docx"):
    return reverse(
        "plans:documents_download",
        kwargs={"unit_code": plan.unit.code, "year": plan.year, "doc": doc, "fmt": fmt},
    )


def test_url_shape(plan):
    assert _url(plan, "rkpk", "pdf") == "/plans/E1.A/2027/documents/rkpk.pdf"


def test_every_role_gets_the_document_or_a_404(plan, role_users, role_matrix):
    def is_the_document(code, response):
        assert response["Content-Type"] == documents.CONTENT_TYPES["docx"]
        assert response["Content-Disposition"] == 'attachment; filename="PK-2027-E1.A.docx"'
        assert docx_text(response.content)[0][0] == "PENETAPAN KINERJA TAHUN 2027"

    download = row(
        "plans:documents_download",
        plan.unit.code,
        plan.year,
        "pk",
        "docx",
        not_found=("operator_b", "nobody"),
        other=200,
        inspect=is_the_document,
    )
    role_matrix([download])
    assert {Role.UNIT_OPERATOR, Role.UNIT_HEAD} <= set(role_users)


def test_anonymous_users_are_sent_to_log_in(plan, client):
    response = client.get(_url(plan))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_pdf_download(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    # Rendered by the background worker (rkpk.plans.rendered), then sent from disk.
    assert client.get(_url(plan, "rk", "pdf")).status_code == 202
    render_queued_pdfs()
    response = client.get(_url(plan, "rk", "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="RK-2027-E1.A.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_unknown_plans_documents_and_versions_are_404(plan, role_users, client_for):
    client = client_for(role_users["staff"])
    assert client.get("/plans/E1.A/2030/documents/pk.docx").status_code == 404
    assert client.get("/plans/NOPE/2027/documents/pk.docx").status_code == 404
    assert client.get("/plans/E1.A/2027/documents/lakip.docx").status_code == 404
    assert client.get("/plans/E1.A/2027/documents/pk.odt").status_code == 404
    assert client.get("/plans/E1.A/2027/documents/pk.docx.pdf").status_code == 404
    assert client.get(_url(plan) + "?submission=1").status_code == 404
    assert client.get(_url(plan) + "?submission=x").status_code == 404
    assert client.post(_url(plan)).status_code == 405


def test_submission_parameter_prints_that_version(plan, role_users, client_for):
    Submission.objects.create(
        plan=plan,
        number=2,
        snapshot=plan_snapshot(plan),
        submitted_by=role_users["unit_operator"],
        submitted_at=datetime(2026, 12, 1, 3, 0, tzinfo=ZoneInfo("UTC")),
    )
    Goal.objects.filter(plan=plan, position=2).update(text="Teks baru")
    url = _url(plan) + "?submission=2"
    response = client_for(role_users["head_of_bureau"]).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="PK-2027-E1.A-v2.docx"'
    _paragraphs, tables = docx_text(response.content)
    cells = {c for t in tables for r in t for c in r}
    assert "Meningkatnya akuntabilitas keuangan" in cells and "Teks baru" not in cells
    assert "Jakarta, 1 Desember 2026" in cells
    assert client_for(role_users["operator_b"]).get(url).status_code == 404


def test_download_queries_do_not_grow_with_the_plan(
    plan, role_users, client_for, django_assert_max_num_queries
):
    client = client_for(role_users["staff"])
    with django_assert_max_num_queries(11):  # +1: the headships
        assert client.get(_url(plan)).status_code == 200
    goal = Goal.objects.get(plan=plan, position=2)
    for n in range(30):
        _indicator(plan, goal, 10 + n, f"Indikator tambahan {n}", target_value=n)
    for n in range(10):
        Activity.objects.create(plan=plan, position=10 + n, name=f"Kegiatan {n}", budget=n)
    with django_assert_max_num_queries(11):  # +1: the headships
        assert client.get(_url(plan)).status_code == 200


def test_actions_partial_links_every_document(plan):
    html = render_to_string("plans/_plan_actions_documents.html", {"plan": plan})
    for doc in ("rk", "pk", "rkpk"):
        for fmt in ("pdf", "docx"):
            assert f'href="/plans/E1.A/2027/documents/{doc}.{fmt}"' in html
