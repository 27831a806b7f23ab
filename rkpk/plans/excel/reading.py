"""Reading an uploaded plan workbook: its rows with every cell error (pure: nothing is written).

The file passes the shared upload guards (`rkpk.core.sheet_reader`) and is read through the
shared reader; each row's values are judged by the one validator of plan rows
(`rkpk.plans.validation`), so a row is refused as the editor and the API refuse it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from rkpk.core import sheet_reader
from rkpk.core.sheet_reader import (
    ErrorValue,
    Formula,
    Percent,
    SheetError,
    SheetFileError,
    is_blank,
)
from rkpk.plans import lists as reference_lists
from rkpk.plans import validation
from rkpk.plans.excel.columns import (
    ACTIVITIES,
    ACTIVITY_INDICATORS,
    ACTIVITY_KIND_CHOICES,
    ACTIVITY_KIND_LABELS,
    BUDGET_LIMIT,
    COLUMNS,
    DATA_SHEETS,
    EXTRA_ROWS,
    FALSE_WORDS,
    FOUR_PLACES,
    GOALS,
    INDICATORS,
    KIND_CHOICES,
    KIND_LABELS,
    LEVEL_CHOICES,
    LEVEL_LABELS,
    MAX_BYTES,
    MAX_LENGTHS,
    MAX_ROWS,
    NO,
    POLARITY_CHOICES,
    POLARITY_LABELS,
    PROP_BASE,
    TARGET_LIMIT,
    TRUE_WORDS,
    TWO_PLACES,
    TYPE_CHOICES,
    TYPE_LABELS,
    YES,
    column,
)
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    TargetKind,
)
from rkpk.plans.validation import norm

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

    def model_fields(self) -> dict:
        """The model fields of the target."""
        return {
            "target_kind": self.kind,
            "target_value": self.value,
            "target_min": self.min,
            "target_max": self.max,
            "target_text": self.text,
        }


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
    def base_fingerprint(self) -> str:
        """The content fingerprint of the plan the workbook was downloaded from."""
        return str(self.properties.get(PROP_BASE) or "")

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
        found = choices.get(norm(text))
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


@dataclass
class _TargetCells:
    """The target cells of a row as read (each refused cell already reported)."""

    reader: _RowReader
    written: object  # the Target cell: "" when empty
    text: str  # the qualitative cell
    low: Decimal | None
    high: Decimal | None

    def set_aside(self, target: TargetData, keys: Iterable[str]) -> None:
        """Filled columns the kind does not use go to the validator, which clears them (and
        the import report warns), as it does for the editor and the API."""
        for key in keys:
            if key in self.reader.failed:
                continue
            if key == "target_text" and self.text:
                target.unused["target_text"] = self.text
            elif key == "target" and self.written != "":
                written = self.written
                target.unused["target_value"] = (
                    str(written) if isinstance(written, Percent) else written
                )
            elif key in ("target_min", "target_max"):
                number = self.low if key == "target_min" else self.high
                if number is not None:
                    target.unused[key] = number


def _target(reader: _RowReader, qualitative: dict[str, str], unknown=None) -> TargetData:
    """The target columns of a row, checked against the chosen (or inferred) kind.

    A missing target is allowed in a draft, as on every path (the validator decides); the
    submission checks (rkpk.plans.checks) name it.
    """
    kind = reader.choice("kind", KIND_CHOICES, "", KIND_LABELS.values())
    raw_target = reader.raw("target")
    cells = _TargetCells(
        reader,
        "" if is_blank(raw_target) else raw_target,
        reader.text("target_text"),
        reader.number("target_min"),
        reader.number("target_max"),
    )
    target = TargetData()
    if "kind" in reader.failed:
        return target
    if isinstance(raw_target, Formula | ErrorValue):
        reader.number("target")  # reports it
        return target
    shown = str(cells.written) if isinstance(cells.written, Percent) else cells.written
    target.kind = validation.target_kind(
        kind, value=shown, low=cells.low, high=cells.high, text=cells.text, qualitative=qualitative
    )
    if target.kind in (TargetKind.NUMBER, TargetKind.PERCENT):
        cells.set_aside(target, ["target_min", "target_max", "target_text"])
        if cells.written != "":
            target.value = reader.number("target")  # its range: judged by `_judge_row`
    elif target.kind == TargetKind.RANGE:
        _range_target(cells, target)
    else:
        _qualitative_target(cells, target, qualitative, unknown)
    return target


def _range_target(cells: _TargetCells, target: TargetData) -> None:
    reader = cells.reader
    cells.set_aside(target, ["target_text"])
    low, high = cells.low, cells.high
    ends = validation.range_text(cells.written)
    if ends and low is None and high is None:
        try:
            low = _to_decimal(ends[0], FOUR_PLACES, TARGET_LIMIT)
            high = _to_decimal(ends[1], FOUR_PLACES, TARGET_LIMIT)
        except _Bad as bad:
            reader.error("target", str(bad))
            return
    else:
        cells.set_aside(target, ["target"])
    if "target_min" in reader.failed or "target_max" in reader.failed:
        return
    target.min, target.max = low, high  # min <= max: judged by `_judge_row`


def _qualitative_target(cells: _TargetCells, target: TargetData, qualitative, unknown) -> None:
    reader = cells.reader
    cells.set_aside(target, ["target_min", "target_max"])
    value_key, value = "target_text", cells.text
    written = cells.written
    if not value and isinstance(written, str) and written.strip():
        value, value_key = written.strip(), "target"
    else:
        cells.set_aside(target, ["target"])
    if not value:
        return
    canonical = qualitative.get(norm(value))
    if unknown is not None:  # reported once per value, with all its cells
        canonical, problem = unknown.check(reference_lists.QUALITATIVE, value)
        if problem:
            reader.unknown(
                unknown, reference_lists.QUALITATIVE, canonical or value, problem, value_key
            )
            return
    if canonical is None:
        reader.error(
            value_key,
            _("“%(value)s” is not in the list of qualitative values (see the sheet Petunjuk).")
            % {"value": value[:60]},
        )
        return
    target.text = canonical


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
    content = [i for c, i in index.items() if not column(sheet, c).ignored]
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


def _duplicates(sheet: str, items: list, key: str, index: dict, errors: list, label: str) -> None:
    seen: dict[str, int] = {}
    letter = get_column_letter(index[key] + 1)
    header = column(sheet, key).header
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
    return {**target.model_fields(), **target.unused}


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
    book = _Book(parsed, sheets, keep)
    _read_goals(book)
    _read_indicators(book)
    _read_activities(book)
    _read_activity_indicators(book)
    for group, message in book.unknown.messages():
        parsed.errors.append(
            SheetError("", None, "", str(reference_lists.KINDS[group["list"]].title), message)
        )
    parsed.unknown_values = book.unknown.result()
    order = {name: i for i, name in enumerate(DATA_SHEETS)}
    parsed.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row or 0, e.column.rjust(3)))
    return parsed


class _Book:
    """The data sheets of one upload being read: their column positions and what the rows
    share (the lists, the values not on them)."""

    def __init__(self, parsed: ParsedWorkbook, sheets: dict, keep):
        self.parsed, self.sheets, self.keep = parsed, sheets, keep
        # Values not on the lists are reported once each, with their cells (`keep`: the
        # values the plan holds now, accepted even when deactivated).
        self.unknown = reference_lists.UnknownValues(keep=keep)
        self.qualitative = self.unknown.names(reference_lists.QUALITATIVE)
        self.indexes: dict[str, dict | None] = {}
        for name in DATA_SHEETS:
            if name in sheets:
                self.indexes[name] = _header_index(name, sheets[name].rows, parsed.errors)
                continue
            parsed.errors.append(SheetError(name, None, "", "", _missing_sheet_message(name)))
            self.indexes[name] = None

    def rows(self, sheet: str):
        """A reader for each filled row of `sheet` (none when its header is wrong)."""
        index = self.indexes[sheet]
        if index is None:
            return
        for number, values in _data_rows(sheet, self.sheets[sheet].rows, index, self.parsed.errors):
            yield _RowReader(sheet, number, values, index, self.parsed.errors)

    def judge(self, reader: _RowReader, model, values: dict) -> None:
        _judge_row(
            reader, model, values, keep=self.keep, lists=self.unknown.lists, parsed=self.parsed
        )

    def measure(self, reader: _RowReader) -> str:
        text = reader.text("measure")
        if not text or "measure" in reader.failed:
            return text
        found, problem = self.unknown.check(reference_lists.MEASURES, text)
        if problem:
            reader.unknown(
                self.unknown, reference_lists.MEASURES, found or text, problem, "measure"
            )
            return ""
        return found

    def target(self, reader: _RowReader) -> TargetData:
        return _target(reader, self.qualitative, self.unknown)

    def duplicates(self, sheet: str, items: list, label: str) -> None:
        if self.indexes[sheet] is not None:
            _duplicates(sheet, items, "code", self.indexes[sheet], self.parsed.errors, label)


def _missing_sheet_message(name: str) -> str:
    return _(
        "The sheet “%(sheet)s” is missing. Keep the template's sheets; "
        "download a fresh template if in doubt."
    ) % {"sheet": name}


def _read_goals(book: _Book) -> None:
    for reader in book.rows(GOALS):
        goal = GoalRow(
            row=reader.row,
            code=reader.text("code", required=True),
            text=reader.text("text"),
            level=reader.choice(
                "level", LEVEL_CHOICES, Goal.Level.STRATEGIC, LEVEL_LABELS.values()
            ),
        )
        book.judge(reader, Goal, {"code": goal.code, "text": goal.text, "level": goal.level})
        book.parsed.goals.append(goal)
    book.duplicates(GOALS, book.parsed.goals, _("goal"))


def _read_indicators(book: _Book) -> None:
    goal_codes = {g.code.lower() for g in book.parsed.goals if g.code}
    for reader in book.rows(INDICATORS):
        goal_code = reader.text("goal_code", required=True)
        if goal_code and book.indexes[GOALS] is not None and goal_code.lower() not in goal_codes:
            reader.error(
                "goal_code",
                _("No goal has the code “%(code)s” in the sheet Sasaran.")
                % {"code": goal_code[:40]},
            )
        indicator = IndicatorRow(
            row=reader.row,
            goal_code=goal_code,
            code=reader.text("code"),
            name=reader.text("name"),
            definition=reader.text("definition"),
            formula=reader.text("formula"),
            measure=book.measure(reader),
            polarity=reader.choice(
                "polarity", POLARITY_CHOICES, Indicator.Polarity.HIGHER, POLARITY_LABELS.values()
            ),
            data_source=reader.text("data_source"),
            type=reader.choice("type", TYPE_CHOICES, Indicator.Type.OUTCOME, TYPE_LABELS.values()),
            target=book.target(reader),
            quarters=[reader.number(q) for q in ("q1", "q2", "q3", "q4")],
            in_pk=_in_pk(reader),
        )
        book.judge(
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
        book.parsed.indicators.append(indicator)
    book.duplicates(INDICATORS, book.parsed.indicators, _("indicator"))


def _in_pk(reader: _RowReader) -> bool:
    """The "Masuk PK" cell: Ya or Tidak; empty is Ya."""
    text = reader.text("in_pk")
    if not text or "in_pk" in reader.failed:
        return True
    folded = text.lower()
    if folded in FALSE_WORDS:
        return False
    if folded not in TRUE_WORDS:
        reader.error("in_pk", _("Write Ya or Tidak, not “%(value)s”.") % {"value": text[:40]})
    return True


def _read_activities(book: _Book) -> None:
    for reader in book.rows(ACTIVITIES):
        budget = reader.number("budget", places=TWO_PLACES, limit=BUDGET_LIMIT)
        activity = ActivityRow(
            row=reader.row,
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
        book.judge(
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
        book.parsed.activities.append(activity)
    book.duplicates(ACTIVITIES, book.parsed.activities, _("activity"))


def _read_activity_indicators(book: _Book) -> None:
    activity_codes = {a.code.lower() for a in book.parsed.activities if a.code}
    for reader in book.rows(ACTIVITY_INDICATORS):
        code = reader.text("activity_code", required=True)
        if code and book.indexes[ACTIVITIES] is not None and code.lower() not in activity_codes:
            reader.error(
                "activity_code",
                _("No program or activity has the code “%(code)s” in the sheet Kegiatan.")
                % {"code": code[:40]},
            )
        output = ActivityIndicatorRow(
            row=reader.row,
            activity_code=code,
            name=reader.text("name"),
            measure=book.measure(reader),
            target=book.target(reader),
        )
        book.judge(
            reader,
            ActivityIndicator,
            {"name": output.name, "measure": output.measure, **_target_values(output.target)},
        )
        book.parsed.activity_indicators.append(output)
