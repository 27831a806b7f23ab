"""The survey's results as an XLSX workbook (openpyxl; every cell through safe_cell)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core.formatting import format_date_id
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.survey import selectors
from rkpk.survey.models import ELEMENT_CODES, SCORES, Survey

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def workbook(survey: Survey, result: selectors.Results, *, with_responses: bool) -> bytes:
    """Sheets: summary, elements, units not answered; for the bureau also the suggestions
    and every unit's response."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = title[:31]
        if header:
            ws.append([safe_cell(str(h)) for h in header])
            for cell in ws[1]:
                cell.font = bold
        for row in rows:
            ws.append([safe_cell(v) for v in row])
        for index, _column in enumerate(ws.columns, start=1):
            width = max((len(str(c.value or "")) for c in _column), default=8)
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 70)
        return ws

    grade = result.grade
    sheet(
        _("Summary"),
        [_("Item"), _("Value")],
        [
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
        ],
        first=True,
    )
    sheet(
        _("Elements"),
        [
            _("Code"),
            _("Element"),
            _("Answers"),
            _("Average (NRR)"),
            _("Weighted NRR"),
            _("Converted (×25)"),
            *[_("Score %(n)s") % {"n": s} for s in SCORES],
        ],
        [
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
        ],
    )
    sheet(
        _("Not answered"),
        [_("Code"), _("Unit")],
        [[u.code, u.name] for u in result.unanswered],
    )
    if with_responses:
        sheet(
            _("Suggestions"),
            [_("Unit"), _("Submitted"), _("Suggestion")],
            [
                [s["unit"].name, _local(s["submitted_at"]), s["text"]]
                for s in result.suggestions or []
            ],
        )
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
        sheet(
            _("Responses"),
            [
                _("Code"),
                _("Unit"),
                _("Submitted"),
                *ELEMENT_CODES,
                _("Gender"),
                _("Age"),
                _("Education"),
            ],
            rows,
        )
    return workbook_bytes(book)
