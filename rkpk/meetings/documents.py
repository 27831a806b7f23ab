"""The meeting report (laporan hasil pembahasan, DESIGN.md §5) as DOCX and PDF.

Both formats print the same content, built once by `report_content()`: the title, date,
time and place, the chair, the participants (present, represented, absent), the agenda
items with their notes, the decisions (No | Keputusan | Penanggung jawab | Batas waktu)
and the chair's signature block. A filed meeting prints the report frozen when it was
filed; before that the live content is printed with the watermark "DRAF".

Texts are printed as text: Django's autoescaping in the HTML, python-docx in the DOCX,
control characters removed. The PDF loads no external resource.
"""

import io

from django.template.loader import render_to_string
from django.utils import timezone

from rkpk.core.formatting import format_date_id
from rkpk.core.pdf import html_to_pdf
from rkpk.meetings.dates import format_day_date_id, format_time_id, local
from rkpk.meetings.models import Invitee, Meeting
from rkpk.organisation import profile as organisation_profile
from rkpk.plans.documents import clean

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
TITLE = "LAPORAN HASIL PEMBAHASAN RENCANA KINERJA DAN PENETAPAN KINERJA {organisation} TAHUN {year}"
WATERMARK = "DRAF"
HTML_TEMPLATE = "meetings/report/document.html"
CSS_TEMPLATE = "meetings/report/document.css"
Attendance = Invitee.Attendance


# Column widths (cm) of the decisions table on the A4 portrait page (16 cm between margins).
DECISION_WIDTHS = [1.0, 8.5, 3.8, 2.7]


class DocumentError(ValueError):
    pass


def _organisation() -> str:
    return organisation_profile.current_profile().name


def report_content(meeting: Meeting, *, filed_at=None, filed_by=None) -> dict:
    """The report's content from the meeting as it is now (rows in their order)."""
    year = int(meeting.cycle.year)
    chair = meeting.chair
    invitees = list(meeting.invitees.all())
    present = [clean(i.display_name) for i in invitees if i.attendance == Attendance.PRESENT]
    represented = [
        {"name": clean(i.display_name), "by": clean(i.represented_by)}
        for i in invitees
        if i.attendance == Attendance.REPRESENTED
    ]
    absent = [clean(i.display_name) for i in invitees if i.attendance == Attendance.ABSENT]
    unknown = [clean(i.display_name) for i in invitees if i.attendance == Attendance.UNKNOWN]
    items = sorted(meeting.agenda_items.all(), key=lambda i: (i.position, i.pk))
    numbers = {item.pk: n for n, item in enumerate(items, start=1)}
    decisions = sorted(meeting.decisions.all(), key=lambda d: (d.position, d.pk))
    on_date = local(filed_at).date() if filed_at else timezone.localdate()
    return {
        "title": TITLE.format(organisation=_organisation().upper(), year=year),
        "year": year,
        "cycle": clean(meeting.cycle.name),
        "meeting": clean(meeting.title),
        "date": format_day_date_id(meeting.starts_at),
        "time": format_time_id(meeting.starts_at, meeting.ends_at),
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "place": clean(meeting.place),
        "chair": {
            "name": clean(chair.name) if chair else "",
            "nip": clean(chair.nip) if chair else "",
            "position": clean(chair.position)
            if chair and chair.position
            else clean(organisation_profile.title("head_of_bureau_title")),
        },
        "present": present,
        "represented": represented,
        "absent": absent,
        "not_recorded": unknown,
        "agenda": [
            {"number": numbers[item.pk], "title": clean(item.title), "notes": clean(item.notes)}
            for item in items
        ],
        "decisions": [
            {
                "number": n,
                "text": clean(d.text),
                "agenda": numbers.get(d.agenda_item_id),
                "owner": clean(d.owner_name),
                "due": format_date_id(d.due_date),
                "due_date": d.due_date.isoformat() if d.due_date else None,
                "status": d.status,
            }
            for n, d in enumerate(decisions, start=1)
        ],
        "place_date": f"{organisation_profile.signing_city()}, {format_date_id(on_date)}",
        "organisation": clean(_organisation()),
        "filed_at": filed_at.isoformat() if filed_at else None,
        "filed_by": (filed_by.get_full_name() or filed_by.get_username()) if filed_by else "",
    }


def current_report(meeting: Meeting) -> tuple[dict, bool]:
    """(content, is_draft): the frozen report of a filed meeting, else the live content."""
    if meeting.status == Meeting.Status.FILED and meeting.report:
        return meeting.report, False
    return report_content(meeting), True


def filename(meeting: Meeting, fmt: str, *, draft: bool) -> str:
    """ "Laporan-Rapat-Pembahasan-2027-12.pdf" (with "-DRAF" before filing)."""
    suffix = "-DRAF" if draft else ""
    return f"Laporan-Rapat-Pembahasan-{meeting.cycle.year}-{meeting.pk}{suffix}.{fmt}"


def render(meeting: Meeting, fmt: str) -> tuple[bytes, bool]:
    """The report in `fmt` (docx or pdf) and whether it is a draft."""
    if fmt not in FORMATS:
        raise DocumentError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    content, draft = current_report(meeting)
    context = {"report": content, "draft": draft, "watermark": WATERMARK}
    return (render_docx(context) if fmt == "docx" else render_pdf(context)), draft


# --- DOCX -------------------------------------------------------------------------------


def _label(document, name: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{name}: ").bold = True
    paragraph.add_run(value)


def _heading(document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def _docx_watermark(document, watermark: str) -> None:
    """The draft's watermark, large and grey in the page header."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    header = document.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(watermark)
    run.bold, run.font.size = True, Pt(28)
    run.font.color.rgb = RGBColor(0xB0, 0xB0, 0xB0)


def _docx_participants(document, report: dict) -> None:
    _heading(document, "Peserta rapat")
    heading_rows = [
        ("Hadir", report["present"]),
        ("Diwakili", [f"{r['name']}, diwakili oleh {r['by']}" for r in report["represented"]]),
        ("Tidak hadir", report["absent"]),
    ]
    for name, rows in heading_rows:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}:").italic = True
        if rows:
            for row in rows:
                document.add_paragraph(row, style="List Bullet")
        else:
            document.add_paragraph("—")


def _docx_agenda(document, report: dict) -> None:
    _heading(document, "Pokok-pokok pembahasan")
    for item in report["agenda"]:
        document.add_paragraph().add_run(f"{item['number']}. {item['title']}").bold = True
        for line in (item["notes"] or "—").split("\n"):
            document.add_paragraph(line)


def _docx_decisions(document, report: dict) -> None:
    from rkpk.core.docx_layout import fixed_widths, grid_table

    _heading(document, "Keputusan rapat")
    if not report["decisions"]:
        document.add_paragraph("Tidak ada keputusan yang dicatat.")
        return
    table = grid_table(
        document,
        ["No", "Keputusan", "Penanggung jawab", "Batas waktu"],
        [[str(d["number"]), d["text"], d["owner"], d["due"]] for d in report["decisions"]],
    )
    fixed_widths(table, DECISION_WIDTHS)


def _docx_signature(document, report: dict) -> None:
    """The chair's signature block, right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    chair = report["chair"]
    document.add_paragraph()
    for text in (
        report["place_date"],
        "Pimpinan Rapat,",
        chair["position"],
        "",
        "",
        "",
        chair["name"],
        f"NIP. {chair['nip']}" if chair["nip"] else "",
    ):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def render_docx(context: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from rkpk.core.docx_layout import portrait_page, use_font

    document = Document()
    use_font(document)
    portrait_page(document.sections[0])
    report = context["report"]
    if context.get("draft"):
        _docx_watermark(document, context["watermark"])

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(report["title"]).bold = True

    _label(document, "Acara", report["meeting"])
    _label(document, "Hari/tanggal", report["date"])
    _label(document, "Pukul", report["time"])
    _label(document, "Tempat", report["place"])
    chair = report["chair"]
    _label(document, "Pimpinan rapat", f"{chair['name']} ({chair['position']})".strip())

    _docx_participants(document, report)
    _docx_agenda(document, report)
    _docx_decisions(document, report)
    _docx_signature(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------


def render_html(context: dict) -> str:
    return render_to_string(HTML_TEMPLATE, context)


def render_pdf(context: dict) -> bytes:
    return html_to_pdf(render_html(context), render_to_string(CSS_TEMPLATE))
