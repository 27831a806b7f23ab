"""The register as XLSX: the rows the user filtered, every cell through safe_cell."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core.spreadsheet import safe_cell, workbook_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [
        _("Number"),
        _("Received"),
        _("Category"),
        _("Subject"),
        _("Complainant"),
        _("Unit"),
        _("Cycle"),
        _("Step"),
        _("Status"),
        _("Delegated to"),
        _("Delegation due"),
        _("Answer due"),
        _("Answered on"),
        _("Answered in time"),
        _("Overdue"),
        _("Closed on"),
        _("Satisfaction"),
    ]


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def register_workbook(complaints, on: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Complaints")[:31]
    sheet.append([safe_cell(h) for h in headers()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for c in complaints:
        sheet.append(
            [
                safe_cell(value)
                for value in (
                    c.number,
                    timezone.localtime(c.received_at).replace(tzinfo=None),
                    c.get_category_display(),
                    c.subject,
                    str(c.complainant),
                    c.unit.name if c.unit_id else "",
                    c.cycle.name if c.cycle_id else "",
                    c.step_number,
                    c.get_status_display(),
                    str(c.delegated_to) if c.delegated_to_id else "",
                    c.delegation_due,
                    c.answer_due,
                    c.answered_on,
                    _yes_no(c.answered_in_time),
                    _yes_no(c.is_overdue(on)),
                    timezone.localdate(c.closed_at) if c.closed_at else None,
                    c.get_satisfaction_display() if c.satisfaction else "",
                )
            ]
        )
    widths = (16, 18, 22, 50, 28, 30, 14, 6, 14, 28, 14, 14, 14, 10, 10, 14, 16)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2):
        row[1].number_format = "yyyy-mm-dd hh:mm"
        for cell in (row[10], row[11], row[12], row[15]):
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return workbook_bytes(workbook)
