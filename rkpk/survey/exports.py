"""The survey's results as an XLSX workbook (openpyxl; every cell through safe_cell)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core.formatting import format_date_id
from rkpk.core.spreadsheet import column_widths, safe_cell, workbook_bytes
from rkpk.survey import selectors
from rkpk.survey.models import ELEMENT_CODES, SCORES, Survey

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _sheet(book, title, header, rows, *, first=False):
    """A sheet: the header in bold, the rows, each column as wide as its longest text
    (between 8 and 70 characters)."""
    from openpyxl.styles import Font

    ws = book.active if first else book.create_sheet()
    ws.title = title[:31]
    if header:
        ws.append([safe_cell(str(h)) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    column_widths(
        ws,
        [
            min(max(max((len(str(c.value or "")) for c in column), default=8) + 2, 8), 70)
            for column in ws.columns
        ],
    )
    return ws


def _summary_rows(survey: Survey, result: selectors.Results) -> list:
    grade = result.grade
    return [
        [_("Survey"), str(survey)],
        [_("Questionnaire"), f"{survey.questionnaire.title} (v{survey.questionnaire.version})"],
        [_("Opened"), format_date_id(timezone.localtime(survey.opened_at).date())],
        [_("Closes on"), format_date_id(survey.closes_on)],
        [_("Status"), str(survey.get_status_display())],
        [_("Units invited"), result.invited],
        [_("Respondents"), result.respondents],
        [_("Response rate (%)"), result.response_rate],
        [_("Satisfaction index (IKM)"), result.index],
        [_("Grade"), f"{grade.letter} ({grade.label_id})" if grade else ""],
    ]


def _element_header() -> list:
    return [
        _("Code"),
        _("Element"),
        _("Answers"),
        _("Average (NRR)"),
        _("Weighted NRR"),
        _("Converted (×25)"),
        *[_("Score %(n)s") % {"n": s} for s in SCORES],
    ]


def _element_rows(result: selectors.Results) -> list:
    return [
        [
            e.code,
            e.element.name,
            e.count,
            e.average,
            e.weighted,
            e.converted,
            *[e.distribution[s] for s in SCORES],
        ]
        for e in result.elements
    ]


def _response_header() -> list:
    return [
        _("Code"),
        _("Unit"),
        _("Submitted"),
        *ELEMENT_CODES,
        _("Gender"),
        _("Age"),
        _("Education"),
    ]


def _response_rows(survey: Survey) -> list:
    """Every unit's response: its scores by element and the respondent's profile."""
    rows = []
    for response in selectors.response_table(survey):
        scores = {a.element: a.score for a in response.answers.all()}
        rows.append(
            [
                response.unit.code,
                response.unit.name,
                _local(response.submitted_at),
                *[scores.get(code) for code in ELEMENT_CODES],
                str(response.get_gender_display()),
                str(response.get_age_range_display()),
                str(response.get_education_display()),
            ]
        )
    return rows


def workbook(survey: Survey, result: selectors.Results, *, with_responses: bool) -> bytes:
    """Sheets: summary, elements, units not answered; for the bureau also the suggestions
    and every unit's response."""
    from openpyxl import Workbook

    book = Workbook()
    _sheet(book, _("Summary"), [_("Item"), _("Value")], _summary_rows(survey, result), first=True)
    _sheet(book, _("Elements"), _element_header(), _element_rows(result))
    _sheet(
        book,
        _("Not answered"),
        [_("Code"), _("Unit")],
        [[u.code, u.name] for u in result.unanswered],
    )
    if with_responses:
        _sheet(
            book,
            _("Suggestions"),
            [_("Unit"), _("Submitted"), _("Suggestion")],
            [
                [s["unit"].name, _local(s["submitted_at"]), s["text"]]
                for s in result.suggestions or []
            ],
        )
        rows = _response_rows(survey)
        _sheet(book, _("Responses"), _response_header(), rows)
    return workbook_bytes(book)
