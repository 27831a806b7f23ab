"""Reading and checking the sheet of strategic goals, indicators and targets (one XLSX or
CSV sheet, one row per target), and the template workbook to fill in. The import itself
(all or nothing) is `rkpk.analysis.services.import_goals`.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from rkpk.analysis import goals
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
from rkpk.core import sheet_reader
from rkpk.core.sheet_reader import SheetError, SheetFileError
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.organisation.models import Unit
from rkpk.plans import lists

Polarity = MinistryIndicator.Polarity


SHEET = "sasaran"
# Field -> (header as in the template, accepted spellings)
IMPORT_COLUMNS = [
    ("period", "periode", {"period", "periode", "renstra"}),
    ("goal_code", "kode sasaran", {"kode_sasaran", "goal_code", "kode_ss"}),
    ("goal_text", "sasaran", {"sasaran", "goal", "sasaran_stratejik", "sasaran_strategis"}),
    ("indicator_code", "kode indikator", {"kode_indikator", "indicator_code", "kode_iku"}),
    ("indicator_name", "indikator", {"indikator", "indicator", "indikator_kinerja"}),
    ("measure", "satuan", {"satuan", "measure", "unit_of_measure"}),
    ("aggregation", "agregasi", {"agregasi", "aggregation"}),
    ("polarity", "polaritas", {"polaritas", "polarity", "arah", "arah_indikator"}),
    ("perspective", "perspektif", {"perspektif", "perspective"}),
    (
        "responsible_units",
        "unit penanggung jawab",
        {
            "unit_penanggung_jawab",
            "penanggung_jawab",
            "kode_unit_penanggung_jawab",
            "unit_pj",
            "responsible_units",
            "responsible_unit",
        },
    ),
    ("year", "tahun", {"tahun", "year"}),
    ("target", "target", {"target"}),
    ("manual_value", "angka manual", {"angka_manual", "nilai_manual", "manual_value"}),
]
# Every accepted spelling of a header -> its field.
HEADERS = {spelling: fld for fld, _shown, accepted in IMPORT_COLUMNS for spelling in accepted}
REQUIRED = {"period", "goal_code", "goal_text"}
MAX_DATA_ROWS = 20_000
RAW_FIELDS = {"target", "manual_value"}


@dataclass
class ImportSummary:
    periods: int = 0
    goals: int = 0
    indicators: int = 0
    targets: int = 0
    errors: list[SheetError] = field(default_factory=list)
    # Columns of the file that are not read, as "F (keterangan)".
    ignored_columns: list[str] = field(default_factory=list)
    # Values not on the reference lists (satuan, qualitative targets), each once with every
    # cell that uses it (`plans.lists.UnknownValues.result()`); also among `errors`.
    unknown_values: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _parse_period(text: str):
    """(start, end) from "2025-2029" or "Renstra 2025–2029"; None otherwise."""
    match = re.search(r"(\d{4})\s*[-–—/]\s*(\d{4})", text)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None


def _read_header(number: int, values, ignored: list[str]) -> dict[str, tuple[str, str]]:
    """field -> (column position, letter, header as in the template) of the header row;
    columns not read are added to `ignored`."""
    found = sheet_reader.header_map(values, HEADERS)
    if found.repeated:
        _name, first, again = found.repeated[0]
        raise SheetFileError(
            _("The column %(name)s appears twice (columns %(a)s and %(b)s).")
            % {
                "name": str(values[again]).strip(),
                "a": sheet_reader.column_letter(first),
                "b": sheet_reader.column_letter(again),
            },
            row=number,
            column=sheet_reader.column_letter(again),
        )
    for position, text in found.unknown:
        ignored.append(f"{sheet_reader.column_letter(position)} ({' '.join(text.split())[:60]})")
    missing = [
        shown for fld, shown, _acc in IMPORT_COLUMNS if fld in REQUIRED and fld not in found.index
    ]
    if missing:
        raise SheetFileError(
            _(
                "The header row (row %(row)s) lacks the column(s): %(cols)s. The "
                "columns are: %(all)s."
            )
            % {
                "row": number,
                "cols": ", ".join(missing),
                "all": ", ".join(s for _f, s, _a in IMPORT_COLUMNS),
            },
            row=number,
        )
    return {
        fld: (found.index[fld], sheet_reader.column_letter(found.index[fld]), shown)
        for fld, shown, _acc in IMPORT_COLUMNS
        if fld in found.index
    }


def _read_row(sheet_name: str, number: int, values, columns: dict, errors: list):
    """The row's values by field; None when a cell holds a formula or an error."""
    row = {"row": number, "columns": columns}
    bad = False
    for fld, (position, letter, shown) in columns.items():
        value = values[position] if position < len(values) else None
        if isinstance(value, sheet_reader.Formula):
            message = _("Formulas are not read; enter the value itself.")
        elif isinstance(value, sheet_reader.ErrorValue):
            message = _("The cell shows an error (%(e)s).") % {"e": value.text}
        else:
            if isinstance(value, sheet_reader.Percent):
                value = value.fraction  # the number in the cell, as before its format
            if isinstance(value, str) and value.startswith("'") and value[1:2] in "=+-@\t\r":
                value = value[1:]  # the apostrophe our export puts before a formula-like text
            row[fld] = value if fld in RAW_FIELDS else _cell_text(value)
            continue
        errors.append(SheetError(sheet_name, number, letter, shown, message))
        bad = True
    return None if bad else row


def _read_rows(sheet) -> tuple[list[dict], list[SheetError], list[str]]:
    """(rows, cell errors, ignored columns) of the sheet."""
    errors: list[SheetError] = []
    header = None
    columns: dict[str, tuple[str, str]] = {}
    ignored: list[str] = []
    rows = []
    for number, values in sheet.rows:
        if all(sheet_reader.is_blank(v) for v in values):
            continue
        if header is None:
            header = number
            columns = _read_header(number, values, ignored)
            continue
        row = _read_row(sheet.name, number, values, columns, errors)
        if row is not None:
            rows.append(row)
        if len(rows) > MAX_DATA_ROWS:
            raise SheetFileError(_("The file has more than %(n)s rows.") % {"n": MAX_DATA_ROWS})
    if header is None:
        raise SheetFileError(_("The sheet is empty."))
    return rows, errors, ignored


def _suits(polarity: str, kind: str) -> bool:
    if kind == "none":
        return True
    if polarity == Polarity.QUALITATIVE:
        return kind == "qualitative"
    if polarity == Polarity.RANGE:
        return kind == "range"
    return kind in ("number", "range")


def _raw_kind(raw: dict) -> str:
    if "text" in raw:
        return "qualitative"
    if "min_value" in raw:
        return "range"
    return "number" if "value" in raw else "none"


def _resolve_polarity(given: str | None, current: str | None, kinds: set[str]) -> str:
    """The polarity of an imported indicator: as written; else the stored one when the
    targets suit it; else what the targets show (all qualitative, all ranges)."""
    if given:
        return given
    kinds = kinds - {"none"}
    if current and all(_suits(current, k) for k in kinds):
        return current
    if kinds == {"qualitative"}:
        return Polarity.QUALITATIVE
    if kinds == {"range"}:
        return Polarity.RANGE
    return current or Polarity.HIGHER


def _held_values() -> set[str]:
    """The satuan and qualitative targets the ministry's indicators hold now: a value since
    deactivated in its list stays accepted for them, as a plan keeps its own."""
    held = set(MinistryIndicator.objects.exclude(measure="").values_list("measure", flat=True))
    held.update(MinistryTarget.objects.exclude(text="").values_list("text", flat=True))
    return held


def _could_be_listed(cell, text: str) -> bool:
    """Whether a target that is no number or range may be a qualitative value missing from
    the list (a word), rather than a mistyped number ("1,2,3", "1e999") or a TRUE/FALSE
    cell."""
    if isinstance(cell, bool) or re.search(r"[^\W\d_]", text) is None:
        return False
    try:
        float(text.replace(",", "."))
    except ValueError:
        return True
    return False


def _place(row: dict, fld: str) -> tuple[str, str]:
    """(column letter, header) of a field in a row, for the unknown-values report."""
    letter = row["columns"][fld][1] if fld in row["columns"] else ""
    return letter, next(shown for f, shown, _a in IMPORT_COLUMNS if f == fld)


def _split_codes(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,;\n]+", text or "") if c.strip()]


class GoalSheet:
    """One goals sheet, checked row by row and then as a whole: what it asks to write
    (`goals`, `indicators`, `targets` by key) and the summary with every error found.

    Keys: a goal is (period years, goal code), an indicator (goal key, indicator code), a
    target (indicator key, year)."""

    def __init__(self, sheet_name: str, rows: list[dict], summary: ImportSummary):
        self.sheet_name = sheet_name
        self.rows = rows
        self.summary = summary
        self.has_manual = any("manual_value" in r["columns"] for r in rows[:1])
        self.periods = {(p.start_year, p.end_year): p for p in RenstraPeriod.objects.all()}
        self.periods_by_name = {p.name.strip().lower(): p for p in self.periods.values()}
        self.units_by_code = {u.code: u for u in Unit.objects.all()}
        self.units_by_lower = {code.lower(): u for code, u in self.units_by_code.items()}
        self.qualitative = goals.qualitative_values()
        # Satuan and qualitative targets not on their list: reported once per value with
        # every cell that uses it, so that the bureau can add them from the report in one
        # step.
        self.not_listed = lists.UnknownValues(keep=_held_values())
        self.goals: dict[tuple, dict] = {}
        self.indicators: dict[tuple, dict] = {}
        self.targets: dict[tuple, dict] = {}
        self.existing_goals: dict[tuple, StrategicGoal] = {}
        self.existing_indicators: dict[tuple, MinistryIndicator] = {}

    def check(self) -> None:
        for row in self.rows:
            self.check_row(row)
        self.check_texts()
        self.resolve_polarities()
        self.check_target_values()
        self.check_stored_targets()
        self.report_unknown_values()

    # --- Reporting ---

    def err(self, row: dict, fld: str, message: str) -> None:
        _position, letter, shown = row["columns"].get(fld, (None, "", ""))
        self.summary.errors.append(SheetError(self.sheet_name, row["row"], letter, shown, message))

    def unknown_value(self, row: dict, fld: str, slug: str, value: str, problem: str) -> None:
        letter, header = _place(row, fld)
        self.not_listed.add(
            slug,
            value,
            problem,
            sheet=self.sheet_name,
            row=row["row"],
            column=letter,
            header=header,
        )

    def same(self, spec: dict, key: str, value, row: dict, fld: str, what: str) -> None:
        """Keep an indicator's value given once; a different value in another row errs."""
        if value in (None, "", []):
            return
        if spec[key] not in (None, "", []) and spec[key] != value:
            self.err(
                row,
                fld,
                _("Indicator %(c)s has another %(what)s in row %(r)s.")
                % {"c": spec["code"], "what": what, "r": spec["rows"][key]},
            )
            return
        if spec[key] in (None, "", []):
            spec[key] = value
            spec["rows"][key] = row["row"]

    # --- Each row ---

    def check_row(self, row: dict) -> None:
        period_key = self.row_period(row)
        gkey = self.row_goal(row, period_key)
        if gkey is None:
            return
        ikey = self.row_indicator(row, gkey)
        if ikey is None:
            return
        self.row_indicator_values(row, self.indicators[ikey])
        self.row_target(row, ikey, period_key)

    def row_period(self, row: dict) -> tuple[int, int] | None:
        period_text = row.get("period", "")
        years = _parse_period(period_text) if period_text else None
        if not period_text:
            self.err(row, "period", _("Give the period, e.g. 2025-2029."))
        elif period_text.strip().lower() in self.periods_by_name:
            p = self.periods_by_name[period_text.strip().lower()]
            return (p.start_year, p.end_year)
        elif years and 2000 <= years[0] <= years[1] <= 2100:
            return years
        else:
            self.err(row, "period", _("Write the period as first-last year, e.g. 2025-2029."))
        return None

    def row_goal(self, row: dict, period_key) -> tuple | None:
        goal_code = row.get("goal_code", "")
        goal_text = row.get("goal_text", "")
        if not goal_code:
            self.err(row, "goal_code", _("Give the goal's code."))
        elif len(goal_code) > 20:
            self.err(row, "goal_code", _("A code has at most 20 characters."))
        if period_key is None or not goal_code or len(goal_code) > 20:
            return None
        gkey = (period_key, goal_code)
        known = self.goals.get(gkey)
        if known is None:
            self.goals[gkey] = {
                "text": goal_text,
                "row": row["row"],
                "order": len(self.goals) + 1,
                "rowobj": row,
            }
        elif goal_text and known["text"] and goal_text != known["text"]:
            self.err(
                row,
                "goal_text",
                _("Goal %(c)s has another text in row %(r)s.")
                % {"c": goal_code, "r": known["row"]},
            )
        elif goal_text and not known["text"]:
            known["text"] = goal_text
        return gkey

    def row_indicator(self, row: dict, gkey: tuple) -> tuple | None:
        ind_code = row.get("indicator_code", "")
        if not ind_code:
            if (
                row.get("indicator_name", "")
                or row.get("year")
                or not sheet_reader.is_blank(row.get("target"))
                or row.get("polarity")
                or row.get("perspective")
                or row.get("responsible_units")
            ):
                self.err(row, "indicator_code", _("Give the indicator's code."))
            return None
        if len(ind_code) > 20:
            self.err(row, "indicator_code", _("A code has at most 20 characters."))
            return None
        ikey = (gkey, ind_code)
        spec = self.indicators.setdefault(
            ikey,
            {
                "code": ind_code,
                "name": "",
                "measure": "",
                "aggregation": None,
                "polarity": None,
                "perspective": "",
                "units": None,
                "row": row["row"],
                "rowobj": row,
                "rows": {},
                "order": 0,
            },
        )
        if not spec["order"]:
            spec["order"] = sum(1 for k in self.indicators if k[0] == gkey)
        return ikey

    def row_indicator_values(self, row: dict, spec: dict) -> None:
        self.same(spec, "name", row.get("indicator_name", ""), row, "indicator_name", _("name"))
        self.row_measure(row, spec)
        if row.get("aggregation"):
            aggregation = goals.parse_aggregation(row["aggregation"])
            if aggregation is None:
                self.err(
                    row,
                    "aggregation",
                    _(
                        "Unknown aggregation %(a)s; use sum, average, weighted, min, max, latest "
                        "or manual."
                    )
                    % {"a": row["aggregation"]},
                )
            else:
                self.same(spec, "aggregation", aggregation, row, "aggregation", _("aggregation"))
        if row.get("polarity"):
            polarity = goals.parse_polarity(row["polarity"])
            if polarity is None:
                self.err(
                    row,
                    "polarity",
                    _(
                        "Unknown polarity %(p)s; use lebih tinggi lebih baik, lebih rendah lebih "
                        "baik, rentang or kualitatif (higher, lower, range, qualitative)."
                    )
                    % {"p": row["polarity"]},
                )
            else:
                self.same(spec, "polarity", polarity, row, "polarity", _("polarity"))
        if row.get("perspective"):
            if len(row["perspective"]) > 100:
                self.err(row, "perspective", _("A perspective has at most 100 characters."))
            else:
                self.same(
                    spec, "perspective", row["perspective"], row, "perspective", _("perspective")
                )
        self.row_units(row, spec)

    def row_measure(self, row: dict, spec: dict) -> None:
        measure = row.get("measure", "")
        if len(measure) > 60:
            self.err(row, "measure", _("A unit of measure has at most 60 characters."))
        elif measure:
            found, problem = self.not_listed.check(lists.MEASURES, measure)
            if problem:
                self.unknown_value(row, "measure", lists.MEASURES, found or measure, problem)
            else:  # as the list spells it
                self.same(spec, "measure", found, row, "measure", _("unit of measure"))

    def row_units(self, row: dict, spec: dict) -> None:
        if not row.get("responsible_units"):
            return
        codes = _split_codes(row["responsible_units"])
        found = [self.units_by_code.get(c) or self.units_by_lower.get(c.lower()) for c in codes]
        unknown = [c for c, u in zip(codes, found, strict=True) if u is None]
        if unknown:
            self.err(
                row,
                "responsible_units",
                _("No unit has the code %(codes)s; write unit codes separated by commas.")
                % {"codes": ", ".join(unknown)},
            )
        else:
            unit_codes = sorted({u.code for u in found})
            self.same(spec, "units", unit_codes, row, "responsible_units", _("responsible units"))

    def row_year(self, row: dict, period_key: tuple) -> int | None:
        year_text = row.get("year", "")
        if not year_text:
            if not sheet_reader.is_blank(row.get("target")):
                self.err(row, "year", _("Give the year of the target."))
            if not sheet_reader.is_blank(row.get("manual_value")):
                self.err(row, "year", _("Give the year of the figure entered by hand."))
            return None
        if not re.fullmatch(r"\d{4}", year_text):
            self.err(row, "year", _("Write the year as four digits."))
            return None
        year = int(year_text)
        if not period_key[0] <= year <= period_key[1]:
            self.err(
                row,
                "year",
                _("The year must lie in the period %(a)s–%(b)s.")
                % {"a": period_key[0], "b": period_key[1]},
            )
            return None
        return year

    def row_target(self, row: dict, ikey: tuple, period_key: tuple) -> None:
        year = self.row_year(row, period_key)
        if year is None:
            return
        tkey = (ikey, year)
        if tkey in self.targets:
            self.err(
                row,
                "year",
                _("The target of %(y)s for %(c)s is given twice (row %(r)s).")
                % {"y": year, "c": ikey[1], "r": self.targets[tkey]["row"]},
            )
            return
        target, manual_raw = row.get("target"), row.get("manual_value")
        manual = None
        if not sheet_reader.is_blank(manual_raw):
            try:
                manual = goals.number_or_none(manual_raw, "manual_value")
            except ValidationError as error:
                self.err(row, "manual_value", error.messages[0])
                return
        raw = {} if sheet_reader.is_blank(target) else goals.split_target(target)
        if "text" in raw and len(raw["text"]) > 60:
            self.err(row, "target", _("A qualitative target has at most 60 characters."))
            return
        self.targets[tkey] = {"raw": raw, "manual": manual, "row": row["row"], "rowobj": row}

    # --- The sheet as a whole ---

    def check_texts(self) -> None:
        """Goals and indicators need their text, from the file or the database."""
        self.existing_goals = {
            ((g.period.start_year, g.period.end_year), g.code): g
            for g in StrategicGoal.objects.select_related("period")
        }
        for gkey, spec in self.goals.items():
            if not spec["text"] and gkey not in self.existing_goals:
                self.err(
                    spec["rowobj"], "goal_text", _("Write the text of goal %(c)s.") % {"c": gkey[1]}
                )
        self.existing_indicators = {
            (((i.goal.period.start_year, i.goal.period.end_year), i.goal.code), i.code): i
            for i in MinistryIndicator.objects.select_related("goal__period")
        }
        for ikey, spec in self.indicators.items():
            if not spec["name"] and ikey not in self.existing_indicators:
                self.err(
                    spec["rowobj"],
                    "indicator_name",
                    _("Write the name of indicator %(c)s.") % {"c": ikey[1]},
                )

    def resolve_polarities(self) -> None:
        """Each indicator's polarity: given, stored, or shown by its targets."""
        kinds: dict[tuple, set[str]] = {}
        for (ikey, _year), spec in self.targets.items():
            kinds.setdefault(ikey, set()).add(_raw_kind(spec["raw"]))
        for ikey, spec in self.indicators.items():
            stored = self.existing_indicators.get(ikey)
            current = stored.polarity if stored else None
            spec["polarity"] = _resolve_polarity(spec["polarity"], current, kinds.get(ikey, set()))

    def check_target_values(self) -> None:
        """Each target must suit its indicator's polarity."""
        for (ikey, _year), spec in self.targets.items():
            polarity = self.indicators[ikey]["polarity"]
            raw, known = spec["raw"], self.qualitative
            if (
                "text" in raw
                and polarity == Polarity.QUALITATIVE
                and _could_be_listed(spec["rowobj"].get("target"), raw["text"])
            ):
                found, problem = self.not_listed.check(lists.QUALITATIVE, raw["text"])
                if problem:
                    self.unknown_value(
                        spec["rowobj"], "target", lists.QUALITATIVE, found or raw["text"], problem
                    )
                    continue
                raw = {**raw, "text": found}
                known = {found.lower(): found}  # kept even if deactivated since
            try:
                spec["clean"] = goals.clean_target(polarity=polarity, qualitative=known, **raw)
            except ValidationError as error:
                label = str(Polarity(polarity).label).lower()
                for message in error.messages:
                    self.err(
                        spec["rowobj"],
                        "target",
                        _("%(message)s (Indicator %(c)s: %(polarity)s.)")
                        % {"message": message, "c": ikey[1], "polarity": label},
                    )

    def check_stored_targets(self) -> None:
        """Targets already stored for years the file leaves out must suit a changed
        polarity."""
        changed_polarity = {
            self.existing_indicators[ikey].pk: ikey
            for ikey, spec in self.indicators.items()
            if ikey in self.existing_indicators
            and self.existing_indicators[ikey].polarity != spec["polarity"]
        }
        for target in MinistryTarget.objects.filter(indicator_id__in=list(changed_polarity)):
            ikey = changed_polarity[target.indicator_id]
            polarity = self.indicators[ikey]["polarity"]
            kind = goals.TargetSpec(
                target.value, target.min_value, target.max_value, target.text
            ).kind
            if (ikey, target.year) in self.targets or _suits(polarity, kind):
                continue
            self.err(
                self.indicators[ikey]["rowobj"],
                "polarity",
                _(
                    "Indicator %(c)s would become %(polarity)s but its stored target of "
                    "%(y)s (%(t)s) does not suit it; give that year's target in the file."
                )
                % {
                    "c": ikey[1],
                    "polarity": str(Polarity(polarity).label).lower(),
                    "y": target.year,
                    "t": goals.format_target(target),
                },
            )

    def report_unknown_values(self) -> None:
        """The errors in sheet order, then each value not on its list once, with its cells
        (the bureau may add them)."""
        summary = self.summary
        summary.errors.sort(key=lambda e: (e.row or 0, e.label))
        for group, message in self.not_listed.messages():
            columns = dict.fromkeys(f"{c['column']} ({c['header']})" for c in group["cells"])
            # Several columns: named together as the field.
            summary.errors.append(
                SheetError(self.sheet_name, None, "", ", ".join(columns), message)
            )
        summary.unknown_values = self.not_listed.result()


def check_upload(upload, *, filename: str) -> GoalSheet:
    """Read and check an uploaded goals sheet; a file that cannot be read at all raises
    SheetFileError."""
    data = sheet_reader.read_upload(upload)
    # Read a little beyond the limit, so that a longer file is refused by its row count.
    sheet = sheet_reader.read_file(
        data, filename=filename, sheet=SHEET, max_rows=MAX_DATA_ROWS + 1000
    )
    rows, errors, ignored = _read_rows(sheet)
    checked = GoalSheet(sheet.name, rows, ImportSummary(errors=errors, ignored_columns=ignored))
    checked.check()
    return checked


def _text(value):
    return value or ""


def template_workbook(period: RenstraPeriod | None = None) -> bytes:
    """The import template; with a period, filled with its goals, indicators (polarity,
    perspective, responsible units by code) and targets (numbers as numbers, ranges as
    "min s.d. max", qualitative values as text) — importing it back changes nothing."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([shown for _f, shown, _a in IMPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if period is not None:
        label = f"{period.start_year}-{period.end_year}"
        period_goals = (
            StrategicGoal.objects.filter(period=period)
            .prefetch_related("indicators__targets", "indicators__responsible_units")
            .order_by("sort_order", "code")
        )
        for goal in period_goals:
            inds = list(goal.indicators.all())
            if not inds:
                sheet.append([label, goal.code, _text(goal.text)])
            for ind in inds:
                units = ", ".join(sorted(u.code for u in ind.responsible_units.all()))
                for t in list(ind.targets.all()) or [None]:
                    if t is None:
                        target = None
                    elif t.value is not None:
                        target = float(t.value)
                    else:
                        target = _text(goals.format_target(t)) or None
                    sheet.append(
                        [
                            label,
                            goal.code,
                            _text(goal.text),
                            ind.code,
                            _text(ind.name),
                            _text(ind.measure),
                            ind.aggregation,
                            goals.POLARITY_EXPORT.get(ind.polarity, ind.polarity),
                            _text(ind.perspective),
                            _text(units),
                            t.year if t else None,
                            target,
                            float(t.manual_value) if t and t.manual_value is not None else None,
                        ]
                    )
    widths = (12, 14, 60, 14, 50, 12, 12, 22, 20, 24, 8, 14, 12)
    for index, width in enumerate(widths):
        sheet.column_dimensions[sheet_reader.column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and safe_cell(cell.value) != cell.value:
                # Text a spreadsheet could read as a formula ("-1 s.d. 1"): marked as text
                # by the cell's quote prefix, without a visible apostrophe.
                cell.quotePrefix = True
        for cell in (row[1], row[3], row[9]):
            cell.number_format = "@"
    return workbook_bytes(workbook)
