"""The Excel round trip of a unit plan: the pre-filled workbook, its upload, and the import.

The workbook (always in Indonesian, like the official documents):

- "Petunjuk": instructions and the allowed values;
- "Sasaran": goals (No, Kode, Sasaran, Tingkat);
- "Indikator": indicators with the IKU fields, the annual and quarterly targets, whether the
  indicator is in the PK, and last year's target (read-only, never imported);
- "Kegiatan": programs and activities with their budget;
- "Indikator Kegiatan": the activities' output indicators and targets;
- "Daftar" (hidden): the lists behind the drop-downs.

Header rows are locked and the sheets protected, but an upload is checked as if they were
not: missing or renamed columns, every row, every cell. Errors name the sheet, the row as
Excel shows it, the column letter and header. Nothing is imported unless the whole file is
valid; an annotated copy of the upload marks each wrong cell in red with a comment.

Reading is pure (`check_file`, `parse_workbook`); the write is `import_workbook`, which
replaces the plan's goals, indicators, activities and activity indicators in one transaction.

Formula injection: every workbook this module writes passes its text through `safe_cell`,
which puts an apostrophe before text that begins with = + - @ (or a tab or carriage
return). On upload that one apostrophe is taken off again, so such text survives a round
trip. Real formulas in an upload are refused, and so is text that begins with "=" unless
Excel marks it as typed text (a leading apostrophe typed in Excel).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from rkpk.core import audit, sheet_reader
from rkpk.core.formatting import format_date_id, format_number
from rkpk.core.models import AuditEvent
from rkpk.core.sheet_reader import (
    ErrorValue,
    Formula,
    Percent,
    SheetError,
    SheetFileError,
    is_blank,
)
from rkpk.core.spreadsheet import DANGEROUS_START, display_number, safe_cell, workbook_bytes
from rkpk.organisation.models import Unit
from rkpk.plans import lists as reference_lists
from rkpk.plans import validation
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    MeasureUnit,
    QualitativeValue,
    TargetKind,
    UnitPlan,
)
from rkpk.plans.rollups import descendant_ids, names_unit, plan_totals, units_below
from rkpk.plans.selectors import plan_with_content
from rkpk.plans.snapshot import format_target, plan_snapshot

logger = logging.getLogger(__name__)

# --- Limits -------------------------------------------------------------------------------

MAX_ROWS = 10_000  # data rows per sheet
EXTRA_ROWS = 150  # empty rows prepared below the data, with drop-downs and unlocked cells

MAX_BYTES = sheet_reader.MAX_BYTES
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- Sheets and columns -------------------------------------------------------------------

HELP = "Petunjuk"
GOALS = "Sasaran"
INDICATORS = "Indikator"
ACTIVITIES = "Kegiatan"
ACTIVITY_INDICATORS = "Indikator Kegiatan"
LISTS = "Daftar"
ERRORS = "Kesalahan"
DATA_SHEETS = (GOALS, INDICATORS, ACTIVITIES, ACTIVITY_INDICATORS)

# Custom document properties that tie a workbook to its plan and to the content it
# was made from (to detect a stale workbook uploaded over newer edits).
PROP_UNIT, PROP_YEAR, PROP_BASE = "rkpk_unit", "rkpk_year", "rkpk_base"

LEVEL_LABELS = {
    Goal.Level.STRATEGIC: "Strategis",
    Goal.Level.PROGRAM: "Program",
    Goal.Level.ACTIVITY: "Kegiatan",
}
POLARITY_LABELS = {
    Indicator.Polarity.HIGHER: "Semakin tinggi semakin baik",
    Indicator.Polarity.LOWER: "Semakin rendah semakin baik",
    Indicator.Polarity.RANGE: "Dalam rentang",
}
TYPE_LABELS = {
    Indicator.Type.INPUT: "Input",
    Indicator.Type.OUTPUT: "Output",
    Indicator.Type.OUTCOME: "Outcome",
}
KIND_LABELS = {
    TargetKind.NUMBER: "Angka",
    TargetKind.PERCENT: "Persentase",
    TargetKind.RANGE: "Rentang",
    TargetKind.QUALITATIVE: "Kualitatif",
}
ACTIVITY_KIND_LABELS = {Activity.Kind.PROGRAM: "Program", Activity.Kind.ACTIVITY: "Kegiatan"}
YES, NO = "Ya", "Tidak"


def _choices(labels: dict, **aliases: str) -> dict[str, str]:
    """Accepted spellings (lower case) -> model value: the label, the code, and aliases."""
    found = {}
    for value, label in labels.items():
        found[label.lower()] = value
        found[str(value).lower()] = value
    found.update({alias.replace("_", " "): labels_key for alias, labels_key in aliases.items()})
    return found


LEVEL_CHOICES = _choices(LEVEL_LABELS, strategis="strategic", stratejik="strategic")
POLARITY_CHOICES = _choices(
    POLARITY_LABELS,
    maximize="higher",
    minimize="lower",
    tinggi="higher",
    rendah="lower",
    rentang="range",
    naik="higher",
    turun="lower",
)
TYPE_CHOICES = _choices(TYPE_LABELS, masukan="input", keluaran="output", hasil="outcome")
KIND_CHOICES = _choices(
    KIND_LABELS, number="number", persen="percent", percentage="percent", kualitatif="qualitative"
)
ACTIVITY_KIND_CHOICES = _choices(ACTIVITY_KIND_LABELS, activity="activity")
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "benar", "v", "x"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "salah", "bukan"}


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    width: int
    help: str  # Indonesian, for the instructions sheet
    required: bool = False  # a value is required in every row
    text: bool = False  # formatted as text in Excel (codes)
    wrap: bool = False
    numeric: bool = False  # written as a number
    ignored: bool = False  # not imported (No, last year's target)
    optional_header: bool = False  # the column may be missing from an upload


def _target_cols(prefix: str = "") -> list[Col]:
    return [
        Col(
            "kind",
            "Jenis target",
            14,
            "Angka, Persentase, Rentang atau Kualitatif. Kosong: ditentukan dari isian target.",
        ),
        Col(
            "target",
            "Target",
            12,
            "Angka atau persentase (mis. 1.234,5 atau 85%) untuk jenis Angka/Persentase.",
            numeric=True,
        ),
        Col("target_min", "Target dari", 12, "Batas bawah untuk jenis Rentang.", numeric=True),
        Col("target_max", "Target sampai", 12, "Batas atas untuk jenis Rentang.", numeric=True),
        Col(
            "target_text",
            "Target kualitatif",
            16,
            "Nilai dari daftar (mis. WTP, Baik) untuk jenis Kualitatif.",
        ),
    ]


COLUMNS: dict[str, list[Col]] = {
    GOALS: [
        Col("no", "No", 6, "Nomor urut (informasi; urutan mengikuti baris).", ignored=True),
        Col("code", "Kode", 12, "Kode sasaran, unik; dirujuk oleh lembar Indikator.", True, True),
        Col("text", "Sasaran", 60, "Uraian sasaran.", True, wrap=True),
        Col("level", "Tingkat", 14, "Strategis, Program atau Kegiatan. Kosong: Strategis."),
    ],
    INDICATORS: [
        Col("goal_code", "Kode sasaran", 12, "Kode sasaran dari lembar Sasaran.", True, True),
        Col("no", "No", 6, "Nomor urut (informasi).", ignored=True),
        Col("code", "Kode", 12, "Kode indikator (unik bila diisi).", text=True),
        Col("name", "Indikator", 48, "Nama indikator kinerja.", True, wrap=True),
        Col("definition", "Definisi operasional", 40, "Definisi operasional.", wrap=True),
        Col("formula", "Formula", 30, "Cara menghitung (ditulis sebagai teks).", wrap=True),
        Col("measure", "Satuan", 14, "Satuan dari daftar."),
        Col("polarity", "Polaritas", 24, "Arah capaian. Kosong: semakin tinggi semakin baik."),
        Col("data_source", "Sumber data", 24, "Sumber data.", wrap=True),
        Col("type", "Jenis", 12, "Input, Output atau Outcome. Kosong: Outcome."),
        *_target_cols(),
        Col("q1", "TW I", 9, "Target triwulan I (opsional).", numeric=True),
        Col("q2", "TW II", 9, "Target triwulan II (opsional).", numeric=True),
        Col("q3", "TW III", 9, "Target triwulan III (opsional).", numeric=True),
        Col("q4", "TW IV", 9, "Target triwulan IV (opsional).", numeric=True),
        Col("in_pk", "Masuk PK", 10, "Ya atau Tidak. Kosong: Ya."),
        Col(
            "previous",
            "Target tahun lalu",
            14,
            "Hanya informasi; tidak diimpor.",
            ignored=True,
            optional_header=True,
        ),
    ],
    ACTIVITIES: [
        Col("no", "No", 6, "Nomor urut (informasi).", ignored=True),
        Col("kind", "Jenis", 12, "Program atau Kegiatan. Kosong: Kegiatan."),
        Col("code", "Kode", 16, "Kode program/kegiatan; wajib bila ada indikatornya.", text=True),
        Col("name", "Nama", 50, "Nama program/kegiatan.", True, wrap=True),
        Col("budget", "Anggaran (Rp)", 18, "Anggaran dalam rupiah (mis. 1.500.000).", numeric=True),
        Col("notes", "Keterangan", 30, "Keterangan.", wrap=True),
        Col(
            "rolls_up",
            "Rekapitulasi unit",
            16,
            "Hanya untuk baris yang mewakili seluruh rencana unit di bawah (anggarannya = total "
            "rencana unit itu): kode unit tersebut, dari daftar. Kosong: kegiatan unit sendiri. "
            "Baris rekapitulasi tidak dijumlahkan lagi dalam kompilasi kementerian.",
            text=True,
            optional_header=True,  # workbooks made before this column still import
        ),
    ],
    ACTIVITY_INDICATORS: [
        Col("activity_code", "Kode kegiatan", 16, "Kode dari lembar Kegiatan.", True, True),
        Col("name", "Indikator", 48, "Indikator kinerja kegiatan (keluaran).", True, wrap=True),
        Col("measure", "Satuan", 14, "Satuan dari daftar."),
        *_target_cols(),
    ],
}

MAX_LENGTHS = {
    (GOALS, "code"): 20,
    (INDICATORS, "code"): 20,
    (INDICATORS, "measure"): 60,
    (INDICATORS, "data_source"): 300,
    (INDICATORS, "target_text"): 60,
    (ACTIVITIES, "code"): 30,
    (ACTIVITIES, "notes"): 300,
    (ACTIVITY_INDICATORS, "measure"): 60,
    (ACTIVITY_INDICATORS, "target_text"): 60,
}
TARGET_LIMIT = Decimal(10) ** 16  # DecimalField(max_digits=20, decimal_places=4)
BUDGET_LIMIT = Decimal(10) ** 16  # DecimalField(max_digits=18, decimal_places=2)
FOUR_PLACES, TWO_PLACES = Decimal("0.0001"), Decimal("0.01")


def _letter(sheet: str, key: str) -> str:
    keys = [c.key for c in COLUMNS[sheet]]
    return get_column_letter(keys.index(key) + 1)


# --- Errors and results -------------------------------------------------------------------


@dataclass
class TargetData:
    kind: str = TargetKind.NUMBER
    value: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    text: str = ""
    # field -> value of filled columns the kind does not use (cleared by the validator)
    unused: dict = field(default_factory=dict)


@dataclass
class GoalRow:
    row: int
    code: str
    text: str
    level: str


@dataclass
class IndicatorRow:
    row: int
    goal_code: str
    code: str
    name: str
    definition: str
    formula: str
    measure: str
    polarity: str
    data_source: str
    type: str
    target: TargetData
    quarters: list
    in_pk: bool


@dataclass
class ActivityRow:
    row: int
    kind: str
    code: str
    name: str
    budget: Decimal
    notes: str
    rolls_up: str = ""  # the code of the unit below whose plan this line stands for


@dataclass
class ActivityIndicatorRow:
    row: int
    activity_code: str
    name: str
    measure: str
    target: TargetData


@dataclass
class ParsedWorkbook:
    goals: list[GoalRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    activity_indicators: list[ActivityIndicatorRow] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    properties: dict = field(default_factory=dict)
    readable: bool = False  # the file opened as a workbook (an annotated copy can be made)
    # Values not on the lists (satuan, qualitative), each once with its cells (UnknownValues)
    unknown_values: list[dict] = field(default_factory=list)
    # Allowed but worth a second look (a percentage above 100): shown with the import's result
    warnings: list[SheetError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "goals": len(self.goals),
            "indicators": len(self.indicators),
            "activities": len(self.activities),
            "activity_indicators": len(self.activity_indicators),
        }


@dataclass
class ImportResult:
    errors: list[SheetError] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    conflict: bool = False  # the plan changed after the workbook was downloaded
    # The workbook holds fewer than half the plan's current rows (refused unless allow_shrink)
    shrink: bool = False
    readable: bool = False  # an annotated copy of the upload can be made
    unknown_values: list[dict] = field(default_factory=list)  # see ParsedWorkbook
    # Lines recognised as roll-ups of a unit below (see `_propose_rollups`): dicts with
    # activity_id, row, name, budget, unit_id, unit_code, unit_name, applied.
    rollups: list[dict] = field(default_factory=list)
    warnings: list[SheetError] = field(default_factory=list)  # see ParsedWorkbook
    replaces: int = 0  # a dry run: how many rows of the plan the import would replace

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Checking the file ----------------------------------------------------------------------


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB. Split the plan or remove images.") % {
        "mb": MAX_BYTES // (1024 * 1024)
    }


def check_file(data: bytes, filename: str = "") -> None:
    """Refuse what is not a plain, macro-free, unencrypted, reasonably sized XLSX workbook
    (the shared upload guards, with the plan's wording for the sizes)."""
    sheet_reader.check_workbook(
        data,
        filename,
        too_large=too_large_message(),
        too_unpacked=_(
            "The workbook unpacks to far more data than a plan holds (%(mb)s MB); it "
            "was refused as a possible zip bomb."
        ),
    )


# --- Reading the cells ----------------------------------------------------------------------


def _read(data: bytes, parsed: ParsedWorkbook) -> dict[str, sheet_reader.Sheet]:
    """The data sheets found in the workbook, by their template name."""
    book = sheet_reader.read_workbook(
        data, sheets=DATA_SHEETS, max_rows=MAX_ROWS + EXTRA_ROWS + 1000
    )
    parsed.properties = book.properties
    for name, sheet in book.sheets.items():
        if sheet.truncated:
            raise SheetFileError(
                _("The sheet %(sheet)s has more than %(n)s rows; split the plan.")
                % {"sheet": name, "n": MAX_ROWS}
            )
    return book.sheets


def _norm(text) -> str:
    return " ".join(str(text or "").replace("*", " ").split()).lower()


class _Bad(Exception):
    """A cell whose value is wrong; the message says why."""


class _RowReader:
    """Reads the cells of one row by column key, collecting the errors."""

    def __init__(self, sheet: str, row: int, values: list, index: dict[str, int], out: list):
        self.sheet, self.row, self.values, self.index, self.out = sheet, row, values, index, out
        self.failed: set[str] = set()

    def raw(self, key: str):
        position = self.index.get(key)
        if position is None or position >= len(self.values):
            return None
        return self.values[position]

    def error(self, key: str, message: str) -> None:
        self.failed.add(key)
        header = next(c.header for c in COLUMNS[self.sheet] if c.key == key)
        position = self.index.get(key)
        letter = get_column_letter(position + 1) if position is not None else ""
        self.out.append(SheetError(self.sheet, self.row, letter, header, message))

    def unknown(self, collector, slug: str, value: str, problem: str, key: str) -> None:
        """A value not on its list: collected (reported once per value), not one error."""
        self.failed.add(key)
        header = next(c.header for c in COLUMNS[self.sheet] if c.key == key)
        position = self.index.get(key)
        letter = get_column_letter(position + 1) if position is not None else ""
        collector.add(
            slug, value, problem, sheet=self.sheet, row=self.row, column=letter, header=header
        )

    def _plain(self, key: str):
        value = self.raw(key)
        if isinstance(value, Formula):
            raise _Bad(
                _("Formulas are not accepted: type the value itself (the cell holds %(f)s).")
                % {"f": value.text[:60]}
            )
        if isinstance(value, ErrorValue):
            raise _Bad(_("The cell holds the Excel error %(e)s.") % {"e": value.text})
        return value

    def text(self, key: str, required: bool = False) -> str:
        try:
            value = self._plain(key)
        except _Bad as bad:
            self.error(key, str(bad))
            return ""
        if value is None:
            text = ""
        elif isinstance(value, bool):
            text = YES if value else NO
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, datetime | date | time):
            text = value.isoformat()
        elif isinstance(value, Percent):
            text = str(value)
        else:
            text = str(value).strip()
        if required and not text:
            self.error(key, _("This value is required."))
        limit = MAX_LENGTHS.get((self.sheet, key))
        if limit and len(text) > limit:
            self.error(
                key,
                _("At most %(limit)s characters; this has %(n)s.")
                % {"limit": limit, "n": len(text)},
            )
            return text[:limit]
        return text

    def number(self, key: str, *, places=FOUR_PLACES, limit=TARGET_LIMIT) -> Decimal | None:
        try:
            value = self._plain(key)
            if is_blank(value):
                return None
            return _to_decimal(value, places, limit)
        except _Bad as bad:
            self.error(key, str(bad))
            return None

    def choice(self, key: str, choices: dict[str, str], default: str, allowed: Iterable[str]):
        text = self.text(key)
        if key in self.failed:
            return default
        if not text:
            return default
        found = choices.get(_norm(text))
        if found is None:
            self.error(
                key,
                _("Unknown value “%(value)s”. Choose one of: %(allowed)s.")
                % {"value": text[:60], "allowed": ", ".join(allowed)},
            )
            return default
        return found


def _to_decimal(value, places: Decimal, limit: Decimal) -> Decimal:
    """A cell's number, read by the one number reading of every path
    (`validation.parse_decimal`: the same refusals, the size checked before rounding)."""
    if isinstance(value, Percent):
        value = value.value
    if isinstance(value, bool):
        raise _Bad(_("Yes/no is not a number."))
    if isinstance(value, datetime | date | time):
        raise _Bad(_("A date is not a number; type the number itself."))
    decimal_places = -places.as_tuple().exponent
    max_digits = decimal_places + len(str(int(limit))) - 1
    try:
        number = validation.parse_decimal(
            value, max_digits=max_digits, decimal_places=decimal_places
        )
    except ValidationError as error:
        raise _Bad(error.messages[0]) from error
    if number is None:
        raise _Bad(_("This is not a number."))
    return number


# --- Parsing the sheets ---------------------------------------------------------------------

_RANGE_TEXT = re.compile(
    r"^\s*(-?[\d.,]+)\s*(?:–|—|-|s\.?d\.?|sampai)\s*(-?[\d.,]+)\s*%?\s*$", re.I
)


def _target(reader: _RowReader, qualitative: dict[str, str], unknown=None) -> TargetData:
    """The target columns of a row, checked against the chosen (or inferred) kind."""
    kind = reader.choice("kind", KIND_CHOICES, "", KIND_LABELS.values())
    raw_target = reader.raw("target")
    target_text_cell = reader.text("target_text")
    low = reader.number("target_min")
    high = reader.number("target_max")
    failed = reader.failed
    target = TargetData()
    if "kind" in failed:
        return target
    if isinstance(raw_target, Formula | ErrorValue):
        reader.number("target")  # reports it
        return target
    written = "" if is_blank(raw_target) else raw_target
    is_text = isinstance(written, str)
    percent = isinstance(written, Percent) or (is_text and written.strip().endswith("%"))
    range_match = _RANGE_TEXT.match(written) if is_text else None
    if not kind:  # infer the kind from what is filled in
        if target_text_cell:
            kind = TargetKind.QUALITATIVE
        elif low is not None or high is not None or range_match:
            kind = TargetKind.RANGE
        elif is_text and _norm(written) in qualitative:
            kind = TargetKind.QUALITATIVE
        elif percent:
            kind = TargetKind.PERCENT
        else:
            kind = TargetKind.NUMBER
    # "85%" under the kind Angka is a percentage: the validator's rule, as in the editor.
    kind = validation.percent_kind(kind, str(written) if percent else written)
    target.kind = kind
    # Filled columns the kind does not use go to the validator, which clears them (and the
    # import report warns), as it does for the editor and the API.
    unused = target.unused

    def other(keys: Iterable[str]) -> None:
        for key in keys:
            if key in failed:
                continue
            if key == "target_text" and target_text_cell:
                unused["target_text"] = target_text_cell
            elif key == "target" and written != "":
                unused["target_value"] = str(written) if isinstance(written, Percent) else written
            elif key in ("target_min", "target_max"):
                number = low if key == "target_min" else high
                if number is not None:
                    unused[key] = number

    # A missing target is allowed in a draft, as on every path (the validator decides); the
    # submission checks (rkpk.plans.checks) name it.
    if kind in (TargetKind.NUMBER, TargetKind.PERCENT):
        other(["target_min", "target_max", "target_text"])
        if written != "":
            target.value = reader.number("target")  # its range: judged by `_judge_row`
        return target
    if kind == TargetKind.RANGE:
        other(["target_text"])
        if range_match and low is None and high is None:
            try:
                low = _to_decimal(range_match.group(1), FOUR_PLACES, TARGET_LIMIT)
                high = _to_decimal(range_match.group(2), FOUR_PLACES, TARGET_LIMIT)
            except _Bad as bad:
                reader.error("target", str(bad))
                return target
        else:
            other(["target"])
        if "target_min" in failed or "target_max" in failed:
            return target
        target.min, target.max = low, high  # min <= max: judged by `_judge_row`
        return target
    # qualitative
    other(["target_min", "target_max"])
    value_key = "target_text"
    value = target_text_cell
    if not value and is_text and written.strip():
        value, value_key = written.strip(), "target"
    else:
        other(["target"])
    if not value:
        return target
    canonical = qualitative.get(_norm(value))
    if unknown is not None:  # reported once per value, with all its cells
        canonical, problem = unknown.check(reference_lists.QUALITATIVE, value)
        if problem:
            reader.unknown(
                unknown, reference_lists.QUALITATIVE, canonical or value, problem, value_key
            )
            return target
    if canonical is None:
        reader.error(
            value_key,
            _("“%(value)s” is not in the list of qualitative values (see the sheet Petunjuk).")
            % {"value": value[:60]},
        )
        return target
    target.text = canonical
    return target


def _plain_number(value: Decimal) -> str:
    return format_number(value)


def _header_index(sheet: str, rows: list, errors: list) -> dict[str, int] | None:
    """Column key -> position, from the header row; errors for missing or renamed columns."""
    header_values = rows[0][1] if rows and rows[0][0] == 1 else []
    header = sheet_reader.header_map(header_values, {c.header: c.key for c in COLUMNS[sheet]})
    found = header.index
    unknown = [
        f"{sheet_reader.column_letter(position)} “{text[:40]}”" for position, text in header.unknown
    ]
    missing = [c for c in COLUMNS[sheet] if c.key not in found and not c.optional_header]
    for col in missing:
        message = _(
            "The column “%(header)s” is missing: it was deleted or renamed. Row 1 must keep "
            "the template's column headers; download a fresh template if in doubt."
        ) % {"header": col.header}
        if unknown:
            message += " " + _("Columns with unknown headers: %(list)s.") % {
                "list": ", ".join(unknown)
            }
        errors.append(SheetError(sheet, 1, "", col.header, message))
    return None if missing else found


def _data_rows(sheet: str, rows: list, index: dict[str, int], errors: list):
    """(row number, values) of the rows with content, below the header."""
    content = [i for c, i in index.items() if not _col(sheet, c).ignored]
    filled = sheet_reader.filled_rows(rows, after=1, positions=content)
    for count, (number, values) in enumerate(filled, start=1):
        if count > MAX_ROWS:
            errors.append(
                SheetError(
                    sheet,
                    number,
                    "",
                    "",
                    _("The sheet has more than %(n)s rows; split the plan.") % {"n": MAX_ROWS},
                )
            )
            return
        yield number, values


def _col(sheet: str, key: str) -> Col:
    return next(c for c in COLUMNS[sheet] if c.key == key)


def _duplicates(sheet: str, items: list, key: str, index: dict, errors: list, label: str) -> None:
    seen: dict[str, int] = {}
    letter = get_column_letter(index[key] + 1)
    header = _col(sheet, key).header
    for item in items:
        code = getattr(item, key)
        if not code:
            continue
        folded = code.lower()
        if folded in seen:
            errors.append(
                SheetError(
                    sheet,
                    item.row,
                    letter,
                    header,
                    _("The %(what)s code “%(code)s” is used already in row %(row)s.")
                    % {"what": label, "code": code, "row": seen[folded]},
                )
            )
        else:
            seen[folded] = item.row


# The validator's field -> the workbook's column key, where they differ.
FIELD_COLUMNS = {"target_value": "target", "target_kind": "kind", "indicator_type": "type"}


def _target_values(target: TargetData) -> dict:
    # What the validator judges: the stored target plus the cells the kind does not use.
    return {**_target_kwargs(target), **target.unused}


def _judge_row(reader: _RowReader, model, values: dict, *, keep, lists, parsed) -> None:
    """The row as the one validator of plan rows judges it (rkpk.plans.validation): the
    same refusal, with the same message, as the editor and the API. Cells the reader already
    refused (a formula, a value not on a list) are not judged twice."""
    columns = {name: FIELD_COLUMNS.get(name, name) for name in values}
    judged = {
        name: value
        for name, value in values.items()
        if columns[name] not in reader.failed and columns[name] in reader.index
    }
    if "target_kind" in values:
        judged["target_kind"] = values["target_kind"]
    errors = validation.row_errors(model, judged, keep=keep, lists=lists)
    for name, message in errors.items():
        column = columns.get(name, name)
        if column in reader.index:
            reader.error(column, message)
    for name, message in validation.row_warnings(model, judged).items():
        column = columns.get(name, name)
        position = reader.index.get(column)
        letter = get_column_letter(position + 1) if position is not None else ""
        header = next((c.header for c in COLUMNS[reader.sheet] if c.key == column), "")
        parsed.warnings.append(SheetError(reader.sheet, reader.row, letter, header, message))


def parse_workbook(data: bytes, *, filename: str = "", keep=()) -> ParsedWorkbook:
    """Read and check an uploaded workbook. Pure: nothing is written.

    Every row of every data sheet is checked; all errors are collected.
    """
    parsed = ParsedWorkbook()
    try:
        check_file(data, filename)
        sheets = _read(data, parsed)
    except SheetFileError as error:
        parsed.errors.append(SheetError("", None, "", "", error.message))
        return parsed
    parsed.readable = True
    errors = parsed.errors
    # Values not on the lists are reported once each, with their cells (`keep`: the values
    # the plan holds now, accepted even when deactivated).
    unknown = reference_lists.UnknownValues(keep=keep)
    qualitative = unknown.names(reference_lists.QUALITATIVE)

    def judge(reader: _RowReader, model, values: dict) -> None:
        _judge_row(reader, model, values, keep=keep, lists=unknown.lists, parsed=parsed)

    indexes: dict[str, dict | None] = {}
    for name in DATA_SHEETS:
        if name not in sheets:
            errors.append(
                SheetError(
                    name,
                    None,
                    "",
                    "",
                    _(
                        "The sheet “%(sheet)s” is missing. Keep the template's sheets; "
                        "download a fresh template if in doubt."
                    )
                    % {"sheet": name},
                )
            )
            indexes[name] = None
            continue
        indexes[name] = _header_index(name, sheets[name].rows, errors)

    def measure(reader: _RowReader) -> str:
        text = reader.text("measure")
        if not text or "measure" in reader.failed:
            return text
        found, problem = unknown.check(reference_lists.MEASURES, text)
        if problem:
            reader.unknown(unknown, reference_lists.MEASURES, found or text, problem, "measure")
            return ""
        return found

    # Goals
    if indexes[GOALS] is not None:
        index = indexes[GOALS]
        for number, values in _data_rows(GOALS, sheets[GOALS].rows, index, errors):
            reader = _RowReader(GOALS, number, values, index, errors)
            goal = GoalRow(
                row=number,
                code=reader.text("code", required=True),
                text=reader.text("text"),
                level=reader.choice(
                    "level", LEVEL_CHOICES, Goal.Level.STRATEGIC, LEVEL_LABELS.values()
                ),
            )
            judge(reader, Goal, {"code": goal.code, "text": goal.text, "level": goal.level})
            parsed.goals.append(goal)
        _duplicates(GOALS, parsed.goals, "code", index, errors, _("goal"))
    goal_codes = {g.code.lower() for g in parsed.goals if g.code}

    # Indicators
    if indexes[INDICATORS] is not None:
        index = indexes[INDICATORS]
        rows = sheets[INDICATORS].rows
        for number, values in _data_rows(INDICATORS, rows, index, errors):
            reader = _RowReader(INDICATORS, number, values, index, errors)
            goal_code = reader.text("goal_code", required=True)
            if goal_code and indexes[GOALS] is not None and goal_code.lower() not in goal_codes:
                reader.error(
                    "goal_code",
                    _("No goal has the code “%(code)s” in the sheet Sasaran.")
                    % {"code": goal_code[:40]},
                )
            in_pk_text = reader.text("in_pk")
            in_pk = True
            if in_pk_text and "in_pk" not in reader.failed:
                folded = in_pk_text.lower()
                if folded in TRUE_WORDS:
                    in_pk = True
                elif folded in FALSE_WORDS:
                    in_pk = False
                else:
                    reader.error(
                        "in_pk",
                        _("Write Ya or Tidak, not “%(value)s”.") % {"value": in_pk_text[:40]},
                    )
            indicator = IndicatorRow(
                    row=number,
                    goal_code=goal_code,
                    code=reader.text("code"),
                    name=reader.text("name"),
                    definition=reader.text("definition"),
                    formula=reader.text("formula"),
                    measure=measure(reader),
                    polarity=reader.choice(
                        "polarity",
                        POLARITY_CHOICES,
                        Indicator.Polarity.HIGHER,
                        POLARITY_LABELS.values(),
                    ),
                    data_source=reader.text("data_source"),
                    type=reader.choice(
                        "type", TYPE_CHOICES, Indicator.Type.OUTCOME, TYPE_LABELS.values()
                    ),
                    target=_target(reader, qualitative, unknown),
                    quarters=[reader.number(q) for q in ("q1", "q2", "q3", "q4")],
                    in_pk=in_pk,
                )  # fmt: skip
            judge(
                reader,
                Indicator,
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "measure": indicator.measure,
                    "polarity": indicator.polarity,
                    "data_source": indicator.data_source,
                    "indicator_type": indicator.type,
                    **_target_values(indicator.target),
                    **dict(zip(("q1", "q2", "q3", "q4"), indicator.quarters, strict=True)),
                },
            )
            parsed.indicators.append(indicator)
        _duplicates(INDICATORS, parsed.indicators, "code", index, errors, _("indicator"))

    # Programs and activities
    if indexes[ACTIVITIES] is not None:
        index = indexes[ACTIVITIES]
        rows = sheets[ACTIVITIES].rows
        for number, values in _data_rows(ACTIVITIES, rows, index, errors):
            reader = _RowReader(ACTIVITIES, number, values, index, errors)
            budget = reader.number("budget", places=TWO_PLACES, limit=BUDGET_LIMIT)
            activity = ActivityRow(
                row=number,
                kind=reader.choice(
                    "kind",
                    ACTIVITY_KIND_CHOICES,
                    Activity.Kind.ACTIVITY,
                    ACTIVITY_KIND_LABELS.values(),
                ),
                code=reader.text("code"),
                name=reader.text("name"),
                budget=budget if budget is not None and budget >= 0 else Decimal(0),
                notes=reader.text("notes"),
                rolls_up=reader.text("rolls_up"),
            )
            judge(
                reader,
                Activity,
                {
                    "kind": activity.kind,
                    "code": activity.code,
                    "name": activity.name,
                    "budget": budget,
                    "notes": activity.notes,
                },
            )
            parsed.activities.append(activity)
        _duplicates(ACTIVITIES, parsed.activities, "code", index, errors, _("activity"))
    activity_codes = {a.code.lower() for a in parsed.activities if a.code}

    if indexes[ACTIVITY_INDICATORS] is not None:
        index = indexes[ACTIVITY_INDICATORS]
        rows = sheets[ACTIVITY_INDICATORS].rows
        for number, values in _data_rows(ACTIVITY_INDICATORS, rows, index, errors):
            reader = _RowReader(ACTIVITY_INDICATORS, number, values, index, errors)
            code = reader.text("activity_code", required=True)
            if code and indexes[ACTIVITIES] is not None and code.lower() not in activity_codes:
                reader.error(
                    "activity_code",
                    _("No program or activity has the code “%(code)s” in the sheet Kegiatan.")
                    % {"code": code[:40]},
                )
            output = ActivityIndicatorRow(
                row=number,
                activity_code=code,
                name=reader.text("name"),
                measure=measure(reader),
                target=_target(reader, qualitative, unknown),
            )
            judge(
                reader,
                ActivityIndicator,
                {"name": output.name, "measure": output.measure, **_target_values(output.target)},
            )
            parsed.activity_indicators.append(output)
    order = {name: i for i, name in enumerate(DATA_SHEETS)}
    for group, message in unknown.messages():
        errors.append(
            SheetError("", None, "", str(reference_lists.KINDS[group["list"]].title), message)
        )
    parsed.unknown_values = unknown.result()
    errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row or 0, e.column.rjust(3)))
    return parsed


# --- Content fingerprint (stale workbook detection) -----------------------------------------


def _n(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _fingerprint(goals, indicators, activities, activity_indicators) -> str:
    canonical = json.dumps(
        [goals, indicators, activities, activity_indicators],
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


TARGET_FIELDS = ("target_kind", "target_value", "target_min", "target_max", "target_text")


def content_fingerprint(plan: UnitPlan) -> str:
    """A hash of what the workbook carries of the plan, in a fixed number of queries."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("position", "id")
        .values_list("id", "code", "text", "level")
    )
    goal_order = {g[0]: i for i, g in enumerate(goals)}
    indicator_rows = Indicator.objects.filter(plan=plan).values_list(
        "goal_id",
        "position",
        "id",
        "code",
        "name",
        "definition",
        "formula",
        "measure",
        "polarity",
        "data_source",
        "indicator_type",
        *TARGET_FIELDS,
        "q1",
        "q2",
        "q3",
        "q4",
        "in_pk",
    )
    indicators = [
        [goal_order.get(r[0]), *r[3:11], r[11], *(_n(v) for v in r[12:15]), r[15]]
        + [_n(v) for v in r[16:20]]
        + [r[20]]
        for r in sorted(indicator_rows, key=lambda r: (goal_order.get(r[0], 0), r[1], r[2]))
    ]
    activities = list(
        Activity.objects.filter(plan=plan)
        .order_by("position", "id")
        .values_list("id", "kind", "code", "name", "budget", "notes", "rolls_up_id")
    )
    activity_order = {a[0]: i for i, a in enumerate(activities)}
    ai_rows = ActivityIndicator.objects.filter(activity__plan=plan).values_list(
        "activity_id", "position", "id", "name", "measure", *TARGET_FIELDS
    )
    activity_indicators = [
        [activity_order.get(r[0]), r[3], r[4], r[5], *(_n(v) for v in r[6:9]), r[9]]
        for r in sorted(ai_rows, key=lambda r: (activity_order.get(r[0], 0), r[1], r[2]))
    ]
    return _fingerprint(
        [list(g[1:]) for g in goals],
        indicators,
        # A roll-up mark is appended only when set: fingerprints of plans without roll-ups,
        # and so the workbooks downloaded before the column existed, stay as they were.
        [[a[1], a[2], a[3], _n(a[4]), a[5], *([a[6]] if a[6] else [])] for a in activities],
        activity_indicators,
    )


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
    # Drop-downs offer the active values, and the deactivated ones this plan still holds.
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
    goal_codes = _goal_codes(goals)
    activity_codes = _activity_codes(activities)

    goal_rows, indicator_rows, activity_rows, ai_rows = [], [], [], []
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

    wb = Workbook()
    help_ws = wb.active
    help_ws.title = HELP
    sheets = {
        GOALS: _data_sheet(wb, GOALS, goal_rows),
        INDICATORS: _data_sheet(wb, INDICATORS, indicator_rows),
        ACTIVITIES: _data_sheet(wb, ACTIVITIES, activity_rows),
        ACTIVITY_INDICATORS: _data_sheet(wb, ACTIVITY_INDICATORS, ai_rows),
    }
    lists = {
        "A": ("Satuan", measures),
        "B": ("Target kualitatif", qualitative),
        "C": ("Polaritas", list(POLARITY_LABELS.values())),
        "D": ("Jenis indikator", list(TYPE_LABELS.values())),
        "E": ("Jenis target", list(KIND_LABELS.values())),
        "F": ("Tingkat sasaran", list(LEVEL_LABELS.values())),
        "G": ("Jenis program/kegiatan", list(ACTIVITY_KIND_LABELS.values())),
        "H": ("Masuk PK", [YES, NO]),
        "I": ("Kode sasaran", [goal_codes[g.pk] for g in goals]),
        "U": ("Kode unit di bawah", [u.code for u in units_below(plan.unit)]),
    }
    list_ws = wb.create_sheet(LISTS)
    for letter, (title, values) in lists.items():
        list_ws[f"{letter}1"] = title
        for row, value in enumerate(values, start=2):
            list_ws[f"{letter}{row}"] = safe_cell(value)
    list_ws.sheet_state = "hidden"
    list_ws.protection.sheet = True

    def ref(letter: str) -> str:
        count = max(len(lists[letter][1]), 1)
        return f"{LISTS}!${letter}$2:${letter}${count + 1}"

    last = {
        name: _last_row(len(rows))
        for name, rows in (
            (GOALS, goal_rows),
            (INDICATORS, indicator_rows),
            (ACTIVITIES, activity_rows),
            (ACTIVITY_INDICATORS, ai_rows),
        )
    }
    goal_ref = f"{GOALS}!$B$2:$B${last[GOALS]}"
    activity_ref = f"{ACTIVITIES}!$C$2:$C${last[ACTIVITIES]}"
    ws = sheets[GOALS]
    _list_validation(ws, ref("F"), _letter(GOALS, "level"), last[GOALS], "tingkat sasaran")
    ws = sheets[INDICATORS]
    n = last[INDICATORS]
    _list_validation(ws, goal_ref, _letter(INDICATORS, "goal_code"), n, "kode sasaran")
    _list_validation(ws, ref("A"), _letter(INDICATORS, "measure"), n, "satuan")
    _list_validation(ws, ref("C"), _letter(INDICATORS, "polarity"), n, "polaritas")
    _list_validation(ws, ref("D"), _letter(INDICATORS, "type"), n, "jenis indikator")
    _list_validation(ws, ref("E"), _letter(INDICATORS, "kind"), n, "jenis target")
    _list_validation(ws, ref("B"), _letter(INDICATORS, "target_text"), n, "target kualitatif")
    _list_validation(ws, ref("H"), _letter(INDICATORS, "in_pk"), n, "Ya atau Tidak")
    ws = sheets[ACTIVITIES]
    _list_validation(ws, ref("G"), _letter(ACTIVITIES, "kind"), last[ACTIVITIES], "jenis")
    _list_validation(
        ws, ref("U"), _letter(ACTIVITIES, "rolls_up"), last[ACTIVITIES], "kode unit di bawah"
    )
    ws = sheets[ACTIVITY_INDICATORS]
    n = last[ACTIVITY_INDICATORS]
    _list_validation(
        ws, activity_ref, _letter(ACTIVITY_INDICATORS, "activity_code"), n, "kode kegiatan"
    )
    _list_validation(ws, ref("A"), _letter(ACTIVITY_INDICATORS, "measure"), n, "satuan")
    _list_validation(ws, ref("E"), _letter(ACTIVITY_INDICATORS, "kind"), n, "jenis target")
    _list_validation(
        ws, ref("B"), _letter(ACTIVITY_INDICATORS, "target_text"), n, "target kualitatif"
    )

    _help_sheet(help_ws, plan, lists)
    wb.custom_doc_props.append(StringProperty(name=PROP_UNIT, value=plan.unit.code))
    wb.custom_doc_props.append(StringProperty(name=PROP_YEAR, value=str(plan.year)))
    wb.custom_doc_props.append(StringProperty(name=PROP_BASE, value=content_fingerprint(plan)))
    wb.properties.title = f"RK-PK {plan.year} {plan.unit.name}"[:250]
    wb.properties.creator = "RK-PK"
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return workbook_bytes(wb)


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
    titles = {_norm(title): title for title in wb.sheetnames}
    for (sheet, ref), messages in by_cell.items():
        title = titles.get(_norm(sheet))
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


# --- Writing --------------------------------------------------------------------------------


def _actor_user(actor):
    return actor if actor is not None and getattr(actor, "pk", None) is not None else None


@transaction.atomic
def ensure_plan(*, actor, unit, year: int) -> UnitPlan:
    """The unit's plan for the year, created (as a draft) when there is none yet.

    A user goes through `services.get_or_create_plan` (which checks that they may edit the
    unit's plan); the system (actor None, e.g. a command without --user) may always.
    """
    if _actor_user(actor) is not None:
        from rkpk.plans import services

        return services.get_or_create_plan(actor=actor, unit=unit, year=year)
    plan = UnitPlan.objects.filter(unit=unit, year=year).first()
    if plan is not None:
        return plan
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("Give a plan year between 2000 and 2100."))
    if not unit.is_active:
        raise ValidationError(
            _("The unit %(unit)s is deactivated; it cannot start a plan.") % {"unit": unit}
        )
    plan = UnitPlan.objects.create(unit=unit, year=year)
    audit.record(
        actor=actor, action="plan.created", obj=plan, after={"unit": unit.code, "year": year}
    )
    return plan


def _not_editable(plan: UnitPlan) -> ValidationError:
    return ValidationError(
        _("The plan is %(status)s and cannot be changed; nothing was imported.")
        % {"status": plan.get_status_display().lower()}
    )


def import_workbook(
    *,
    actor,
    plan: UnitPlan,
    data: bytes,
    filename: str,
    overwrite: bool = False,
    apply_rollups: bool = True,
    allow_shrink: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Check an uploaded workbook and, when the whole file is valid, replace the plan's
    goals, indicators, activities and activity indicators with its content.

    Returns the errors when the file is not valid (nothing is written). Raises
    PermissionDenied when the actor (a user; None is the system) may not edit the plan, and
    ValidationError when the plan may not be changed now. A workbook downloaded before the
    plan was changed in the application is refused as a conflict unless `overwrite`.

    Lines that look like roll-ups of a unit below (`_propose_rollups`) are marked as such
    when `apply_rollups` (the default), else only listed in the result as proposals.

    A workbook without any data row is refused (it would erase the plan). One that would
    replace the plan with fewer than half of its current rows is refused as `shrink` unless
    `allow_shrink`. The replaced content is kept in the `plan.imported` audit event (see
    `replaced_versions`).

    With `dry_run`, every check runs (the conflict and shrink ones too) and nothing is
    written: an ok result means the import would succeed (the page asks "replace?" then).
    """
    user = _actor_user(actor)
    if user is not None and not user.has_perm("plans.edit_plan", plan):
        raise PermissionDenied(_("You may not change this plan."))
    if not plan.is_editable:
        raise _not_editable(plan)
    parsed = parse_workbook(data, filename=filename, keep=reference_lists.values_held_by(plan))
    if parsed.ok:
        _check_belongs(parsed, plan)
        _check_rollups(parsed, plan)
    if parsed.ok and not _row_count(parsed.counts()):
        parsed.errors.append(SheetError("", None, "", "", no_rows_message()))
    if not parsed.ok:
        return ImportResult(
            errors=parsed.errors, readable=parsed.readable, unknown_values=parsed.unknown_values
        )
    return replace_plan_content(
        actor=actor,
        plan=plan,
        parsed=parsed,
        filename=filename,
        overwrite=overwrite,
        apply_rollups=apply_rollups,
        allow_shrink=allow_shrink,
        dry_run=dry_run,
    )


def no_rows_message() -> str:
    return _(
        "The workbook holds no data rows: its sheets have only headings or empty rows. "
        "Importing it would erase the plan; nothing was imported."
    )


def _row_count(counts: dict) -> int:
    """Goals + indicators + activities + activity indicators."""
    return sum(counts[k] for k in ("goals", "indicators", "activities", "activity_indicators"))


def shrinks(old_rows: int, new_rows: int) -> bool:
    """Whether replacing `old_rows` rows by `new_rows` keeps fewer than half of them."""
    return new_rows * 2 < old_rows


def replaced_versions(plan: UnitPlan) -> list[dict]:
    """The contents workbook imports replaced, newest first: dicts with seq, at, actor,
    file and content (a `plan_snapshot` dict, the shape a submission freezes)."""
    events = AuditEvent.objects.filter(
        action="plan.imported", object_type=plan._meta.label_lower, object_id=str(plan.pk)
    ).order_by("-seq")
    return [
        {
            "seq": event.seq,
            "at": event.at,
            "actor": event.actor_name,
            "file": (event.after or {}).get("file", ""),
            "content": event.before["content"],
        }
        for event in events
        if isinstance(event.before, dict) and event.before.get("content")
    ]


def _check_rollups(parsed: ParsedWorkbook, plan: UnitPlan) -> None:
    """The "Rekapitulasi unit" cells name units below the plan's unit, on activity rows."""
    rows = [row for row in parsed.activities if row.rolls_up]
    if not rows:
        return
    below = {
        code.lower(): pk
        for pk, code in Unit.objects.filter(pk__in=descendant_ids(plan.unit_id)).values_list(
            "pk", "code"
        )
    }
    letter = _letter(ACTIVITIES, "rolls_up")
    header = _col(ACTIVITIES, "rolls_up").header
    for row in rows:
        message = None
        if row.rolls_up.lower() not in below:
            message = _(
                "“%(code)s” is not the code of a unit below %(unit)s: a line can only roll up "
                "the plan of a unit below the plan's unit (see the list in this column)."
            ) % {"code": row.rolls_up[:40], "unit": plan.unit.name}
        elif row.kind == Activity.Kind.PROGRAM:
            message = _("Only an activity can roll up a unit's plan, not a program.")
        if message:
            parsed.errors.append(SheetError(ACTIVITIES, row.row, letter, header, message))


def _propose_rollups(plan: UnitPlan, activities: list[Activity]) -> list[dict]:
    """The imported activity lines that look like roll-ups but are not marked: the line's
    name names a unit below the plan's unit (its code, name or short name) and its budget
    equals that unit's current plan total for the year. One proposal per unit at most."""
    units = {
        u["id"]: u
        for u in Unit.objects.filter(pk__in=descendant_ids(plan.unit_id)).values(
            "id", "code", "name", "short_name"
        )
    }
    if not units:
        return []
    totals = plan_totals(units, plan.year)
    taken = {a.rolls_up_id for a in activities if a.rolls_up_id}
    proposals = []
    for activity in activities:
        if activity.rolls_up_id or activity.kind != Activity.Kind.ACTIVITY or not activity.budget:
            continue
        for unit_id, unit in units.items():
            if (
                unit_id not in taken
                and totals.get(unit_id) == activity.budget
                and names_unit(activity.name, unit)
            ):
                taken.add(unit_id)
                proposals.append(
                    {
                        "activity_id": activity.pk,
                        "row": activity.position + 2,  # the sheet row (header, from 0)
                        "name": activity.name,
                        "budget": format(activity.budget.normalize(), "f"),
                        "unit_id": unit_id,
                        "unit_code": unit["code"],
                        "unit_name": unit["name"],
                        "applied": False,
                    }
                )
                break
    return proposals


def _check_belongs(parsed: ParsedWorkbook, plan: UnitPlan) -> None:
    unit, year = parsed.properties.get(PROP_UNIT), parsed.properties.get(PROP_YEAR)
    if unit and str(unit) != plan.unit.code:
        parsed.errors.append(
            SheetError(
                "",
                None,
                "",
                "",
                _(
                    "This workbook was downloaded for the unit %(other)s, not for %(unit)s. "
                    "Download the template of %(unit)s and enter the data there."
                )
                % {"other": unit, "unit": plan.unit.code},
            )
        )
    if year and str(year) != str(plan.year):
        parsed.errors.append(
            SheetError(
                "",
                None,
                "",
                "",
                _(
                    "This workbook is for the year %(other)s, not %(year)s. Download the "
                    "template for %(year)s."
                )
                % {"other": year, "year": plan.year},
            )
        )


def _conflict(plan: UnitPlan, base: str, current: str) -> bool:
    """Whether the plan changed since the workbook (made from content `base`) was downloaded,
    other than by importing that same workbook."""
    if not base or base == current:
        return False
    last_import = (
        AuditEvent.objects.filter(
            action="plan.imported", object_type=plan._meta.label_lower, object_id=str(plan.pk)
        )
        .order_by("-seq")
        .values_list("after", flat=True)
        .first()
    )
    return not (
        last_import
        and last_import.get("base") == base
        and last_import.get("fingerprint") == current
    )


def _previous_links(plan: UnitPlan) -> Callable[[str, str], int | None]:
    """Finds last year's indicator for an imported one: the link the plan's indicator with
    the same code (or name) had, else last year's indicator with that code (or name)."""
    current_by_code, current_by_name = {}, {}
    for code, name, previous in Indicator.objects.filter(plan=plan).values_list(
        "code", "name", "previous_id"
    ):
        if previous:
            if code:
                current_by_code.setdefault(code.lower(), previous)
            current_by_name.setdefault(name, previous)
    last_year = (
        UnitPlan.objects.filter(pk=plan.copied_from_id).first()
        if plan.copied_from_id
        else UnitPlan.objects.filter(unit_id=plan.unit_id, year=plan.year - 1).first()
    )
    old_by_code, old_by_name = {}, {}
    if last_year is not None:
        for pk, code, name in Indicator.objects.filter(plan=last_year).values_list(
            "pk", "code", "name"
        ):
            if code:
                old_by_code.setdefault(code.lower(), pk)
            old_by_name.setdefault(name, pk)

    def find(code: str, name: str) -> int | None:
        folded = code.lower()
        return (
            (current_by_code.get(folded) if code else None)
            or current_by_name.get(name)
            or (old_by_code.get(folded) if code else None)
            or old_by_name.get(name)
        )

    return find


def _target_kwargs(target: TargetData) -> dict:
    return {
        "target_kind": target.kind,
        "target_value": target.value,
        "target_min": target.min,
        "target_max": target.max,
        "target_text": target.text,
    }


@transaction.atomic
def replace_plan_content(
    *,
    actor,
    plan: UnitPlan,
    parsed: ParsedWorkbook,
    filename: str,
    overwrite: bool = False,
    apply_rollups: bool = True,
    allow_shrink: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Replace the plan's content with a checked workbook's, in one transaction."""
    plan = UnitPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if not plan.is_editable:
        raise _not_editable(plan)
    before = content_fingerprint(plan)
    base = str(parsed.properties.get(PROP_BASE) or "")
    if not overwrite and _conflict(plan, base, before):
        return ImportResult(
            errors=[
                SheetError(
                    "",
                    None,
                    "",
                    "",
                    _(
                        "The plan was changed in the application after this workbook was "
                        "downloaded. Importing it would overwrite those changes: download a "
                        "fresh workbook, or confirm that the workbook should replace them."
                    ),
                )
            ],
            conflict=True,
            readable=parsed.readable,
        )
    old_counts = {
        "goals": Goal.objects.filter(plan=plan).count(),
        "indicators": Indicator.objects.filter(plan=plan).count(),
        "activities": Activity.objects.filter(plan=plan).count(),
        "activity_indicators": ActivityIndicator.objects.filter(activity__plan=plan).count(),
    }
    old_rows, new_rows = _row_count(old_counts), _row_count(parsed.counts())
    if not allow_shrink and shrinks(old_rows, new_rows):
        return ImportResult(
            errors=[
                SheetError(
                    "",
                    None,
                    "",
                    "",
                    _(
                        "The workbook holds %(new)s rows; the plan has %(old)s. Importing it "
                        "would replace the plan with less than half of its rows: confirm that "
                        "the workbook should replace them."
                    )
                    % {"new": new_rows, "old": old_rows},
                )
            ],
            shrink=True,
            readable=parsed.readable,
        )
    if dry_run:
        return ImportResult(
            counts=parsed.counts(),
            readable=True,
            warnings=list(parsed.warnings),
            replaces=old_rows,
        )
    # The replaced content stays recoverable as a version: the full snapshot goes into the
    # `before` of the `plan.imported` event (read back by `replaced_versions`). The audit
    # event is written anyway in this transaction, is append-only and hash-chained, and the
    # snapshot is the same shape a Submission freezes, so documents and version comparisons
    # can read it; a separate draft-version table would duplicate that for one use.
    old_content = plan_snapshot(plan) if old_rows else None
    find_previous = _previous_links(plan)
    old_indicators = {
        pk: (code.lower() if code else "", name)
        for pk, code, name in Indicator.objects.filter(plan=plan).values_list("pk", "code", "name")
    }
    # Next year's indicators that point at this plan's: re-pointed to the new rows below.
    followers = list(
        Indicator.objects.filter(previous_id__in=list(old_indicators))
        .exclude(plan=plan)
        .values_list("pk", "previous_id")
    )
    ActivityIndicator.objects.filter(activity__plan=plan).delete()
    Activity.objects.filter(plan=plan).delete()
    Indicator.objects.filter(plan=plan).update(previous=None)
    Indicator.objects.filter(plan=plan).delete()
    Goal.objects.filter(plan=plan).delete()

    goals = Goal.objects.bulk_create(
        Goal(plan=plan, position=i, code=row.code, text=row.text, level=row.level)
        for i, row in enumerate(parsed.goals)
    )
    goal_ids = {goal.code.lower(): goal.pk for goal in goals}
    positions: dict[int, int] = {}
    indicators = []
    for row in parsed.indicators:
        goal_id = goal_ids[row.goal_code.lower()]
        positions[goal_id] = positions.get(goal_id, -1) + 1
        q1, q2, q3, q4 = row.quarters
        indicators.append(
            Indicator(
                plan=plan,
                goal_id=goal_id,
                position=positions[goal_id],
                code=row.code,
                name=row.name,
                definition=row.definition,
                formula=row.formula,
                measure=row.measure,
                polarity=row.polarity,
                data_source=row.data_source,
                indicator_type=row.type,
                q1=q1,
                q2=q2,
                q3=q3,
                q4=q4,
                in_pk=row.in_pk,
                previous_id=find_previous(row.code, row.name),
                **_target_kwargs(row.target),
            )
        )
    indicators = Indicator.objects.bulk_create(indicators, batch_size=500)
    rollup_ids = (
        {
            code.lower(): pk
            for pk, code in Unit.objects.filter(pk__in=descendant_ids(plan.unit_id)).values_list(
                "pk", "code"
            )
        }
        if any(row.rolls_up for row in parsed.activities)
        else {}
    )
    activities = Activity.objects.bulk_create(
        Activity(
            plan=plan,
            position=i,
            kind=row.kind,
            code=row.code,
            name=row.name,
            budget=row.budget,
            notes=row.notes,
            rolls_up_id=rollup_ids.get(row.rolls_up.lower()) if row.rolls_up else None,
        )
        for i, row in enumerate(parsed.activities)
    )
    # Lines that name a unit below and carry exactly its plan total are roll-ups the
    # workbook did not mark (real Eselon I plans are written so). They are marked at once
    # by default: the user imports to get a plan the compilation counts right, the marks
    # are listed in the result with an action that removes them, each stays editable in
    # the editor, and the match is strict (name AND the exact total). A caller that wants
    # to confirm first passes apply_rollups=False and applies them with
    # services.mark_rollups (the "apply" action of the result).
    proposals = _propose_rollups(plan, activities)
    if apply_rollups and proposals:
        marked = {p["activity_id"]: p["unit_id"] for p in proposals}
        for activity in activities:
            if activity.pk in marked:
                activity.rolls_up_id = marked[activity.pk]
        Activity.objects.bulk_update(
            [a for a in activities if a.pk in marked], ["rolls_up"], batch_size=500
        )
        for proposal in proposals:
            proposal["applied"] = True
    activity_ids = {a.code.lower(): a.pk for a in activities if a.code}
    positions = {}
    activity_indicators = []
    for row in parsed.activity_indicators:
        activity_id = activity_ids[row.activity_code.lower()]
        positions[activity_id] = positions.get(activity_id, -1) + 1
        activity_indicators.append(
            ActivityIndicator(
                activity_id=activity_id,
                position=positions[activity_id],
                name=row.name,
                measure=row.measure,
                **_target_kwargs(row.target),
            )
        )
    ActivityIndicator.objects.bulk_create(activity_indicators, batch_size=500)

    if followers:
        new_by_code = {i.code.lower(): i.pk for i in indicators if i.code}
        new_by_name = {}
        for indicator in indicators:
            new_by_name.setdefault(indicator.name, indicator.pk)
        for pk, old_id in followers:
            code, name = old_indicators[old_id]
            target = (new_by_code.get(code) if code else None) or new_by_name.get(name)
            if target:
                Indicator.objects.filter(pk=pk).update(previous_id=target)

    old_revision = plan.revision
    plan.revision = old_revision + 1
    plan.updated_by = _actor_user(actor)
    plan.save(update_fields=["revision", "updated_by", "updated_at"])
    counts = parsed.counts()
    audit.record(
        actor=actor,
        action="plan.imported",
        obj=plan,
        before={
            "revision": old_revision,
            "fingerprint": before,
            **old_counts,
            **({"content": old_content} if old_content else {}),
        },
        after={
            "revision": plan.revision,
            "file": PurePath(filename or "").name[:200],
            "base": base,
            "fingerprint": content_fingerprint(plan),
            "overwrite": bool(overwrite),
            **counts,
            **(
                {
                    "rollups_recognised": [
                        {k: p[k] for k in ("activity_id", "unit_code", "applied")}
                        for p in proposals
                    ]
                }
                if proposals
                else {}
            ),
        },
    )
    return ImportResult(
        counts=counts, readable=True, rollups=proposals, warnings=list(parsed.warnings)
    )
