"""The template workbook of the unit and official imports (also the export of the current
units and officials, which imports back unchanged)."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.organisation.importers.rows import COLUMNS, OFFICIALS


def build_workbook(kind: str, rows: Iterable[Iterable] = ()) -> bytes:
    """An XLSX file with the header row for `kind`, optional data, and an instructions sheet."""
    columns = COLUMNS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append([c.name for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 28 if column.name in ("name", "position") else 18
    text_columns = [i for i, c in enumerate(columns, start=1) if c.text_format]
    for index in text_columns:
        # Text format keeps leading zeros and all 18 digits of a NIP.
        sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    for values in rows:
        sheet.append(["" if v is None else safe_cell(v) for v in values])
        for index in text_columns:
            sheet.cell(row=sheet.max_row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("Content")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append(
            [column.name, _("yes") if column.required else _("no"), str(column.description)]
        )
    notes.append([])
    notes.append(
        [
            _(
                "Only the sheet named %(sheet)s is read (or, without it, the first sheet). "
                "Empty rows are skipped. Formulas are not accepted. Existing records are "
                "updated by their code or NIP; nothing is imported while any row is wrong."
            )
            % {"sheet": kind}
        ]
    )
    if kind == OFFICIALS:
        notes.append(
            [
                _(
                    "One person holding several posts is written on several rows with the same "
                    "NIP (a state official without NIP: the same name, state_official yes). "
                    "The person's own position, rank and unit come from their row that is not "
                    "a Plt./Plh. post. A row with head_of_unit records that the person heads "
                    "that unit: definitif, or Plt./Plh. from head_from until head_until. "
                    "Columns not listed here are ignored and named in the import report."
                )
            ]
        )
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 70
    return workbook_bytes(workbook)
