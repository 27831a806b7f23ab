"""The documents of the ministry RK-PK: the drafts of each version, and the final RK and PK
the minister signs.

- `render_version(version, fmt="pdf"|"docx")`: the draft of a submitted version as the
  reviewers read it — a cover "RENCANA KINERJA DAN PENETAPAN KINERJA {ORGANISATION} TAHUN
  {year}" (the organisation profile as frozen in the version's content), "DRAF versi N"
  in the header (and a watermark in the PDF), the narrative sections, table 1
  `No | Sasaran Strategis | Indikator Kinerja | Satuan | Target` and table 2
  `No | Program/Kegiatan | Anggaran (Rp) | Keterangan` with the total.
- `render_final(plan, kind="pk"|"rk", verification_url=…)`: the PDF (before the signer seals
  it) of the version the minister signed (`plan.signed_version.content`):
  PK: the statement page (DESIGN.md §5) in the wording of the active statement template, the
  minister as first party (with "Plt."/"Plh." when signing by an acting assignment), the
  second party from the plan (a dotted line when no name is set), place and date of the
  signature, the two signature blocks — second party left, first party right — the
  minister's saying it was signed electronically, with the QR code leading to the
  verification page; then the attachment with tables 1 and 2.
  RK: cover, narrative sections, table 1 with the compiled figure, table 2, and the
  minister's closing signature block with the same note and QR code.

Both are A4 with "Halaman X dari Y"; a final document's footer carries its verification
address. Every text is printed as text (Django's autoescaping in the HTML, python-docx in
the DOCX, control characters removed); the only markup not escaped is the QR code's SVG,
which segno makes. The PDF loads no external resource.
"""

import io
import re
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from rkpk.core.formatting import format_date_id
from rkpk.core.pdf import html_to_pdf
from rkpk.organisation import profile as organisation_profile
from rkpk.plans.documents import (
    BLANK,
    active_statement_template,
    clean,
    real_nip,
    statement_blocks,
)

FORMATS = ("pdf", "docx")
KINDS = ("rk", "pk")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
DRAFT_TITLE = "RENCANA KINERJA DAN PENETAPAN KINERJA {organisation} TAHUN {year}"
TITLES = {
    "rk": "RENCANA KINERJA {organisation} TAHUN {year}",
    "pk": "{word} KINERJA {organisation} TAHUN {year}",
}
PREFIX = {"rk": "RK", "pk": "PK"}
DRAFT_LABEL = "DRAF versi {number} — belum ditandatangani"
ELECTRONIC_MARK = "Ditandatangani secara elektronik"
QR_CAPTION = "Verifikasi keaslian dokumen"
FOOTER_NOTE = "Dokumen ini ditandatangani secara elektronik. Verifikasi keaslian:"
TABLE1 = ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target"]
COMPILED = "Capaian Terhimpun"
TABLE2 = ["No", "Program/Kegiatan", "Anggaran (Rp)", "Keterangan"]
CSS_TEMPLATE = "ministry/documents/document.css"
DRAFT_TEMPLATE = "ministry/documents/draft.html"
FINAL_TEMPLATE = "ministry/documents/final.html"


class DocumentError(ValueError):
    pass


# --- the content ------------------------------------------------------------------------


def paragraphs(text) -> list[list[str]]:
    """Paragraphs (split on blank lines) of non-empty lines, cleaned."""
    result = []
    for block in re.split(r"\n\s*\n", clean(text)):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            result.append(lines)
    return result


def _amount(display) -> str:
    """ "Rp1.250.000" -> "1.250.000": the column header says the currency."""
    text = clean(display)
    return text[2:].strip() if text.startswith("Rp") else text


def content_context(content: dict) -> dict:
    """The parts every document of a version prints, as plain strings."""
    tables = content.get("tables") or {}
    organisation = organisation_profile.values_from(content.get("organisation"))
    ministry = clean(organisation["name"])
    goals = []
    for goal in tables.get("goals") or []:
        rows = [
            {
                "code": clean(i.get("code")),
                "name": clean(i.get("name")),
                "measure": clean(i.get("measure")),
                "target": clean(i.get("target")),
                "compiled": clean(i.get("compiled")),
            }
            for i in goal.get("indicators") or []
        ] or [{"code": "", "name": "", "measure": "", "target": "", "compiled": ""}]
        code, text = clean(goal.get("code")), clean(goal.get("text"))
        goals.append(
            {
                "number": goal.get("number") or len(goals) + 1,
                "label": f"{code} {text}".strip() if text else code,
                "rows": rows,
            }
        )
    programs = [
        {
            "number": p.get("number") or n,
            "name": clean(p.get("name")),
            "budget": _amount(p.get("budget")),
            "notes": clean(p.get("notes")),
        }
        for n, p in enumerate(tables.get("programs") or [], start=1)
    ]
    sections = [
        {"title": clean(s.get("title")), "paragraphs": paragraphs(s.get("text"))}
        for s in content.get("sections") or []
    ]
    return {
        "year": int(content.get("year") or 0),
        "ministry": ministry,
        "ministry_upper": ministry.upper(),
        "organisation": organisation,
        "sections": sections,
        "goals": goals,
        "programs": programs,
        "budget_total": _amount(tables.get("budget_total")) or "0",
        "table1": TABLE1,
        "table2": TABLE2,
    }


def _table1_rows(context: dict, *, compiled: bool) -> list[list[str]]:
    return [
        [str(goal["number"]) if i == 0 else "", goal["label"] if i == 0 else "", row["name"],
         row["measure"], row["target"]] + ([row["compiled"]] if compiled else [])
        for goal in context["goals"]
        for i, row in enumerate(goal["rows"])
    ]  # fmt: skip


# --- drafts of a version ----------------------------------------------------------------


def version_context(version) -> dict:
    content = version.content or {}
    context = content_context(content)
    year = context["year"] or version.plan.year
    context.update(
        {
            "year": year,
            "title": DRAFT_TITLE.format(year=year, organisation=context["ministry_upper"]),
            "doc_title": f"Draf RK-PK Kementerian {year} versi {version.number}",
            "version": version.number,
            "draft_mark": f"DRAF versi {version.number}",
            "draft_label": DRAFT_LABEL.format(number=version.number),
            "compilation": content.get("compilation"),
            "submitted_on": format_date_id(timezone.localdate(version.submitted_at))
            if version.submitted_at
            else "",
        }
    )
    return context


def version_filename(version, fmt: str) -> str:
    """ "RKPK-KEMENTERIAN-2027-draf-v2.pdf" """
    if fmt not in FORMATS:
        raise DocumentError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    year = (version.content or {}).get("year") or version.plan.year
    return f"RKPK-KEMENTERIAN-{year}-draf-v{version.number}.{fmt}"


def render_version(version, *, fmt: str) -> bytes:
    """The draft of a version as "pdf" or "docx" bytes."""
    if fmt not in FORMATS:
        raise DocumentError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    context = version_context(version)
    if fmt == "docx":
        return render_version_docx(context)
    return html_to_pdf(render_to_string(DRAFT_TEMPLATE, context), _stylesheet_text())


# --- the final RK and PK ----------------------------------------------------------------


def _position(position: str, acting: str) -> str:
    position = clean(position)
    acting = clean(acting)
    return f"{acting}. {position}" if acting and position else position


def _signed_moment(plan):
    moment = plan.signed_at or timezone.now()
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def pk_word() -> str:
    """ "PENETAPAN", or "PERJANJIAN" when the active statement template uses the later name."""
    title, _body = active_statement_template()
    return "PERJANJIAN" if "PERJANJIAN" in (title or "").upper() else "PENETAPAN"


def final_context(plan, *, kind: str, verification_url: str) -> dict:
    """What the final RK or PK prints, from the version the minister signed."""
    if kind not in KINDS:
        raise DocumentError(f"unknown document {kind!r}: one of {', '.join(KINDS)}")
    version = plan.signed_version
    if version is None:
        raise DocumentError("the plan has not been signed: there is no signed version")
    content = version.content or {}
    context = content_context(content)
    year = context["year"] or plan.year
    moment = _signed_moment(plan)
    title = TITLES[kind].format(year=year, word=pk_word(), organisation=context["ministry_upper"])
    organisation = context["organisation"]
    minister = {
        "label": "Pihak Pertama",
        "name": clean(plan.signed_name) or BLANK,
        "position": _position(plan.signed_position, plan.signed_acting) or BLANK,
        "nip": real_nip(plan.signed_nip),
        # A minister (pejabat negara) has no NIP: no NIP line at all.
        "nip_line": f"NIP. {real_nip(plan.signed_nip)}" if real_nip(plan.signed_nip) else "",
        "electronic": True,
        "blank": not clean(plan.signed_name),
    }
    frozen = content.get("second_party") or {}
    second_name = clean(plan.second_party_name) or clean(frozen.get("name"))
    second_position = clean(plan.second_party_position) or clean(frozen.get("position"))
    # The profile's second party carries its NIP (when it has one) if the plan names it.
    second_nip = (
        real_nip(organisation["pk_second_party_nip"])
        if second_position == clean(organisation["pk_second_party_title"])
        else ""
    )
    second = {
        "label": "Pihak Kedua",
        "name": second_name or BLANK,
        "position": second_position or BLANK,
        "nip": second_nip,
        "nip_line": f"NIP. {second_nip}" if second_nip else "",
        "electronic": False,
        "blank": not second_name,
    }
    context.update(
        {
            "kind": kind,
            "year": year,
            "title": title,
            "doc_title": title,
            "attachment_title": f"LAMPIRAN {title}",
            "version": version.number,
            "place_date": f"{organisation['signing_city']}, {format_date_id(moment.date())}",
            "signed_when": (
                f"{format_date_id(moment.date())} pukul {moment:%H:%M} {moment.tzname() or ''}"
            ).strip(),
            "electronic_mark": ELECTRONIC_MARK,
            "minister": minister,
            "second": second,
            "verification_url": clean(verification_url),
            "qr_caption": QR_CAPTION,
            "footer_note": FOOTER_NOTE,
            "compiled_header": COMPILED,
            "logo": organisation_profile.logo_data_uri(),
        }
    )
    if kind == "pk":
        _template_title, body = active_statement_template()
        values = {
            "year": str(year),
            "unit": context["ministry"],
            "first_name": minister["name"],
            "first_position": minister["position"],
            "first_nip": minister["nip"],
            "second_name": second["name"],
            "second_position": second["position"],
            "second_nip": second_nip,
        }
        context["statement"] = statement_blocks(body, values)
    return context


def final_title(kind: str, year, organisation: str = "") -> str:
    """ "Penetapan Kinerja {organisation} Tahun 2027" (the verification page): the name the
    signed version froze when given, else the profile's."""
    name = {"rk": "Rencana Kinerja", "pk": f"{pk_word().capitalize()} Kinerja"}[kind]
    organisation = organisation or organisation_profile.current_profile().name
    return f"{name} {organisation} Tahun {year}"


def signer_position(plan) -> str:
    """The minister's position as printed, "Plt. "/"Plh. " before it when acting."""
    return _position(plan.signed_position, plan.signed_acting)


def final_filename(plan, kind: str) -> str:
    """ "PK-KEMENTERIAN-2027.pdf" / "RK-KEMENTERIAN-2027.pdf" """
    if kind not in KINDS:
        raise DocumentError(f"unknown document {kind!r}: one of {', '.join(KINDS)}")
    return f"{PREFIX[kind]}-KEMENTERIAN-{plan.year}.pdf"


def render_final_html(context: dict) -> str:
    from rkpk.correspondence.rendering import qr_svg

    context = dict(context)
    if context.get("verification_url"):
        context["qr_svg"] = mark_safe(qr_svg(context["verification_url"]))  # noqa: S308 — segno's own SVG
    return render_to_string(FINAL_TEMPLATE, context)


def render_final(plan, *, kind: str, verification_url: str) -> bytes:
    """The final RK or PK of the signed version as PDF bytes, before the signer seals it."""
    context = final_context(plan, kind=kind, verification_url=verification_url)
    return html_to_pdf(render_final_html(context), _stylesheet_text())


# --- PDF --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stylesheet_text() -> str:
    return render_to_string(CSS_TEMPLATE)


# --- DOCX (drafts only: the signed documents are PDF) -----------------------------------


# Column widths (cm) of the landscape tables 1 and 2: No, Satuan, Target and the amounts
# sized for their content, the text columns share the rest of the 25.7 cm.
TABLE1_WIDTHS = [1.0, 8.4, 10.1, 3.0, 3.2]
TABLE2_WIDTHS = [1.2, 13.5, 4.5, 6.5]


def _docx_table(
    document,
    headers: list[str],
    rows: list[list[str]],
    total: list[str] | None,
    widths: list[float],
):
    from rkpk.core.docx_layout import LANDSCAPE_WIDTH_CM, fit_widths, fixed_widths, grid_table

    table = grid_table(document, headers, rows)
    if total:
        cells = table.add_row().cells
        for cell, value in zip(cells, total, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(value)).bold = True
    fixed_widths(table, fit_widths(widths, LANDSCAPE_WIDTH_CM))
    return table


def render_version_docx(context: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt, RGBColor

    from rkpk.core.docx_layout import landscape_section, portrait_page, use_font

    document = Document()
    use_font(document)
    portrait_page(document.sections[0])  # cover and narrative; the tables are landscape
    header = document.sections[0].header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    mark = header.add_run(context["draft_label"])
    mark.bold = True
    mark.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)

    def centred(text: str, size: int = 14, bold: bool = True):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
        return paragraph

    # Cover
    centred(context["title"], 16)
    centred(context["draft_mark"], 14).runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    if context.get("submitted_on"):
        centred(f"Diajukan {context['submitted_on']}", 11, bold=False)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for section in context["sections"]:
        document.add_heading(section["title"], level=1)
        for lines in section["paragraphs"]:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            for n, line in enumerate(lines):
                run = paragraph.add_run(line)
                if n < len(lines) - 1:
                    run.add_break()

    landscape_section(document)
    document.add_heading("Tabel 1. Sasaran Strategis dan Indikator Kinerja", level=1)
    _docx_table(document, TABLE1, _table1_rows(context, compiled=False), None, TABLE1_WIDTHS)
    document.add_heading("Tabel 2. Program/Kegiatan dan Anggaran", level=1)
    _docx_table(
        document,
        TABLE2,
        [[str(p["number"]), p["name"], p["budget"], p["notes"]] for p in context["programs"]],
        ["", "Jumlah", context["budget_total"], ""],
        TABLE2_WIDTHS,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
