"""The agenda book (register) of a year as an XLSX report."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from rkpk.core.formatting import format_date_id
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.correspondence import selectors
from rkpk.correspondence.models import Register

BOOK_HEADERS = [
    "No. urut",
    "Nomor",
    "Tanggal",
    "Kepada",
    "Hal",
    "Status",
    "Dibatalkan",
    "Alasan pembatalan",
]


def book_workbook(register: Register, year: int) -> bytes:
    """The agenda book of a year as an XLSX report; every cell passes through safe_cell."""

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Agenda {year}"
    sheet.append([safe_cell(f"Buku Agenda — {register.name} — {year}")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([safe_cell(f"Pola nomor: {register.pattern}")])
    sheet.append([])
    sheet.append([safe_cell(h) for h in BOOK_HEADERS])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    labels = {"issued": "Terbit", "cancelled": "Dibatalkan"}
    for row in selectors.register_book(register, year):
        sheet.append(
            [
                safe_cell(value)
                for value in (
                    row.seq,
                    row.number,
                    format_date_id(timezone.localdate(row.issued_at)),
                    row.recipient_summary,
                    row.subject,
                    labels.get(row.status, row.status),
                    format_date_id(timezone.localdate(row.cancelled_at))
                    if row.cancelled_at
                    else "",
                    row.cancel_reason,
                )
            ]
        )
    for column, width in zip("ABCDEFGH", (9, 45, 18, 40, 60, 12, 18, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
    return workbook_bytes(workbook)
