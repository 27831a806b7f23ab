"""Writes of the strategic goals: periods, goals, ministry indicators and their yearly
targets, edited in the app or imported from one XLSX sheet (all or nothing).

Every write is keyword-only with the actor first, runs in a transaction, checks that the
actor may manage goals (the administrator) and records an audit event.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from rkpk.analysis import rules_drafts  # noqa: F401  (registers the permissions)
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
from rkpk.core import audit
from rkpk.core.formatting import NumberFormatError, parse_number
from rkpk.core.spreadsheet import safe_cell
from rkpk.organisation import importers
from rkpk.organisation.importers import ImportFileError, RowError

MANAGE = "analysis.manage_goals"
GOAL_FIELDS = ["period", "code", "text", "is_example", "sort_order"]
INDICATOR_FIELDS = ["goal", "code", "name", "measure", "aggregation", "sort_order"]
TARGET_FIELDS = ["indicator", "year", "value", "text", "manual_value"]


def _require(actor) -> None:
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(_("Only an administrator edits the strategic goals."))


def _clean_code(code) -> str:
    code = " ".join(str(code or "").split())
    if not code:
        raise ValidationError({"code": _("Give a code.")})
    if len(code) > 20:
        raise ValidationError({"code": _("A code has at most 20 characters.")})
    return code


def _clean_text(value, name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({name: message})
    return value


# --- Periods ---------------------------------------------------------------------------


@transaction.atomic
def create_period(*, actor, name: str, start_year: int, end_year: int) -> RenstraPeriod:
    _require(actor)
    name = _clean_text(name, "name", _("Give the period a name."))[:100]
    start_year, end_year = int(start_year), int(end_year)
    if not 2000 <= start_year <= end_year <= 2100:
        raise ValidationError(
            {
                "end_year": _(
                    "The years must lie between 2000 and 2100, the first not after the last."
                )
            }
        )
    if RenstraPeriod.objects.filter(start_year=start_year, end_year=end_year).exists():
        raise ValidationError({"start_year": _("This period exists already.")})
    period = RenstraPeriod.objects.create(name=name, start_year=start_year, end_year=end_year)
    audit.record(
        actor=actor, action="renstra_period.created", obj=period, after=audit.snapshot(period)
    )
    return period


# --- Goals -------------------------------------------------------------------------------


@transaction.atomic
def create_goal(
    *, actor, period: RenstraPeriod, code: str, text: str, sort_order: int | None = None
) -> StrategicGoal:
    _require(actor)
    code = _clean_code(code)
    text = _clean_text(text, "text", _("Write the goal."))
    if StrategicGoal.objects.filter(period=period, code=code).exists():
        raise ValidationError({"code": _("The period has a goal with this code already.")})
    if sort_order is None:
        sort_order = StrategicGoal.objects.filter(period=period).count() + 1
    goal = StrategicGoal.objects.create(period=period, code=code, text=text, sort_order=sort_order)
    audit.record(
        actor=actor,
        action="strategic_goal.created",
        obj=goal,
        after=audit.snapshot(goal, GOAL_FIELDS),
    )
    return goal


@transaction.atomic
def update_goal(
    *, actor, goal: StrategicGoal, code: str, text: str, sort_order: int | None = None
) -> StrategicGoal:
    """Change a goal. Edited goals are the ministry's own: the example mark is dropped."""
    _require(actor)
    goal = StrategicGoal.objects.select_for_update().get(pk=goal.pk)
    before = audit.snapshot(goal, GOAL_FIELDS)
    code = _clean_code(code)
    text = _clean_text(text, "text", _("Write the goal."))
    if (
        StrategicGoal.objects.filter(period_id=goal.period_id, code=code)
        .exclude(pk=goal.pk)
        .exists()
    ):
        raise ValidationError({"code": _("The period has a goal with this code already.")})
    goal.code, goal.text, goal.is_example = code, text, False
    if sort_order is not None:
        goal.sort_order = sort_order
    goal.save()
    audit.record(
        actor=actor,
        action="strategic_goal.updated",
        obj=goal,
        before=before,
        after=audit.snapshot(goal, GOAL_FIELDS),
    )
    return goal


@transaction.atomic
def delete_goal(*, actor, goal: StrategicGoal) -> None:
    _require(actor)
    if goal.mappings.exists():
        raise ValidationError(
            _("Unit indicators are mapped to goal %(code)s; map them elsewhere first.")
            % {"code": goal.code}
        )
    before = audit.snapshot(goal, GOAL_FIELDS)
    audit.record(actor=actor, action="strategic_goal.deleted", obj=goal, before=before)
    goal.delete()


# --- Ministry indicators ---------------------------------------------------------------------


def _clean_aggregation(value) -> str:
    parsed = parse_aggregation(value or MinistryIndicator.Aggregation.SUM)
    if parsed is None:
        raise ValidationError({"aggregation": _("Unknown aggregation %(a)s.") % {"a": value}})
    return parsed


@transaction.atomic
def create_indicator(
    *,
    actor,
    goal: StrategicGoal,
    code: str,
    name: str,
    measure: str = "",
    aggregation: str = MinistryIndicator.Aggregation.SUM,
    sort_order: int | None = None,
) -> MinistryIndicator:
    _require(actor)
    code = _clean_code(code)
    name = _clean_text(name, "name", _("Write the indicator."))
    aggregation = _clean_aggregation(aggregation)
    if MinistryIndicator.objects.filter(goal=goal, code=code).exists():
        raise ValidationError({"code": _("The goal has an indicator with this code already.")})
    if sort_order is None:
        sort_order = MinistryIndicator.objects.filter(goal=goal).count() + 1
    indicator = MinistryIndicator.objects.create(
        goal=goal,
        code=code,
        name=name,
        measure=(measure or "").strip()[:60],
        aggregation=aggregation,
        sort_order=sort_order,
    )
    audit.record(
        actor=actor,
        action="ministry_indicator.created",
        obj=indicator,
        after=audit.snapshot(indicator, INDICATOR_FIELDS),
    )
    return indicator


@transaction.atomic
def update_indicator(
    *,
    actor,
    indicator: MinistryIndicator,
    code: str,
    name: str,
    measure: str = "",
    aggregation: str = MinistryIndicator.Aggregation.SUM,
) -> MinistryIndicator:
    _require(actor)
    indicator = MinistryIndicator.objects.select_for_update().get(pk=indicator.pk)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    code = _clean_code(code)
    name = _clean_text(name, "name", _("Write the indicator."))
    aggregation = _clean_aggregation(aggregation)
    clash = MinistryIndicator.objects.filter(goal_id=indicator.goal_id, code=code)
    if clash.exclude(pk=indicator.pk).exists():
        raise ValidationError({"code": _("The goal has an indicator with this code already.")})
    indicator.code, indicator.name = code, name
    indicator.measure, indicator.aggregation = (measure or "").strip()[:60], aggregation
    indicator.save()
    audit.record(
        actor=actor,
        action="ministry_indicator.updated",
        obj=indicator,
        before=before,
        after=audit.snapshot(indicator, INDICATOR_FIELDS),
    )
    return indicator


@transaction.atomic
def delete_indicator(*, actor, indicator: MinistryIndicator) -> None:
    _require(actor)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    audit.record(actor=actor, action="ministry_indicator.deleted", obj=indicator, before=before)
    indicator.delete()


def _check_year(indicator: MinistryIndicator, year: int) -> int:
    period = indicator.goal.period
    year = int(year)
    if not period.start_year <= year <= period.end_year:
        raise ValidationError(
            {
                "year": _("The year must lie in the period %(a)s–%(b)s.")
                % {"a": period.start_year, "b": period.end_year}
            }
        )
    return year


@transaction.atomic
def set_target(
    *,
    actor,
    indicator: MinistryIndicator,
    year: int,
    value=None,
    text: str = "",
    manual_value=None,
) -> MinistryTarget | None:
    """Set (or, with neither value nor text, remove) the target of a year."""
    _require(actor)
    year = _check_year(indicator, year)
    value = _number_or_none(value, "value")
    manual_value = _number_or_none(manual_value, "manual_value")
    text = (text or "").strip()
    if len(text) > 60:
        raise ValidationError({"text": _("A qualitative target has at most 60 characters.")})
    existing = (
        MinistryTarget.objects.select_for_update().filter(indicator=indicator, year=year).first()
    )
    before = audit.snapshot(existing, TARGET_FIELDS) if existing else None
    if value is None and not text and manual_value is None:
        if existing:
            audit.record(actor=actor, action="ministry_target.deleted", obj=existing, before=before)
            existing.delete()
        return None
    target = existing or MinistryTarget(indicator=indicator, year=year)
    target.value, target.text, target.manual_value = value, text, manual_value
    target.save()
    audit.record(
        actor=actor,
        action="ministry_target.set",
        obj=target,
        before=before,
        after=audit.snapshot(target, TARGET_FIELDS),
    )
    return target


def _number_or_none(value, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return parse_number(value)
    except NumberFormatError as error:
        raise ValidationError({name: _("Not a number: %(v)s") % {"v": value}}) from error


# --- Import from XLSX ------------------------------------------------------------------------

SHEET = "sasaran"
# Field -> (header as in the template, accepted spellings)
IMPORT_COLUMNS = [
    ("period", "periode", {"period", "periode", "renstra"}),
    ("goal_code", "kode sasaran", {"kode_sasaran", "goal_code", "kode_ss"}),
    ("goal_text", "sasaran", {"sasaran", "goal", "sasaran_stratejik", "sasaran_strategis"}),
    ("indicator_code", "kode indikator", {"kode_indikator", "indicator_code", "kode_iku"}),
    ("indicator_name", "indikator", {"indikator", "indicator", "indikator_kinerja"}),
    ("measure", "satuan", {"satuan", "measure", "unit"}),
    ("aggregation", "agregasi", {"agregasi", "aggregation"}),
    ("year", "tahun", {"tahun", "year"}),
    ("target", "target", {"target"}),
]
REQUIRED = {"period", "goal_code", "goal_text"}
AGGREGATION_WORDS = {
    "sum": "sum",
    "jumlah": "sum",
    "total": "sum",
    "average": "average",
    "avg": "average",
    "rata_rata": "average",
    "rerata": "average",
    "weighted": "weighted",
    "weighted_average": "weighted",
    "rata_rata_tertimbang": "weighted",
    "tertimbang": "weighted",
    "min": "min",
    "minimum": "min",
    "terendah": "min",
    "max": "max",
    "maximum": "max",
    "maksimum": "max",
    "tertinggi": "max",
    "latest": "latest",
    "terakhir": "latest",
    "terbaru": "latest",
    "manual": "manual",
    "diisi_manual": "manual",
    "entered_by_hand": "manual",
}


def parse_aggregation(value) -> str | None:
    key = re.sub(r"[\s\-./]+", "_", str(value or "").strip().lower()).strip("_")
    if key in MinistryIndicator.Aggregation.values:
        return key
    return AGGREGATION_WORDS.get(key)


@dataclass
class ImportSummary:
    periods: int = 0
    goals: int = 0
    indicators: int = 0
    targets: int = 0
    errors: list[RowError] = field(default_factory=list)

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
    """(name or None, start, end) from "2025-2029", "Renstra 2025–2029" or a period's name."""
    match = re.search(r"(\d{4})\s*[-–—/]\s*(\d{4})", text)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None


def _read_rows(sheet) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    header = None
    indexes: dict[str, int] = {}
    labels: dict[str, str] = {}
    rows = []
    for number, values in sheet.rows:
        if header is None:
            if all(importers._is_blank(v) for v in values):
                continue
            header = number
            for index, value in enumerate(values):
                if importers._is_blank(value) or isinstance(
                    value, importers._Formula | importers._CellError
                ):
                    continue
                name = re.sub(r"[\s\-.]+", "_", str(value).strip().lower()).strip("_*:")
                for fld, shown, accepted in IMPORT_COLUMNS:
                    if name in accepted and fld not in indexes:
                        indexes[fld] = index
                        labels[fld] = f"{chr(65 + index) if index < 26 else index + 1} ({shown})"
            missing = [
                shown
                for fld, shown, _acc in IMPORT_COLUMNS
                if fld in REQUIRED and fld not in indexes
            ]
            if missing:
                raise ImportFileError(
                    _("The header row (row %(row)s) lacks the column(s): %(cols)s.")
                    % {"row": number, "cols": ", ".join(missing)},
                    row=number,
                )
            continue
        if all(importers._is_blank(v) for v in values):
            continue
        row = {"row": number, "labels": labels}
        bad = False
        for fld, index in indexes.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, importers._Formula):
                errors.append(
                    RowError(
                        sheet.name,
                        number,
                        labels[fld],
                        _("Formulas are not read; enter the value itself."),
                    )
                )
                bad = True
                continue
            if isinstance(value, importers._CellError):
                errors.append(
                    RowError(
                        sheet.name,
                        number,
                        labels[fld],
                        _("The cell shows an error (%(e)s).") % {"e": value.text},
                    )
                )
                bad = True
                continue
            row[fld] = value if fld == "target" else _cell_text(value)
        if not bad:
            rows.append(row)
        if len(rows) > importers.MAX_DATA_ROWS:
            raise ImportFileError(
                _("The file has more than %(n)s rows.") % {"n": importers.MAX_DATA_ROWS}
            )
    if header is None:
        raise ImportFileError(_("The sheet is empty."))
    return rows, errors


@transaction.atomic
def import_goals(*, actor, upload, filename: str | None = None) -> ImportSummary:
    """Read the sheet and write goals, indicators and targets — every row or none.

    Returns the summary; when it has errors nothing was written. A file that cannot be
    read at all raises ImportFileError.
    """
    _require(actor)
    filename = filename or getattr(upload, "name", "") or "upload.xlsx"
    data = importers.read_bytes(upload)
    sheet = importers.read_sheet(data, filename=filename, kind=SHEET)
    rows, errors = _read_rows(sheet)
    summary = ImportSummary(errors=errors)

    periods = {(p.start_year, p.end_year): p for p in RenstraPeriod.objects.all()}
    by_name = {p.name.strip().lower(): p for p in periods.values()}

    def err(row, fld, message):
        summary.errors.append(RowError(sheet.name, row["row"], row["labels"].get(fld, ""), message))

    # Check every row, collecting what to write.
    goals: dict[tuple, dict] = {}
    indicators: dict[tuple, dict] = {}
    targets: dict[tuple, dict] = {}
    for row in rows:
        period_text = row.get("period", "")
        years = _parse_period(period_text) if period_text else None
        period_key = None
        if not period_text:
            err(row, "period", _("Give the period, e.g. 2025-2029."))
        elif period_text.strip().lower() in by_name:
            p = by_name[period_text.strip().lower()]
            period_key = (p.start_year, p.end_year)
        elif years and 2000 <= years[0] <= years[1] <= 2100:
            period_key = years
        else:
            err(row, "period", _("Write the period as first-last year, e.g. 2025-2029."))
        goal_code = row.get("goal_code", "")
        goal_text = row.get("goal_text", "")
        if not goal_code:
            err(row, "goal_code", _("Give the goal's code."))
        elif len(goal_code) > 20:
            err(row, "goal_code", _("A code has at most 20 characters."))
        if period_key is None or not goal_code or len(goal_code) > 20:
            continue
        gkey = (period_key, goal_code)
        if gkey in goals:
            if goal_text and goals[gkey]["text"] and goal_text != goals[gkey]["text"]:
                err(
                    row,
                    "goal_text",
                    _("Goal %(c)s has another text in row %(r)s.")
                    % {"c": goal_code, "r": goals[gkey]["row"]},
                )
            elif goal_text and not goals[gkey]["text"]:
                goals[gkey]["text"] = goal_text
        else:
            goals[gkey] = {
                "text": goal_text,
                "row": row["row"],
                "order": len(goals) + 1,
                "rowobj": row,
            }
        ind_code = row.get("indicator_code", "")
        ind_name = row.get("indicator_name", "")
        if not ind_code:
            if ind_name or row.get("year") or not importers._is_blank(row.get("target")):
                err(row, "indicator_code", _("Give the indicator's code."))
            continue
        if len(ind_code) > 20:
            err(row, "indicator_code", _("A code has at most 20 characters."))
            continue
        ikey = (gkey, ind_code)
        aggregation = None
        if row.get("aggregation"):
            aggregation = parse_aggregation(row["aggregation"])
            if aggregation is None:
                err(
                    row,
                    "aggregation",
                    _(
                        "Unknown aggregation %(a)s; use sum, average, weighted, min, max, latest "
                        "or manual."
                    )
                    % {"a": row["aggregation"]},
                )
        spec = indicators.setdefault(
            ikey, {"name": "", "measure": "", "aggregation": None, "row": row["row"], "order": 0}
        )
        if not spec["order"]:
            spec["order"] = sum(1 for k in indicators if k[0] == gkey)
        if ind_name:
            if spec["name"] and spec["name"] != ind_name:
                err(
                    row,
                    "indicator_name",
                    _("Indicator %(c)s has another text in row %(r)s.")
                    % {"c": ind_code, "r": spec["row"]},
                )
            spec["name"] = spec["name"] or ind_name
        if row.get("measure"):
            spec["measure"] = spec["measure"] or row["measure"][:60]
        if aggregation:
            spec["aggregation"] = spec["aggregation"] or aggregation
        year_text = row.get("year", "")
        target = row.get("target")
        if not year_text:
            if not importers._is_blank(target):
                err(row, "year", _("Give the year of the target."))
            continue
        if not re.fullmatch(r"\d{4}", year_text):
            err(row, "year", _("Write the year as four digits."))
            continue
        year = int(year_text)
        if not period_key[0] <= year <= period_key[1]:
            err(
                row,
                "year",
                _("The year must lie in the period %(a)s–%(b)s.")
                % {"a": period_key[0], "b": period_key[1]},
            )
            continue
        tkey = (ikey, year)
        if tkey in targets:
            err(
                row,
                "year",
                _("The target of %(y)s for %(c)s is given twice (row %(r)s).")
                % {"y": year, "c": ind_code, "r": targets[tkey]["row"]},
            )
            continue
        value, text = None, ""
        if not importers._is_blank(target):
            try:
                value = parse_number(target)
            except NumberFormatError:
                text = _cell_text(target)
                if len(text) > 60:
                    err(row, "target", _("A qualitative target has at most 60 characters."))
                    continue
        targets[tkey] = {"value": value, "text": text, "row": row["row"]}

    # Goals and indicators need their text, from the file or the database.
    existing_goals = {
        ((g.period.start_year, g.period.end_year), g.code): g
        for g in StrategicGoal.objects.select_related("period")
    }
    for gkey, spec in goals.items():
        if not spec["text"] and gkey not in existing_goals:
            row = spec["rowobj"]
            err(row, "goal_text", _("Write the text of goal %(c)s.") % {"c": gkey[1]})
    existing_inds = {
        (((i.goal.period.start_year, i.goal.period.end_year), i.goal.code), i.code): i
        for i in MinistryIndicator.objects.select_related("goal__period")
    }
    for ikey, spec in indicators.items():
        if not spec["name"] and ikey not in existing_inds:
            summary.errors.append(
                RowError(
                    sheet.name,
                    spec["row"],
                    "",
                    _("Write the name of indicator %(c)s.") % {"c": ikey[1]},
                )
            )
    if summary.errors:
        summary.errors.sort(key=lambda e: (e.row or 0, e.column))
        return summary

    # Write.
    for key in {g[0] for g in goals}:
        if key not in periods:
            periods[key] = RenstraPeriod.objects.create(
                name=f"Renstra {key[0]}–{key[1]}", start_year=key[0], end_year=key[1]
            )
            summary.periods += 1
    goal_objs = {}
    for gkey, spec in goals.items():
        goal = existing_goals.get(gkey)
        if goal is None:
            goal = StrategicGoal.objects.create(
                period=periods[gkey[0]],
                code=gkey[1],
                text=spec["text"],
                sort_order=spec["order"],
            )
        elif spec["text"] and (goal.text != spec["text"] or goal.is_example):
            goal.text, goal.is_example = spec["text"], False
            goal.save(update_fields=["text", "is_example"])
        goal_objs[gkey] = goal
        summary.goals += 1
    ind_objs = {}
    for ikey, spec in indicators.items():
        ind = existing_inds.get(ikey)
        if ind is None:
            ind = MinistryIndicator.objects.create(
                goal=goal_objs[ikey[0]],
                code=ikey[1],
                name=spec["name"],
                measure=spec["measure"],
                sort_order=spec["order"],
                aggregation=spec["aggregation"] or MinistryIndicator.Aggregation.SUM,
            )
        else:
            changed = False
            for attr in ("name", "measure", "aggregation"):
                if spec[attr] and getattr(ind, attr) != spec[attr]:
                    setattr(ind, attr, spec[attr])
                    changed = True
            if changed:
                ind.save()
        ind_objs[ikey] = ind
        summary.indicators += 1
    current = {
        (t.indicator_id, t.year): t
        for t in MinistryTarget.objects.filter(indicator__in=list(ind_objs.values()))
    }
    new, changed = [], []
    for (ikey, year), spec in targets.items():
        ind = ind_objs[ikey]
        target = current.get((ind.pk, year))
        if target is None:
            new.append(
                MinistryTarget(indicator=ind, year=year, value=spec["value"], text=spec["text"])
            )
        else:
            target.value, target.text = spec["value"], spec["text"]
            changed.append(target)
    MinistryTarget.objects.bulk_create(new)
    MinistryTarget.objects.bulk_update(changed, ["value", "text"])
    summary.targets = len(targets)
    audit.record(
        actor=actor,
        action="strategic_goals.imported",
        object_type="analysis.strategicgoal",
        object_repr=filename[:300],
        after={
            "file": filename,
            "periods": summary.periods,
            "goals": summary.goals,
            "indicators": summary.indicators,
            "targets": summary.targets,
        },
    )
    return summary


def _target_cell(target):
    if target is None:
        return None
    return float(target.value) if target.value is not None else safe_cell(target.text)


def template_workbook(period: RenstraPeriod | None = None) -> bytes:
    """The import template; with a period, filled with its goals, indicators and targets."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([shown for _f, shown, _a in IMPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if period is not None:
        label = f"{period.start_year}-{period.end_year}"
        goals = (
            StrategicGoal.objects.filter(period=period)
            .prefetch_related("indicators__targets")
            .order_by("sort_order", "code")
        )
        for goal in goals:
            inds = list(goal.indicators.all())
            if not inds:
                sheet.append([label, goal.code, safe_cell(goal.text)])
            for ind in inds:
                targets = list(ind.targets.all()) or [None]
                for t in targets:
                    sheet.append(
                        [
                            label,
                            goal.code,
                            safe_cell(goal.text),
                            ind.code,
                            safe_cell(ind.name),
                            safe_cell(ind.measure),
                            ind.aggregation,
                            t.year if t else None,
                            (float(t.value) if t.value is not None else safe_cell(t.text))
                            if t
                            else None,
                        ]
                    )
    for column, width in zip("ABCDEFGHI", (12, 14, 60, 14, 50, 12, 12, 8, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, max_col=4):
        for cell in (row[1], row[3]):
            cell.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
