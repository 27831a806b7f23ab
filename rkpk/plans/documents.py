"""A unit's RK and PK as documents: DOCX from Word templates (docxtpl), PDF from HTML (WeasyPrint).

Both formats print the same content, built once by `document_context()` from a plan snapshot
(`rkpk.plans.snapshot.plan_snapshot`, or the frozen `Submission.snapshot` of a version):

- RK (Rencana Kinerja Tahunan): goals → indicators with satuan, target and, where the plan
  was copied from last year's, last year's target; programs/activities with their output
  indicators, targets and budget, and the total.
- PK (Penetapan/Perjanjian Kinerja, DESIGN.md §5): the statement page in the wording of the
  active `StatementTemplate`, place and date, the two signature blocks (second party on the
  left, first party on the right, "Plt."/"Plh." before an acting party's position); the
  attachment with the PK indicators and the programs/activities with their budget.

Every text from the plan is printed as text: Django's autoescaping in the HTML, docxtpl's
autoescaping in the DOCX, and control characters (which Word's XML cannot hold and docxtpl
would turn into page breaks) removed. The PDF renderer loads no external resource.

The Word templates in `document_templates/` are built by `scripts/build_docx_templates.py`.
"""

import io
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from rkpk.core.formatting import format_date_id, format_number
from rkpk.core.pdf import html_to_pdf
from rkpk.plans import rollups
from rkpk.plans.models import StatementTemplate, Submission, UnitPlan
from rkpk.plans.reference_data import STATEMENT_BODY, STATEMENT_TITLE
from rkpk.plans.snapshot import plan_snapshot

DOCS = {"rk": "RK", "pk": "PK", "rkpk": "RKPK"}
FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
PLACE = "Jakarta"  # where the PK is signed; settings.RKPK_DOCUMENT_PLACE overrides it
TEMPLATE_DIR = Path(__file__).resolve().parent / "document_templates"
CSS_TEMPLATE = "plans/documents/document.css"
HTML_TEMPLATE = "plans/documents/document.html"
BLANK = "……………………………"  # an unset party's name or position, to be filled by hand

# Placeholders of the statement template (StatementTemplate.title and .body).
PLACEHOLDERS = (
    "year",
    "unit",
    "first_name",
    "first_position",
    "first_nip",
    "second_name",
    "second_position",
    "second_nip",
)
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_NIP_VALUE = re.compile(r"\{(first|second)_nip\}")
# "Nama: {first_name}" — a short label, a colon, a value: printed as an aligned field line.
_FIELD_LINE = re.compile(r"^\s*([^\W\d_][^:{}\n]{0,24}?)\s*:\s*(\S.*)$")
# Characters XML 1.0 cannot hold, and \a / \f which docxtpl turns into paragraph/page breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DocumentError(ValueError):
    pass


# --- the content ------------------------------------------------------------------------


def clean(value) -> str:
    """A value as printable text: a string, line ends normalised, control characters gone."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _position(party: dict | None) -> str:
    if not party:
        return ""
    position = clean(party.get("position"))
    acting = clean(party.get("acting"))
    return f"{acting}. {position}" if acting else position


def _party(party: dict | None, label: str) -> dict:
    """A signature block; blank lines to fill by hand where the party is not set."""
    if not party:
        return {
            "label": label,
            "name": BLANK,
            "position": BLANK,
            "rank": "",
            "nip": "",
            "nip_line": "NIP. ",
        }
    nip = real_nip(party.get("nip"))
    return {
        "label": label,
        "name": clean(party.get("name")),
        "position": _position(party),
        "rank": clean(party.get("rank")),  # the person's own rank (pangkat/golongan)
        "nip": nip,
        # A state official (a minister) has no NIP: no NIP line at all.
        "nip_line": f"NIP. {nip}" if nip else "",
    }


def real_nip(value) -> str:
    """The NIP to print; "" when there is none (a placeholder of zeros counts as none)."""
    nip = clean(value)
    return "" if not nip or set(nip) == {"0"} else nip


def document_place() -> str:
    """The city before signature dates: the organisation profile's (settings.RKPK_DOCUMENT_PLACE
    before a profile is saved)."""
    from rkpk.organisation.profile import signing_city

    return signing_city() or PLACE


def snapshot_organisation(snapshot: dict) -> str:
    """The organisation's name as the snapshot froze it (the current profile's for snapshots
    made before names were frozen); empty before a profile is saved."""
    from rkpk.organisation.profile import NEUTRAL_NAME, values_from

    name = clean(values_from(snapshot.get("organisation")).get("name"))
    return "" if name == NEUTRAL_NAME else name


def snapshot_place(snapshot: dict) -> str:
    """The signing city the submitted snapshot froze; the profile's for older snapshots."""
    frozen = (snapshot.get("organisation") or {}).get("signing_city")
    return clean(frozen) or document_place()


def active_statement_template() -> tuple[str, str]:
    """(title, body) of the newest active statement template; the seed wording if none."""
    template = StatementTemplate.objects.filter(is_active=True).first()
    if template is None:
        return STATEMENT_TITLE, STATEMENT_BODY
    return template.title, template.body


def _fill(text: str, values: dict) -> str:
    """Replace the known {placeholders}; any other brace is left as written."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def statement_blocks(body: str, values: dict) -> list[list[dict]]:
    """The statement body as paragraphs (split on blank lines) of lines.

    A line is {"label", "value"} when it reads "Label: value" (aligned like a form), else
    {"text"}. Labels are recognised in the template, before the values are filled in.
    """
    blocks = []
    for raw_block in re.split(r"\n\s*\n", clean(body)):
        lines = []
        for raw in raw_block.split("\n"):
            if not raw.strip():
                continue
            match = _FIELD_LINE.match(raw)
            if match and _NIP_VALUE.search(match.group(2)) and not _fill(match.group(2), values):
                continue  # "NIP: {first_nip}" for a party without NIP: no line at all
            if match:
                lines.append(
                    {
                        "label": _fill(match.group(1).strip(), values),
                        "value": _fill(match.group(2).strip(), values),
                        "text": "",
                    }
                )
            else:
                lines.append({"label": "", "value": "", "text": _fill(raw.strip(), values)})
        if lines:
            blocks.append(lines)
    return blocks


def _goal_rows(goals: list[dict], *, pk_only: bool) -> list[dict]:
    result = []
    for goal in goals:
        indicators = [i for i in goal.get("indicators", []) if i.get("in_pk") or not pk_only]
        if pk_only and not indicators:
            continue
        rows = [
            {
                "name": clean(ind.get("name")),
                "measure": clean(ind.get("measure")),
                "target": clean((ind.get("target") or {}).get("display")),
                "previous": clean(ind.get("previous_target")),
            }
            for ind in indicators
        ]
        if not rows:  # a goal without indicators still shows, with empty cells
            rows = [{"name": "", "measure": "", "target": "", "previous": ""}]
        result.append({"number": len(result) + 1, "text": clean(goal.get("text")), "rows": rows})
    return result


def _activity_notes(activity: dict) -> str:
    """The remarks cell: "Rekapitulasi <unit>" first on a line that rolls up a unit's plan."""
    notes = clean(activity.get("notes"))
    unit = activity.get("rolls_up") or {}
    if not unit:
        return notes
    remark = rollups.remark(clean(unit.get("name")))
    return f"{remark}; {notes}" if notes and notes != remark else remark


def _activity_rows(activities: list[dict]) -> tuple[list[dict], str]:
    """Programs/activities numbered "1", "1.1", …, and the budget total.

    A program's budget is the sum of the activities that follow it (the BUDGET_ADDS_UP
    check): the total counts each program once, plus activities outside any program. A
    program whose budget is not entered yet counts its activities instead.
    """
    rows, total = [], Decimal(0)
    number = sub = 0
    program_budget = program_sum = None

    def close_program():
        nonlocal total
        if program_budget is not None:
            total += program_budget if program_budget else program_sum

    for activity in activities:
        budget = _decimal(activity.get("budget"))
        is_program = activity.get("kind") == "program"
        if is_program:
            close_program()
            number, sub = number + 1, 0
            label_number = str(number)
            program_budget, program_sum = budget, Decimal(0)
        elif program_budget is not None:
            sub += 1
            label_number = f"{number}.{sub}"
            program_sum += budget
        else:
            number += 1
            label_number = str(number)
            total += budget
        indicator_rows = [
            {
                "name": clean(ai.get("name")),
                "measure": clean(ai.get("measure")),
                "target": clean((ai.get("target") or {}).get("display")),
            }
            for ai in activity.get("indicators", [])
        ] or [{"name": "", "measure": "", "target": ""}]
        rows.append(
            {
                "number": label_number,
                "is_program": is_program,
                "label": clean(activity.get("name")),
                "code": clean(activity.get("code")),
                "budget": format_number(budget),
                "notes": _activity_notes(activity),
                "rollup_remark": (
                    rollups.remark(clean(activity["rolls_up"].get("name")))
                    if activity.get("rolls_up")
                    else ""
                ),
                "rows": indicator_rows,
            }
        )
    close_program()
    return rows, format_number(total)


def document_context(
    snapshot: dict, *, doc: str, on_date: date | None = None, version: int | None = None
) -> dict:
    """What both formats print, as plain strings (nothing marked safe)."""
    if doc not in DOCS:
        raise DocumentError(f"unknown document {doc!r}: one of {', '.join(DOCS)}")
    on_date = on_date or timezone.localdate()
    year = int(snapshot["year"])
    unit = snapshot.get("unit") or {}
    unit_name = clean(unit.get("name"))
    parties = snapshot.get("parties") or {}
    first, second = parties.get("first"), parties.get("second")
    activities, budget_total = _activity_rows(snapshot.get("activities") or [])
    context = {
        "doc": doc,
        "doc_title": f"{DOCS[doc]} {year} {unit_name}",
        "show_rk": doc in ("rk", "rkpk"),
        "show_pk": doc in ("pk", "rkpk"),
        "year": year,
        "unit_name": unit_name,
        "unit_name_upper": unit_name.upper(),
        # The organisation under the unit's name, as the plan's snapshot froze it.
        "organisation_upper": snapshot_organisation(snapshot).upper(),
        "unit_code": clean(unit.get("code")),
        "version": version,
    }
    if context["show_rk"]:
        goals = _goal_rows(snapshot.get("goals") or [], pk_only=False)
        context["rk"] = {
            "goals": goals,
            "has_previous": any(row["previous"] for goal in goals for row in goal["rows"]),
            # The RK has no remarks column: a roll-up line says so after its name.
            "activities": [
                {**row, "label": f"{row['label']} ({row['rollup_remark']})"}
                if row["rollup_remark"]
                else row
                for row in activities
            ],
            "budget_total": budget_total,
        }
    if context["show_pk"]:
        frozen = snapshot.get("statement_template") or {}
        title, body = (frozen["title"], frozen["body"]) if frozen else active_statement_template()
        values = {
            "year": str(year),
            "unit": unit_name,
            "first_name": clean(first.get("name")) if first else BLANK,
            "first_position": _position(first) or BLANK,
            "first_nip": real_nip(first.get("nip")) if first else "",
            "second_name": clean(second.get("name")) if second else BLANK,
            "second_position": _position(second) or BLANK,
            "second_nip": real_nip(second.get("nip")) if second else "",
        }
        filled_title = clean(_fill(title, values))
        context["pk"] = {
            "title": filled_title,
            "attachment_title": f"LAMPIRAN {filled_title}",
            "statement": statement_blocks(body, values),
            "place_date": f"{snapshot_place(snapshot)}, {format_date_id(on_date)}",
            "first": _party(first, "Pihak Pertama"),
            "second": _party(second, "Pihak Kedua"),
            "goals": _goal_rows(snapshot.get("goals") or [], pk_only=True),
            "activities": activities,
            "budget_total": budget_total,
        }
    return context


# --- sources ----------------------------------------------------------------------------


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return _as_date(datetime.fromisoformat(str(value)))
    except ValueError:
        return None


def resolve_source(source, on_date: date | None = None) -> tuple[dict, date, int | None]:
    """(snapshot, date printed, version number) of a plan, a submission or a snapshot dict.

    A plan prints its current content and today's date; a submission its frozen content and
    the day it was submitted; a snapshot dict its "submitted_at" (and "submission_number")
    when it carries them, else today.
    """
    if isinstance(source, UnitPlan):
        snapshot, day, version = plan_snapshot(source), None, None
    elif isinstance(source, Submission):
        snapshot, day, version = source.snapshot, _as_date(source.submitted_at), source.number
    elif isinstance(source, dict):
        snapshot = source
        day, version = _as_date(source.get("submitted_at")), source.get("submission_number")
    else:
        raise DocumentError(f"cannot print a {type(source).__name__}")
    return snapshot, on_date or day or timezone.localdate(), version


def render_plan_document(source, *, doc: str, fmt: str, on_date: date | None = None) -> bytes:
    """The plan's RK, PK or both ("rk" | "pk" | "rkpk") as "docx" or "pdf" bytes.

    `source` is a UnitPlan (its current content), a Submission (its frozen version), or a
    snapshot dict (`plan_snapshot(plan)` or `Submission.snapshot`). `on_date` overrides the
    date printed under the statement.
    """
    if fmt not in FORMATS:
        raise DocumentError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    snapshot, day, version = resolve_source(source, on_date)
    context = document_context(snapshot, doc=doc, on_date=day, version=version)
    return render_docx(context) if fmt == "docx" else render_pdf(context)


def document_filename(snapshot_or_plan, *, doc: str, fmt: str, version: int | None = None):
    """ "PK-2027-SETMEN.RENKEU.pdf"; "-v2" before the extension for a submitted version."""
    if isinstance(snapshot_or_plan, UnitPlan):
        year, code = snapshot_or_plan.year, snapshot_or_plan.unit.code
    else:
        year, code = snapshot_or_plan["year"], snapshot_or_plan["unit"]["code"]
    code = re.sub(r"[^A-Za-z0-9._-]", "_", str(code))
    suffix = f"-v{version}" if version else ""
    return f"{DOCS[doc]}-{year}-{code}{suffix}.{fmt}"


# --- DOCX -------------------------------------------------------------------------------


def _drop_last_column(table) -> None:
    """Remove a table's last grid column (every row's last cell, or narrow a merged one)."""
    from docx.oxml.ns import qn

    grid = table._tbl.tblGrid
    columns = grid.findall(qn("w:gridCol"))
    if len(columns) < 2:
        return
    removed = int(columns[-1].get(qn("w:w")) or 0)
    grid.remove(columns[-1])
    # Give the freed width to the widest remaining column (the indicator names).
    widest = max(columns[:-1], key=lambda c: int(c.get(qn("w:w")) or 0))
    widest.set(qn("w:w"), str(int(widest.get(qn("w:w")) or 0) + removed))
    widest_index = columns.index(widest)
    for tr in table._tbl.findall(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if not cells:
            continue
        last = cells[-1]
        span = last.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        if span is not None and int(span.get(qn("w:val"))) > 1:
            span.set(qn("w:val"), str(int(span.get(qn("w:val"))) - 1))
        else:
            tr.remove(last)
        # Keep the cell widths in step with the grid.
        cells = tr.findall(qn("w:tc"))
        if widest_index < len(cells):
            width = cells[widest_index].find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if width is not None and (width.get(qn("w:type")) in (None, "dxa")):
                width.set(qn("w:w"), widest.get(qn("w:w")))


def render_docx(context: dict) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(TEMPLATE_DIR / f"{context['doc']}.docx")
    template.render(context, autoescape=True)
    rk = context.get("rk")
    if rk is not None and not rk["has_previous"]:
        previous_header = f"Target Tahun Lalu ({context['year'] - 1})"
        for table in template.docx.tables:
            if table.rows and table.rows[0].cells[-1].text.strip() == previous_header:
                _drop_last_column(table)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def stylesheet_text() -> str:
    return render_to_string(CSS_TEMPLATE)


def render_html(context: dict) -> str:
    """The HTML that WeasyPrint prints (the stylesheet is given separately)."""
    return render_to_string(HTML_TEMPLATE, context)


def render_pdf(context: dict) -> bytes:
    return html_to_pdf(render_html(context), stylesheet_text())
