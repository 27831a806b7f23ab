"""The workbook of a plan (pre-filled, with drop-downs and locked headers) and the annotated
copy of an upload that marks each wrong cell."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from rkpk.core.formatting import format_date_id
from rkpk.core.sheet_reader import (
    SheetError,
)
from rkpk.core.spreadsheet import DANGEROUS_START, display_number, safe_cell, workbook_bytes
from rkpk.plans import lists as reference_lists
from rkpk.plans.excel.columns import (
    ACTIVITIES,
    ACTIVITY_INDICATORS,
    ACTIVITY_KIND_LABELS,
    COLUMNS,
    DATA_SHEETS,
    ERRORS,
    EXTRA_ROWS,
    GOALS,
    HELP,
    INDICATORS,
    KIND_LABELS,
    LEVEL_LABELS,
    LISTS,
    NO,
    POLARITY_LABELS,
    PROP_BASE,
    PROP_UNIT,
    PROP_YEAR,
    TYPE_LABELS,
    YES,
    letter_of,
)
from rkpk.plans.fingerprint import content_fingerprint
from rkpk.plans.models import (
    MeasureUnit,
    QualitativeValue,
    TargetKind,
    UnitPlan,
)
from rkpk.plans.rollups import units_below
from rkpk.plans.selectors import plan_with_content
from rkpk.plans.snapshot import format_target
from rkpk.plans.validation import norm

logger = logging.getLogger(__name__)

# --- Building the workbook ------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
READONLY_FILL = PatternFill("solid", fgColor="E7E6E6")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def _xl_number(value):
    if value is None:
        return None
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _target_cells(obj) -> list:
    """Jenis target, Target, Target dari, Target sampai, Target kualitatif."""
    kind = obj.target_kind
    has_target = (
        obj.target_value is not None
        or obj.target_min is not None
        or obj.target_max is not None
        or bool(obj.target_text)
    )
    label = KIND_LABELS.get(kind, "") if has_target else ""
    if kind in (TargetKind.NUMBER, TargetKind.PERCENT):
        return [label, _xl_number(obj.target_value), None, None, None]
    if kind == TargetKind.RANGE:
        return [label, None, _xl_number(obj.target_min), _xl_number(obj.target_max), None]
    return [label, None, None, None, obj.target_text or None]


def _goal_codes(goals) -> dict[int, str]:
    """Every goal's code; a goal without one gets S1, S2… (the indicators must refer to it)."""
    used = {g.code.lower() for g in goals if g.code}
    codes, counter = {}, 0
    for goal in goals:
        if goal.code:
            codes[goal.pk] = goal.code
            continue
        while True:
            counter += 1
            candidate = f"S{counter}"
            if candidate.lower() not in used:
                break
        used.add(candidate.lower())
        codes[goal.pk] = candidate
    return codes


def _activity_codes(activities) -> dict[int, str]:
    used = {a.code.lower() for a in activities if a.code}
    codes, counter = {}, 0
    for activity in activities:
        if activity.code or not list(activity.indicators.all()):
            codes[activity.pk] = activity.code
            continue
        while True:
            counter += 1
            candidate = f"K{counter}"
            if candidate.lower() not in used:
                break
        used.add(candidate.lower())
        codes[activity.pk] = candidate
    return codes


def _last_row(data_rows: int) -> int:
    """The last row prepared for data (unlocked, with drop-downs)."""
    return max(data_rows + 1 + EXTRA_ROWS, 200)


def _data_sheet(wb: Workbook, name: str, rows: list[list]):
    ws = wb.create_sheet(name)
    columns = COLUMNS[name]
    ws.append([c.header for c in columns])
    for position, col in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = ws.cell(row=1, column=position)
        cell.font, cell.fill, cell.protection = HEADER_FONT, HEADER_FILL, LOCKED
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = ws.column_dimensions[letter]
        dimension.width = col.width
        # Cells below the data (no cell written yet) take the column's style: unlocked.
        dimension.protection = UNLOCKED
        if col.text:
            dimension.number_format = "@"
        if col.key == "previous":
            dimension.fill = READONLY_FILL
    text_positions = {i for i, c in enumerate(columns, start=1) if c.text}
    wrap_positions = {i for i, c in enumerate(columns, start=1) if c.wrap}
    previous_position = next(
        (i for i, c in enumerate(columns, start=1) if c.key == "previous"), None
    )
    budget_position = next((i for i, c in enumerate(columns, start=1) if c.key == "budget"), None)
    # (ws.max_row and ws[row] scan every cell: row numbers are counted here instead.)
    for r, values in enumerate(rows, start=2):
        for position, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=position, value=safe_cell(value))
            cell.protection = UNLOCKED
            cell.alignment = WRAP if position in wrap_positions else TOP
            if position in text_positions:
                cell.number_format = "@"
            elif position == previous_position:
                cell.fill = READONLY_FILL
                figure = display_number(value) if isinstance(value, str) else None
                if figure is not None:  # last year's "85%" as 0.85 shown 85%; a range stays text
                    cell.value, cell.number_format = figure
            elif position == budget_position:
                cell.number_format = "#,##0"
    # Empty rows below the data, unlocked and styled as data rows: spreadsheets that ignore
    # column styles (LibreOffice) still let the user type there.
    for r in range(len(rows) + 2, _last_row(len(rows)) + 1):
        for position in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=position)
            cell.protection = UNLOCKED
            if position in text_positions:
                cell.number_format = "@"
            elif position == budget_position:
                cell.number_format = "#,##0"
            elif position == previous_position:
                cell.fill = READONLY_FILL
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    protection = ws.protection
    protection.sheet = True
    # Allowed on the protected sheet: adding and deleting data rows, widths, sorting.
    protection.insertRows = False
    protection.deleteRows = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False
    protection.sort = False
    protection.autoFilter = False
    return ws


def _list_validation(ws, formula: str, column: str, last_row: int, title: str, strict=True):
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="Nilai tidak dikenal",
        error=f"Pilih {title} dari daftar.",
        showInputMessage=True,
        promptTitle=title[:32],
        prompt=f"Pilih {title} dari daftar.",
    )
    validation.add(f"{column}2:{column}{last_row}")
    ws.add_data_validation(validation)


def build_workbook(plan: UnitPlan) -> bytes:
    """The plan's workbook, pre-filled with its content, with drop-downs and instructions.

    A fixed number of queries whatever the plan's size.
    """
    plan = plan_with_content(plan.pk)
    goals = list(plan.goals.all())
    activities = list(plan.activities.all())
    goal_codes = _goal_codes(goals)
    rows = {**_goal_rows(goals, goal_codes), **_activity_rows(activities)}
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = HELP
    sheets = {name: _data_sheet(wb, name, rows[name]) for name in DATA_SHEETS}
    lists = _lists(plan, [goal_codes[g.pk] for g in goals])
    _lists_sheet(wb, lists)
    last = {name: _last_row(len(rows[name])) for name in DATA_SHEETS}
    _drop_downs(sheets, lists, last)
    _help_sheet(help_ws, plan, lists)
    wb.custom_doc_props.append(StringProperty(name=PROP_UNIT, value=plan.unit.code))
    wb.custom_doc_props.append(StringProperty(name=PROP_YEAR, value=str(plan.year)))
    wb.custom_doc_props.append(StringProperty(name=PROP_BASE, value=content_fingerprint(plan)))
    wb.properties.title = f"RK-PK {plan.year} {plan.unit.name}"[:250]
    wb.properties.creator = "RK-PK"
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return workbook_bytes(wb)


def _goal_rows(goals: list, goal_codes: dict[int, str]) -> dict[str, list[list]]:
    """The rows of the sheets Sasaran and Indikator."""
    goal_rows, indicator_rows = [], []
    number = 0
    for i, goal in enumerate(goals, start=1):
        goal_rows.append([i, goal_codes[goal.pk], goal.text, LEVEL_LABELS.get(goal.level)])
        for ind in goal.indicators.all():
            number += 1
            indicator_rows.append(
                [
                    goal_codes[goal.pk],
                    number,
                    ind.code or None,
                    ind.name,
                    ind.definition or None,
                    ind.formula or None,
                    ind.measure or None,
                    POLARITY_LABELS.get(ind.polarity),
                    ind.data_source or None,
                    TYPE_LABELS.get(ind.indicator_type),
                    *_target_cells(ind),
                    *(_xl_number(q) for q in (ind.q1, ind.q2, ind.q3, ind.q4)),
                    YES if ind.in_pk else NO,
                    (format_target(ind.previous) or None) if ind.previous_id else None,
                ]
            )
    return {GOALS: goal_rows, INDICATORS: indicator_rows}


def _activity_rows(activities: list) -> dict[str, list[list]]:
    """The rows of the sheets Kegiatan and Indikator Kegiatan."""
    activity_codes = _activity_codes(activities)
    activity_rows, ai_rows = [], []
    for i, activity in enumerate(activities, start=1):
        code = activity_codes[activity.pk]
        activity_rows.append(
            [
                i,
                ACTIVITY_KIND_LABELS.get(activity.kind),
                code or None,
                activity.name,
                _xl_number(activity.budget),
                activity.notes or None,
                activity.rolls_up.code if activity.rolls_up_id else None,
            ]
        )
        for ai in activity.indicators.all():
            ai_rows.append([code, ai.name, ai.measure or None, *_target_cells(ai)])
    return {ACTIVITIES: activity_rows, ACTIVITY_INDICATORS: ai_rows}


def _lists(plan: UnitPlan, goal_codes: list[str]) -> dict[str, tuple[str, list]]:
    """The hidden sheet's columns behind the drop-downs: letter -> (title, values).

    Drop-downs offer the active values, and the deactivated ones this plan still holds.
    """
    held = reference_lists.values_held_by(plan)
    measures = list(
        MeasureUnit.objects.filter(Q(is_active=True) | Q(name__in=held)).values_list(
            "name", flat=True
        )
    )
    qualitative = list(
        QualitativeValue.objects.filter(Q(is_active=True) | Q(value__in=held)).values_list(
            "value", flat=True
        )
    )
    return {
        "A": ("Satuan", measures),
        "B": ("Target kualitatif", qualitative),
        "C": ("Polaritas", list(POLARITY_LABELS.values())),
        "D": ("Jenis indikator", list(TYPE_LABELS.values())),
        "E": ("Jenis target", list(KIND_LABELS.values())),
        "F": ("Tingkat sasaran", list(LEVEL_LABELS.values())),
        "G": ("Jenis program/kegiatan", list(ACTIVITY_KIND_LABELS.values())),
        "H": ("Masuk PK", [YES, NO]),
        "I": ("Kode sasaran", goal_codes),
        "U": ("Kode unit di bawah", [u.code for u in units_below(plan.unit)]),
    }


def _lists_sheet(wb: Workbook, lists: dict) -> None:
    list_ws = wb.create_sheet(LISTS)
    for letter, (title, values) in lists.items():
        list_ws[f"{letter}1"] = title
        for row, value in enumerate(values, start=2):
            list_ws[f"{letter}{row}"] = safe_cell(value)
    list_ws.sheet_state = "hidden"
    list_ws.protection.sheet = True


# Drop-downs of the data sheets: (sheet, column key, the list's letter on the sheet Daftar or
# "goals"/"activities" for the codes of the data sheets, the drop-down's title).
DROP_DOWNS = [
    (GOALS, "level", "F", "tingkat sasaran"),
    (INDICATORS, "goal_code", "goals", "kode sasaran"),
    (INDICATORS, "measure", "A", "satuan"),
    (INDICATORS, "polarity", "C", "polaritas"),
    (INDICATORS, "type", "D", "jenis indikator"),
    (INDICATORS, "kind", "E", "jenis target"),
    (INDICATORS, "target_text", "B", "target kualitatif"),
    (INDICATORS, "in_pk", "H", "Ya atau Tidak"),
    (ACTIVITIES, "kind", "G", "jenis"),
    (ACTIVITIES, "rolls_up", "U", "kode unit di bawah"),
    (ACTIVITY_INDICATORS, "activity_code", "activities", "kode kegiatan"),
    (ACTIVITY_INDICATORS, "measure", "A", "satuan"),
    (ACTIVITY_INDICATORS, "kind", "E", "jenis target"),
    (ACTIVITY_INDICATORS, "target_text", "B", "target kualitatif"),
]


def _drop_downs(sheets: dict, lists: dict, last: dict[str, int]) -> None:
    refs = {
        "goals": f"{GOALS}!$B$2:$B${last[GOALS]}",
        "activities": f"{ACTIVITIES}!$C$2:$C${last[ACTIVITIES]}",
    }
    for letter, (_title, values) in lists.items():
        refs[letter] = f"{LISTS}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    for sheet, key, source, title in DROP_DOWNS:
        _list_validation(sheets[sheet], refs[source], letter_of(sheet, key), last[sheet], title)


def _help_sheet(ws, plan: UnitPlan, lists: dict) -> None:
    bold = Font(bold=True)
    widths = {"A": 20, "B": 22, "C": 8, "D": 90}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    wide = sum(widths.values()) - widths["A"]  # B:D merged, in characters

    def long_text(label, text: str, *, bold_label=False) -> None:
        ws.append([label, safe_cell(text)])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        ws.cell(row=r, column=1).alignment = TOP
        ws.cell(row=r, column=2).alignment = WRAP
        if bold_label:
            ws.cell(row=r, column=1).font = bold
        lines = sum(max(1, -(-len(part) // int(wide * 0.9))) for part in text.split("\n"))
        ws.row_dimensions[r].height = 15 * lines + 2

    ws.append([safe_cell(f"Petunjuk pengisian Rencana Kinerja dan Penetapan Kinerja {plan.year}")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Unit", safe_cell(f"{plan.unit.name} ({plan.unit.code})")])
    ws.append(["Tahun", plan.year])
    ws.cell(row=ws.max_row, column=2).alignment = Alignment(horizontal="left")
    ws.append(["Diunduh", format_date_id(timezone.localdate())])
    for r in (2, 3, 4):
        ws.cell(row=r, column=1).font = bold
    ws.append([])
    steps = [
        "Isi lembar Sasaran, Indikator, Kegiatan dan Indikator Kegiatan, lalu unggah berkas ini "
        "kembali pada halaman unggah RK-PK.",
        "Jangan mengubah, memindahkan atau menghapus judul kolom (baris 1) maupun nama lembar.",
        "Setiap indikator merujuk ke sasaran melalui Kode sasaran; setiap indikator kegiatan "
        "merujuk ke program/kegiatan melalui Kode kegiatan.",
        "Angka boleh ditulis seperti 1.234,5 atau 85% atau Rp1.500.000. Jangan gunakan rumus "
        "(formula): ketik nilainya.",
        "Jenis target: Angka atau Persentase → isi kolom Target; Rentang → isi Target dari dan "
        "Target sampai; Kualitatif → pilih Target kualitatif. Bila Jenis target kosong, jenisnya "
        "ditentukan dari isian.",
        "Baris kosong diabaikan. Urutan baris menjadi urutan dalam RK-PK.",
        "Berkas diperiksa seluruhnya: bila ada satu kesalahan, tidak ada yang diimpor. Daftar "
        "kesalahan ditampilkan dan salinan berkas dengan sel yang salah ditandai merah dapat "
        "diunduh.",
        "Mengimpor berkas mengganti seluruh sasaran, indikator dan kegiatan RK-PK unit dengan isi "
        "berkas. Bila RK-PK diubah di aplikasi setelah berkas ini diunduh, unduh berkas baru.",
        "Kolom Target tahun lalu hanya informasi dan tidak diimpor.",
        "Ukuran berkas paling besar 10 MB; hanya format .xlsx tanpa makro dan tanpa kata sandi.",
    ]
    for i, text in enumerate(steps, start=1):
        long_text(f"{i}.", text)
    ws.append([])
    ws.append(["Lembar", "Kolom", "Wajib", "Isi"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for sheet in DATA_SHEETS:
        for col in COLUMNS[sheet]:
            ws.append([sheet, col.header, "Ya" if col.required else "", safe_cell(col.help)])
            ws.cell(row=ws.max_row, column=4).alignment = WRAP
    ws.append([])
    ws.append(["Nilai yang diperbolehkan"])
    ws.cell(row=ws.max_row, column=1).font = bold
    for title, values in lists.values():
        if title == "Kode sasaran":
            continue
        long_text(title, ", ".join(values), bold_label=True)
    ws.protection.sheet = True


# --- The annotated copy ---------------------------------------------------------------------


def annotate_workbook(data: bytes, errors: Iterable[SheetError | dict]) -> bytes:
    """The uploaded workbook with every wrong cell filled red and commented, and a sheet
    "Kesalahan" listing all errors. Text that could run as a formula is neutralised."""
    errors = [e if isinstance(e, SheetError) else SheetError.from_dict(e) for e in errors]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data))
    except Exception as error:
        logger.info("Could not open an upload to annotate it: %r", error)
        wb = Workbook()
        wb.remove(wb.active)
    if ERRORS in wb.sheetnames:
        wb.remove(wb[ERRORS])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or type(cell).__name__ == "MergedCell":
                    continue
                if cell.data_type == "f":
                    cell.value = safe_cell(str(getattr(value, "text", value) or "="))
                elif isinstance(value, str) and value.startswith(DANGEROUS_START):
                    cell.value = safe_cell(value)
    by_cell: dict[tuple[str, str], list[str]] = {}
    for error in errors:
        if error.sheet and error.row and error.column:
            by_cell.setdefault((error.sheet, f"{error.column}{error.row}"), []).append(
                error.message
            )
    titles = {norm(title): title for title in wb.sheetnames}
    for (sheet, ref), messages in by_cell.items():
        title = titles.get(norm(sheet))
        if title is None:
            continue
        cell = wb[title][ref]
        if type(cell).__name__ == "MergedCell":
            continue
        cell.fill = ERROR_FILL
        comment = Comment("\n".join(messages)[:2000], "RK-PK")
        comment.width, comment.height = 300, 120
        cell.comment = comment
    ws = wb.create_sheet(ERRORS, 0)
    ws.append(["Lembar", "Sel", "Kolom", "Kesalahan"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for error in errors:
        ws.append(
            [
                safe_cell(error.sheet),
                error.cell or None,
                safe_cell(error.field),
                safe_cell(error.message),
            ]
        )
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 20
    ws.column_dimensions["D"].width = 100
    ws.sheet_properties.tabColor = "C00000"
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
