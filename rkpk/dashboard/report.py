"""The service's own performance report of a cycle, as XLSX and PDF.

Both formats print the same figures as the dashboard (`rkpk.dashboard.selectors`), in
Indonesian (the report is an official document): a summary, the steps against the
standard, the late units, and the comparison across years. The PDF embeds the dashboard's
SVG charts and loads no external resource. Texts go through `safe_cell` in the XLSX and
Django's autoescaping in the HTML.
"""

from django.template.loader import render_to_string
from django.utils import translation

from rkpk.core.formatting import format_date_id, format_number
from rkpk.core.pdf import html_to_pdf
from rkpk.core.spreadsheet import column_widths, safe_cell, workbook_bytes
from rkpk.dashboard import charts
from rkpk.dashboard.selectors import Dashboard
from rkpk.procedure.models import CycleStep

TITLE = "LAPORAN KINERJA PELAYANAN PENGKOORDINASIAN PENYUSUNAN RK-PK TAHUN {year}"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
HTML_TEMPLATE = "dashboard/report.html"
CSS_TEMPLATE = "dashboard/report.css"
REPORT_LANGUAGE = "id"

STATUS_ID = {
    CycleStep.Status.NOT_STARTED: "Belum dimulai",
    CycleStep.Status.IN_PROGRESS: "Sedang berjalan",
    CycleStep.Status.DONE: "Selesai",
}
CYCLE_STATUS_ID = {"active": "Berjalan", "completed": "Selesai"}


def filename(year: int, fmt: str) -> str:
    return f"LAPORAN-KINERJA-PELAYANAN-RKPK-{year}.{fmt}"


def _timeliness_id(row) -> str:
    if row.days_standard is None:
        return "Tanpa standar waktu"
    if row.is_late:
        return f"Terlambat {row.days_late} hari kerja"
    if row.is_done:
        return "Tepat waktu"
    if row.status == CycleStep.Status.IN_PROGRESS:
        return "Sedang berjalan"
    return "Belum jatuh tempo"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{format_number(value, 1)}%"


def _median(value: float | None) -> str:
    return "—" if value is None else format_number(value, 1)


def _causes(row) -> str:
    """The late step's causes in one text: returns, who completed it, late units."""
    parts = []
    for note in row.returns:
        what = "Dikembalikan" if note.action == "return" else "Dibuka kembali"
        text = f"{what} {format_date_id(note.on_date)} oleh {note.actor}"
        parts.append(f"{text}: {note.reason}" if note.reason else text)
    if row.is_late and row.completed_by:
        parts.append(f"Diselesaikan oleh {row.completed_by}")
    if row.late_units:
        parts.append(f"{len(row.late_units)} unit terlambat menyampaikan RK-PK")
    return "; ".join(parts)


def report_context(data: Dashboard) -> dict:
    """The report's content, once, for both formats (dates and numbers in Indonesian)."""
    report = data.report
    cycle = report.cycle
    summary = [
        ("Siklus", cycle.name),
        ("Tahun rencana", cycle.year),
        ("Status", CYCLE_STATUS_ID.get(cycle.status, cycle.status)),
        ("Tanggal mulai", format_date_id(cycle.start_date)),
        ("Tanggal selesai", format_date_id(report.end_date) or "—"),
        ("Hari kerja terpakai", report.total_days),
        ("Standar hari kerja", report.standard_total),
        ("Selisih terhadap standar (hari kerja)", report.days_over),
        ("Langkah selesai", report.done_count),
        ("Langkah selesai yang terukur", report.measured_count),
        ("Langkah selesai sesuai standar", report.within_count),
        ("Persentase sesuai standar", _percent(report.share_percent)),
        ("Langkah terlambat", report.late_steps_count),
        ("Pengembalian", report.return_count),
        ("Batas waktu penyampaian RK-PK unit", format_date_id(report.deadline) or "—"),
        ("Unit wajib menyampaikan", report.expected_units),
        ("Unit terlambat", report.late_units_count),
        ("Unit tidak menyampaikan", report.never_submitted_count),
        ("Median keterlambatan unit (hari kerja)", _median(report.median_unit_lateness)),
        ("Tanggal laporan", format_date_id(report.today)),
    ]
    steps = [
        {
            "row": row,
            "number": row.number,
            "title": row.title_id,
            "status": STATUS_ID.get(row.status, row.status),
            "standard": row.days_standard,
            "used": row.days_used,
            "planned_start": row.step.planned_start,
            "planned_end": row.step.planned_end,
            "actual_start": row.step.actual_start,
            "actual_end": row.step.actual_end,
            "timeliness": _timeliness_id(row),
            "late": row.is_late,
            "days_late": row.days_late if row.is_late else 0,
            "returns": row.return_count,
            "completed_by": row.completed_by,
            "causes": _causes(row),
        }
        for row in report.steps
    ]
    comparison = [
        {
            "row": r,
            "year": r.year,
            "name": r.name,
            "status": CYCLE_STATUS_ID.get(r.status, r.status),
            "total_days": r.total_days,
            "standard_total": r.standard_total,
            "share": _percent(r.share_percent),
            "late_steps": r.late_steps_count,
            "late_units": r.late_units_count,
            "median": _median(r.median_unit_lateness),
        }
        for r in data.comparison
    ]
    return {
        "title": TITLE.format(year=cycle.year),
        "data": data,
        "report": report,
        "summary": summary,
        "steps": steps,
        "late_units": report.late_units,
        "comparison": comparison,
        "charts": charts.charts(report, data.comparison),
        "today": format_date_id(report.today),
        "deadline": format_date_id(report.deadline) or "—",
        # Read here, in the report's language; chosen from the figures of the late-units table.
        "units_summary": report.submissions.sentence,
    }


# --- XLSX -------------------------------------------------------------------------------


def _sheet(ws, title: str, name: str, headers: list[str], widths: list[int]):
    """A sheet headed by the report's title, then a blank row, then the column headers
    (white on dark blue), frozen above the data."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.title = name
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(headers)
    for cell in ws[3]:
        cell.font, cell.fill = (
            Font(bold=True, color="FFFFFF"),
            PatternFill("solid", fgColor="1F4E79"),
        )
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    column_widths(ws, widths)
    ws.freeze_panes = "A4"
    return ws


def _put(ws, values, formats: dict[int, str] | None = None) -> None:
    """Append a row; `formats` are number formats by 1-based column."""
    ws.append([safe_cell(v) for v in values])
    for column, fmt in (formats or {}).items():
        ws.cell(row=ws.max_row, column=column).number_format = fmt


def _summary_sheet(ws, context: dict, report) -> None:
    from openpyxl.styles import Alignment

    _sheet(ws, context["title"], "Ringkasan", ["Uraian", "Nilai"], [44, 40])
    numbers = {
        "Persentase sesuai standar": report.share_within,
        "Median keterlambatan unit (hari kerja)": report.median_unit_lateness,
        "Tanggal mulai": report.cycle.start_date,
        "Tanggal selesai": report.end_date,
        "Batas waktu penyampaian RK-PK unit": report.deadline,
        "Tanggal laporan": report.today,
    }
    for label, value in context["summary"]:
        value = numbers.get(label, value)
        fmt = {
            "Persentase sesuai standar": "0.0%",
            "Median keterlambatan unit (hari kerja)": "0.0",
        }.get(label, "dd/mm/yyyy" if hasattr(value, "isoformat") else None)
        _put(ws, [label, value], {2: fmt} if fmt else None)
        ws.cell(row=ws.max_row, column=2).alignment = Alignment(horizontal="left")


def _steps_sheet(ws, context: dict, report) -> None:
    from openpyxl.styles import Alignment, Font

    _sheet(
        ws,
        context["title"],
        "Langkah",
        ["No", "Langkah", "Status", "Standar (hari kerja)", "Terpakai (hari kerja)",
         "Rencana mulai", "Rencana selesai", "Realisasi mulai", "Realisasi selesai",
         "Ketepatan waktu", "Terlambat (hari kerja)", "Pengembalian", "Diselesaikan oleh",
         "Penyebab keterlambatan"],
        [5, 60, 16, 12, 12, 13, 13, 13, 13, 26, 12, 12, 24, 60],
    )  # fmt: skip
    wrap = Alignment(wrap_text=True, vertical="top")
    late_font = Font(color="B02A37", bold=True)
    dates = {c: "dd/mm/yyyy" for c in (6, 7, 8, 9)}
    for s in context["steps"]:
        _put(
            ws,
            [s["number"], s["title"], s["status"], s["standard"], s["used"],
             s["planned_start"], s["planned_end"], s["actual_start"], s["actual_end"],
             s["timeliness"], s["days_late"] if s["late"] else None, s["returns"],
             s["completed_by"], s["causes"]],
            dates,
        )  # fmt: skip
        for column in (2, 14):
            ws.cell(row=ws.max_row, column=column).alignment = wrap
        if s["late"]:
            ws.cell(row=ws.max_row, column=10).font = late_font
    _put(ws, ["", "Jumlah", "", report.standard_total, report.total_days])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _late_units_sheet(ws, context: dict) -> None:
    _sheet(
        ws,
        context["title"],
        "Unit terlambat",
        ["No", "Kode unit", "Unit", "Pertama disampaikan", "Diterima", "Terlambat (hari kerja)",
         "Keterangan"],
        [5, 16, 50, 16, 16, 14, 24],
    )  # fmt: skip
    for index, unit in enumerate(context["late_units"], start=1):
        _put(
            ws,
            [index, unit.code, unit.name, unit.first_submitted, unit.accepted, unit.days_late,
             "Tidak menyampaikan" if unit.never else "Terlambat menyampaikan"],
            {4: "dd/mm/yyyy", 5: "dd/mm/yyyy"},
        )  # fmt: skip
    if not context["late_units"]:
        _put(ws, ["", "", context["units_summary"]])


def _comparison_sheet(ws, context: dict, data: Dashboard) -> None:
    _sheet(
        ws,
        context["title"],
        "Perbandingan antar tahun",
        ["Tahun", "Siklus", "Status", "Hari kerja terpakai", "Standar (hari kerja)",
         "Persentase sesuai standar", "Langkah terlambat", "Unit terlambat",
         "Median keterlambatan unit (hari kerja)"],
        [8, 24, 12, 14, 14, 14, 12, 12, 16],
    )  # fmt: skip
    for r in data.comparison:
        _put(
            ws,
            [r.year, r.name, CYCLE_STATUS_ID.get(r.status, r.status), r.total_days,
             r.standard_total, r.share_within, r.late_steps_count, r.late_units_count,
             r.median_unit_lateness],
            {6: "0.0%", 9: "0.0"},
        )  # fmt: skip


def render_xlsx(data: Dashboard) -> bytes:
    from openpyxl import Workbook

    with translation.override(REPORT_LANGUAGE):
        context = report_context(data)
    report = data.report
    workbook = Workbook()
    _summary_sheet(workbook.active, context, report)
    _steps_sheet(workbook.create_sheet(), context, report)
    _late_units_sheet(workbook.create_sheet(), context)
    _comparison_sheet(workbook.create_sheet(), context, data)
    return workbook_bytes(workbook)


# --- PDF --------------------------------------------------------------------------------


def render_html(data: Dashboard) -> str:
    with translation.override(REPORT_LANGUAGE):
        return render_to_string(HTML_TEMPLATE, report_context(data))


def render_pdf(data: Dashboard) -> bytes:
    return html_to_pdf(render_html(data), render_to_string(CSS_TEMPLATE))
