"""The consolidated ministry RK and PK of a compiled version, as XLSX, DOCX and PDF.

All three formats print the same content, built once by `document_context()` from
`Compilation.data`:

- RK: per strategic goal its ministry indicators (target of the year, compiled figure and
  aggregation rule) and the unit indicators that serve it; the unit indicators serving no
  goal; budget totals by program and by unit; the warnings of the compilation.
- PK: the statement page "PENETAPAN KINERJA {ORGANISATION} TAHUN {year}" in the wording of
  the active statement template, with the minister (the organisation profile's title) as
  first party and the profile's second party; then
  the goals with their ministry indicators and targets; then per goal the unit indicators
  in the units' PK.

Texts are printed as text (Django autoescaping in the HTML, python-docx in the DOCX,
`safe_cell` in the XLSX; control characters removed). The PDF loads no external resource.
"""

import io
import re

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from rkpk.core.docx_layout import (
    LANDSCAPE_WIDTH_CM,
    fit_widths,
    fixed_widths,
    grid_table,
    landscape_page,
    landscape_section,
    portrait_page,
    use_font,
)
from rkpk.core.formatting import format_date_id
from rkpk.core.pdf import html_to_pdf
from rkpk.core.spreadsheet import (
    RUPIAH,
    append_row,
    column_widths,
    display_number,
    print_setup,
)
from rkpk.organisation import profile as organisation_profile
from rkpk.plans.documents import (
    BLANK,
    active_statement_template,
    clean,
    statement_blocks,
)

DOCS = {"rk": "RK", "pk": "PK"}
FORMATS = ("xlsx", "docx", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
HTML_TEMPLATE = "analysis/consolidated/document.html"
CSS_TEMPLATE = "analysis/consolidated/document.css"
TITLES = {
    "rk": "RENCANA KINERJA {organisation} TAHUN {year}",
    "pk": "PENETAPAN KINERJA {organisation} TAHUN {year}",
}


class DocumentError(ValueError):
    pass


def filename(compilation, *, doc: str, fmt: str) -> str:
    """ "PK-KEMENTERIAN-2027-v3.pdf" """
    return f"{DOCS[doc]}-KEMENTERIAN-{compilation.year}-v{compilation.number}.{fmt}"


def _unit_rows(entries: list[dict], *, pk_only: bool) -> list[dict]:
    return [
        {
            "unit": clean(e.get("unit_name")),
            "unit_code": clean(e.get("unit_code")),
            "name": clean(e.get("name")),
            "measure": clean(e.get("measure")),
            "target": clean(e.get("target")),
            "previous": clean(e.get("previous")),
        }
        for e in entries
        if e.get("in_pk") or not pk_only
    ]


def _ministry_indicator(mi: dict) -> dict:
    return {
        "code": clean(mi.get("code")),
        "name": clean(mi.get("name")),
        "measure": clean(mi.get("measure")),
        "target": clean(mi.get("target")),
        "value": clean(mi.get("value_display")),
        "rule": clean(mi.get("aggregation_label")),
        "target_number": mi.get("target_value"),
        "value_number": mi.get("value"),
        "count": mi.get("count", 0),
        # The figure judged against the target (rkpk.analysis.judgement).
        "verdict": clean((mi.get("verdict") or {}).get("words_id")),
    }


def _goal_context(number: int, goal: dict, *, pk_only: bool) -> dict:
    return {
        "number": number,
        "code": clean(goal.get("code")),
        "text": clean(goal.get("text")),
        "indicators": [_ministry_indicator(mi) for mi in goal.get("ministry_indicators", [])],
        "unit_rows": _unit_rows(goal.get("unit_indicators", []), pk_only=pk_only),
    }


def _budget_context(data: dict) -> dict:
    """The budget by programme and by unit, with its total."""
    return {
        "programs": [
            {
                "name": clean(p["name"]),
                "budget": clean(p["budget_display"]),
                "amount": p.get("budget"),
            }
            for p in data.get("budget_by_program", [])
        ],
        "units": [
            {
                "code": clean(u["code"]),
                "name": clean(u["name"]),
                "budget": u["budget_display"],
                "amount": u.get("budget"),
            }
            for u in data.get("units", [])
        ],
        "budget_total": clean(data.get("budget_total_display")),
        "budget_total_amount": data.get("budget_total"),
    }


def _statement_context(
    *, year: int, ministry: str, minister: str, second_party, organisation, on_date
):
    """The ministry PK's statement, place and date, and its two parties."""
    _title, body = active_statement_template()  # the ministry PK has its own title
    values = {
        "year": str(year),
        "unit": ministry,
        "first_name": BLANK,
        "first_position": minister,
        "first_nip": "",
        "second_name": clean(second_party["name"]) or BLANK,
        "second_position": clean(second_party["position"]) or BLANK,
        "second_nip": clean(second_party["nip"]),
    }
    on_date = on_date or timezone.localdate()
    city = organisation_profile.signing_city(organisation)
    return {
        "statement": statement_blocks(body, values),
        "place_date": f"{city}, {format_date_id(on_date)}",
        "first": {"label": "Pihak Pertama", "name": BLANK, "position": minister},
        "second": {
            "label": "Pihak Kedua",
            "name": values["second_name"],
            "position": values["second_position"],
            "nip_line": f"NIP. {values['second_nip']}" if values["second_nip"] else "",
        },
    }


def document_context(compilation, *, doc: str, on_date=None) -> dict:
    if doc not in DOCS:
        raise DocumentError(f"unknown document {doc!r}: one of {', '.join(DOCS)}")
    data = compilation.data
    year = int(compilation.year)
    pk_only = doc == "pk"
    goals = [
        _goal_context(number, goal, pk_only=pk_only)
        for number, goal in enumerate(data.get("goals", []), start=1)
    ]
    organisation = organisation_profile.current_profile()
    ministry = clean(organisation.name)
    minister = clean(organisation_profile.title("minister_title", organisation)) or BLANK
    second_party = organisation_profile.second_party(organisation)
    title = TITLES[doc].format(year=year, organisation=ministry.upper())
    context = {
        "doc": doc,
        "doc_title": title,
        "title": title,
        "year": year,
        "version": compilation.number,
        "ministry": ministry,
        "goals": goals,
        "unmapped": [] if pk_only else _unit_rows(data.get("unmapped", []), pk_only=False),
        **_budget_context(data),
        "warnings": [clean(w) for w in compilation.warnings or []],
        **_rollup_context(data),
        "missing": [clean(f"{u['code']} {u['name']}") for u in compilation.missing_units or []],
    }
    if doc == "pk":
        context.update(
            _statement_context(
                year=year,
                ministry=ministry,
                minister=minister,
                second_party=second_party,
                organisation=organisation,
                on_date=on_date,
            )
        )
    return context


ROLLUP_STATES = {
    "ok": "sesuai",
    "differs": "selisih",
    "no_plan": "belum ada rencana yang diterima",
    "suspect": "kemungkinan dihitung ganda: belum ditandai sebagai rekapitulasi",
}


def _rollup_context(data: dict) -> dict:
    """The budget note and the reconciliation of the parents' roll-up lines (each rupiah is
    counted once, from the units' own activities; rkpk.analysis.compilation)."""
    rows = []
    for rec in data.get("reconciliation", []):
        parent = clean(f"{rec['code']} {rec['name']}")
        for line in rec.get("lines", []):
            state = ROLLUP_STATES.get(line["status"], "")
            if line["status"] == "differs":
                state = f"{state} {line['difference']['display']}"
            rows.append(
                {
                    "parent": parent,
                    "line": clean(line["name"]),
                    "unit": clean(f"{line['unit_code']} {line['unit_name']}"),
                    "budget": line["budget"]["display"],
                    "plan_total": line["plan_total"]["display"] or "—",
                    "state": state,
                }
            )
        for line in rec.get("suspect_lines", []):
            rows.append(
                {
                    "parent": parent,
                    "line": clean(line["name"]),
                    "unit": clean(f"{line['unit_code']} {line['unit_name']}"),
                    "budget": line["budget"]["display"],
                    "plan_total": line["budget"]["display"],
                    "state": ROLLUP_STATES["suspect"],
                }
            )
    rolled = data.get("rolled_up_total_display") if data.get("reconciliation") else ""
    note = (
        "Anggaran dihitung satu kali, dari kegiatan masing-masing unit: baris rekapitulasi "
        f"rencana unit di bawahnya ({rolled}) tidak dijumlahkan lagi."
        if rolled
        else ""
    )
    return {"budget_note": note, "reconciliation": rows}


def render(compilation, *, doc: str, fmt: str, on_date=None) -> bytes:
    if fmt not in FORMATS:
        raise DocumentError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    context = document_context(compilation, doc=doc, on_date=on_date)
    return {"xlsx": render_xlsx, "docx": render_docx, "pdf": render_pdf}[fmt](context)


# --- XLSX -------------------------------------------------------------------------------

_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def download(compilation, *, doc: str, fmt: str) -> HttpResponse:
    """The document as a download, for the page and the API; 404 for an unknown doc or fmt."""
    if doc not in DOCS or fmt not in FORMATS:
        raise Http404
    response = HttpResponse(render(compilation, doc=doc, fmt=fmt), content_type=CONTENT_TYPES[fmt])
    name = filename(compilation, doc=doc, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _figure(number, display):
    """A figure as a number (with the format that shows it as printed) when it is one, else
    its text ("80 s.d. 90", "Baik")."""
    if number is not None and number != "":
        parsed = display_number(display)
        return parsed if parsed is not None else (number, None)
    return display_number(display) or (display, None)


def _sheet(workbook, title: str, name: str, headers: list[str], widths: list[int]):
    """A sheet printing on A4, headed by the document's title and the column headers."""
    from openpyxl.styles import Font

    ws = workbook.create_sheet(_SHEET_NAME.sub("", name)[:31])
    print_setup(ws)
    column_widths(ws, widths)
    append_row(ws, [title], font=Font(bold=True))
    append_row(ws, headers, font=Font(bold=True))
    return ws


def _put(ws, values, formats=None) -> None:
    """Append a row; `values` are plain values or (value, number format) pairs."""
    plain, fmts = [], dict(formats or {})
    for index, value in enumerate(values):
        if isinstance(value, tuple):
            value, fmt = value
            if fmt:
                fmts[index] = fmt
        plain.append(value)
    append_row(ws, plain, fmts)


def _goal_sheets(workbook, context: dict) -> None:
    """The strategic goals with the ministry's indicators, then the units' indicators."""
    ws = _sheet(
        workbook,
        context["title"],
        "Sasaran Strategis",
        ["Kode", "Sasaran Strategis", "Kode IK", "Indikator Kinerja", "Satuan", "Target",
         "Capaian terhimpun", "Cara penghimpunan", "Jumlah IK unit", "Penilaian"],
        [10, 50, 10, 50, 14, 14, 16, 20, 12, 28],
    )  # fmt: skip
    for goal in context["goals"]:
        if not goal["indicators"]:
            _put(ws, [goal["code"], goal["text"], "", "", "", "", "", "", "", ""])
        for mi in goal["indicators"]:
            _put(ws, [goal["code"], goal["text"], mi["code"], mi["name"], mi["measure"],
                      _figure(mi.get("target_number"), mi["target"]),
                      _figure(mi.get("value_number"), mi["value"]), mi["rule"],
                      mi["count"], mi.get("verdict", "")])  # fmt: skip
    ws = _sheet(
        workbook,
        context["title"],
        "Indikator Unit",
        ["Kode Sasaran", "Unit", "Nama Unit", "Indikator Kinerja", "Satuan", "Target",
         "Target Tahun Lalu"],
        [12, 16, 40, 50, 14, 14, 16],
    )  # fmt: skip
    for goal in context["goals"]:
        for r in goal["unit_rows"]:
            _put(ws, [goal["code"], r["unit_code"], r["unit"], r["name"], r["measure"],
                      _figure(None, r["target"]), _figure(None, r["previous"])])  # fmt: skip


def _rk_sheets(workbook, context: dict) -> None:
    """The RK's unmapped indicators and its budget by programme and by unit."""
    title = context["title"]
    ws = _sheet(
        workbook,
        title,
        "Belum Dipetakan",
        ["Unit", "Nama Unit", "Indikator Kinerja", "Satuan", "Target"],
        [16, 40, 50, 14, 14],
    )
    for r in context["unmapped"]:
        _put(ws, [r["unit_code"], r["unit"], r["name"], r["measure"], _figure(None, r["target"])])
    total = _money(context.get("budget_total_amount"), context["budget_total"])
    money = {1: RUPIAH}
    ws = _sheet(workbook, title, "Anggaran Program", ["Program", "Anggaran (Rp)"], [60, 22])
    for p in context["programs"]:
        _put(ws, [p["name"], _money(p.get("amount"), p["budget"])], money)
    _put(ws, ["Jumlah", total], money)
    money = {2: RUPIAH}
    ws = _sheet(workbook, title, "Anggaran Unit", ["Kode", "Unit", "Anggaran (Rp)"], [16, 50, 22])
    for u in context["units"]:
        _put(ws, [u["code"], u["name"], _money(u.get("amount"), u["budget"])], money)
    _put(ws, ["", "Jumlah", total], money)


def _reconciliation_sheet(workbook, context: dict) -> None:
    ws = _sheet(
        workbook,
        context["title"],
        "Rekonsiliasi",
        ["Unit induk", "Baris", "Merekap unit", "Anggaran baris", "Total rencana unit",
         "Keterangan"],
        [40, 50, 40, 20, 20, 40],
    )  # fmt: skip
    for r in context["reconciliation"]:
        _put(
            ws,
            [r["parent"], r["line"], r["unit"], _money(None, r["budget"]),
             _money(None, r["plan_total"]), r["state"]],
            {3: RUPIAH, 4: RUPIAH},
        )  # fmt: skip


def render_xlsx(context: dict) -> bytes:
    """Numbers (targets, compiled figures, budgets) are stored as numbers with a number
    format; texts pass through `safe_cell`."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _goal_sheets(workbook, context)
    if context["doc"] == "rk":
        _rk_sheets(workbook, context)
    if context.get("reconciliation") and context["doc"] == "rk":
        _reconciliation_sheet(workbook, context)
    ws = _sheet(workbook, context["title"], "Catatan", ["Catatan"], [120])
    if context.get("budget_note"):
        _put(ws, [context["budget_note"]])
    for warning in context["warnings"]:
        _put(ws, [warning])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _money(amount, display):
    """A budget as a number of rupiah (from the compiled amount, else its printed text)."""
    if amount is not None and amount != "":
        return float(amount) if float(amount) % 1 else int(float(amount))
    parsed = display_number(display)
    return parsed[0] if parsed is not None else display


# --- DOCX -------------------------------------------------------------------------------


# Column widths (cm) of the landscape tables: No, Satuan, Target and the amounts sized for
# their content; the text columns share the rest of the 25.7 cm.
GOAL_WIDTHS = [1.0, 6.5, 8.4, 3.0, 3.2, 3.6]
UNIT_WIDTHS = [6.0, 13.5, 3.0, 3.2]
BUDGET_WIDTHS = [19.7, 6.0]
RECONCILIATION_WIDTHS = [4.6, 6.0, 4.6, 3.2, 3.2, 4.1]


def _table(document, headers: list[str], rows: list[list[str]], widths: list[float]):
    table = grid_table(document, headers, rows)
    fixed_widths(table, fit_widths(widths, LANDSCAPE_WIDTH_CM))
    return table


def _docx_heading(document, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = True


def _docx_statement(document, context: dict) -> None:
    """The PK statement page (portrait): the statement, the place and date, the parties'
    signature blocks; then a landscape section for the attachment."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    _docx_heading(document, context["title"])
    for block in context["statement"]:
        for line in block:
            text = f"{line['label']}: {line['value']}" if line["label"] else line["text"]
            document.add_paragraph(text)
    document.add_paragraph(context["place_date"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign = document.add_table(rows=3, cols=2)
    for col, party in enumerate((context["second"], context["first"])):
        sign.cell(0, col).text = party["label"] + ","
        sign.cell(1, col).text = party["position"] + "\n\n\n"
        sign.cell(2, col).text = party["name"]
        if party.get("nip_line"):
            sign.cell(2, col).text += "\n" + party["nip_line"]
    landscape_section(document)
    _docx_heading(document, f"LAMPIRAN {context['title']}")


def _docx_goals(document, context: dict) -> None:
    """The goals with the ministry's indicators, then each goal's unit indicators."""
    _table(
        document,
        ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target", "Capaian terhimpun"],
        [
            [str(goal["number"]), f"{goal['code']} {goal['text']}", mi["name"], mi["measure"],
             mi["target"], "\n".join(t for t in (mi["value"], mi.get("verdict")) if t)]
            for goal in context["goals"]
            for mi in (goal["indicators"] or [{"name": "", "measure": "", "target": "",
                                               "value": ""}])
        ],
        GOAL_WIDTHS,
    )  # fmt: skip
    for goal in context["goals"]:
        document.add_paragraph()
        document.add_paragraph().add_run(f"{goal['code']} {goal['text']}").bold = True
        if goal["unit_rows"]:
            _table(
                document,
                ["Unit", "Indikator Kinerja", "Satuan", "Target"],
                [[r["unit"], r["name"], r["measure"], r["target"]] for r in goal["unit_rows"]],
                UNIT_WIDTHS,
            )
        else:
            document.add_paragraph("Belum ada indikator unit yang mendukung sasaran ini.")


def _docx_budget(document, context: dict) -> None:
    """The RK's budget by programme and by unit, its note and the reconciliation."""
    document.add_paragraph()
    document.add_paragraph().add_run("Anggaran per Program").bold = True
    _table(
        document,
        ["Program", "Anggaran"],
        [[p["name"], p["budget"]] for p in context["programs"]]
        + [["Jumlah", context["budget_total"]]],
        BUDGET_WIDTHS,
    )
    document.add_paragraph().add_run("Anggaran per Unit").bold = True
    _table(
        document,
        ["Unit", "Anggaran"],
        [[u["name"], u["budget"]] for u in context["units"]]
        + [["Jumlah", context["budget_total"]]],
        BUDGET_WIDTHS,
    )
    if context.get("budget_note"):
        document.add_paragraph(context["budget_note"])
    if context.get("reconciliation"):
        document.add_paragraph().add_run("Rekonsiliasi Baris Rekapitulasi").bold = True
        _table(
            document,
            ["Unit induk", "Baris", "Merekap unit", "Anggaran baris", "Total rencana",
             "Keterangan"],
            [[r["parent"], r["line"], r["unit"], r["budget"], r["plan_total"], r["state"]]
             for r in context["reconciliation"]],
            RECONCILIATION_WIDTHS,
        )  # fmt: skip


def render_docx(context: dict) -> bytes:
    from docx import Document

    document = Document()
    use_font(document)
    # The PK statement page is portrait, the tables (the RK, the PK attachment) landscape.
    if context["doc"] == "pk":
        portrait_page(document.sections[0])
        _docx_statement(document, context)
    else:
        landscape_page(document.sections[0])
        _docx_heading(document, context["title"])
    _docx_goals(document, context)
    if context["doc"] == "rk":
        _docx_budget(document, context)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------


def render_html(context: dict) -> str:
    return render_to_string(HTML_TEMPLATE, context)


def render_pdf(context: dict) -> bytes:
    return html_to_pdf(render_html(context), render_to_string(CSS_TEMPLATE))
