"""Writes of the strategic goals: periods, goals, ministry indicators and their yearly
targets, edited in the app or imported from one XLSX sheet (all or nothing).

Every write is keyword-only with the actor first, runs in a transaction, checks that the
actor may manage goals (the administrator) and records an audit event.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rkpk.analysis import rules_drafts  # noqa: F401  (registers the permissions)
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
from rkpk.core import audit
from rkpk.core.formatting import NumberFormatError, format_number, parse_number
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.organisation import importers
from rkpk.organisation.importers import ImportFileError, RowError
from rkpk.organisation.models import Unit
from rkpk.plans import lists, validation
from rkpk.plans.models import MeasureUnit, QualitativeValue

MANAGE = "analysis.manage_goals"
GOAL_FIELDS = ["period", "code", "text", "is_example", "sort_order"]
INDICATOR_FIELDS = [
    "goal",
    "code",
    "name",
    "measure",
    "aggregation",
    "polarity",
    "perspective",
    "sort_order",
]
TARGET_FIELDS = ["indicator", "year", "value", "min_value", "max_value", "text", "manual_value"]
Polarity = MinistryIndicator.Polarity


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

POLARITY_WORDS = {
    "higher": Polarity.HIGHER,
    "higher_is_better": Polarity.HIGHER,
    "lebih_tinggi_lebih_baik": Polarity.HIGHER,
    "makin_tinggi_makin_baik": Polarity.HIGHER,
    "semakin_tinggi_semakin_baik": Polarity.HIGHER,
    "maximize": Polarity.HIGHER,
    "maksimal": Polarity.HIGHER,
    "naik": Polarity.HIGHER,
    "lower": Polarity.LOWER,
    "lower_is_better": Polarity.LOWER,
    "lebih_rendah_lebih_baik": Polarity.LOWER,
    "makin_rendah_makin_baik": Polarity.LOWER,
    "semakin_rendah_semakin_baik": Polarity.LOWER,
    "minimize": Polarity.LOWER,
    "minimal": Polarity.LOWER,
    "turun": Polarity.LOWER,
    "range": Polarity.RANGE,
    "within_a_range": Polarity.RANGE,
    "rentang": Polarity.RANGE,
    "dalam_rentang": Polarity.RANGE,
    "qualitative": Polarity.QUALITATIVE,
    "kualitatif": Polarity.QUALITATIVE,
}
POLARITY_EXPORT = {
    Polarity.HIGHER: "lebih tinggi lebih baik",
    Polarity.LOWER: "lebih rendah lebih baik",
    Polarity.RANGE: "rentang",
    Polarity.QUALITATIVE: "kualitatif",
}


def parse_polarity(value) -> str | None:
    """The polarity a word stands for, in Indonesian or English ("lebih rendah lebih baik",
    "lower", "rentang", "qualitative" …); None when it is not known."""
    key = re.sub(r"[\s\-./,]+", "_", str(value or "").strip().lower()).strip("_")
    if key in Polarity.values:
        return key
    return POLARITY_WORDS.get(key)


def _clean_aggregation(value) -> str:
    parsed = parse_aggregation(value or MinistryIndicator.Aggregation.SUM)
    if parsed is None:
        raise ValidationError({"aggregation": _("Unknown aggregation %(a)s.") % {"a": value}})
    return parsed


def _clean_polarity(value) -> str:
    parsed = parse_polarity(value or Polarity.HIGHER)
    if parsed is None:
        raise ValidationError(
            {
                "polarity": _(
                    "Unknown polarity %(p)s; use higher, lower, range or qualitative "
                    "(lebih tinggi lebih baik, lebih rendah lebih baik, rentang, kualitatif)."
                )
                % {"p": value}
            }
        )
    return parsed


def _clean_units(units) -> list[Unit] | None:
    """Units from Unit objects or ids; None leaves the responsible units as they are."""
    if units is None:
        return None
    ids = []
    for unit in units:
        pk = unit.pk if isinstance(unit, Unit) else unit
        try:
            ids.append(int(pk))
        except (TypeError, ValueError) as error:
            raise ValidationError(
                {"responsible_units": _("Not a unit: %(v)s") % {"v": unit}}
            ) from error
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise ValidationError(
            {"responsible_units": _("No unit has the id %(ids)s.") % {"ids": ", ".join(unknown)}}
        )
    return [found[pk] for pk in dict.fromkeys(ids)]


def _indicator_state(indicator: MinistryIndicator) -> dict:
    state = audit.snapshot(indicator, INDICATOR_FIELDS)
    state["responsible_units"] = sorted(indicator.responsible_units.values_list("code", flat=True))
    return state


def _clean_perspective(value) -> str:
    value = " ".join(str(value or "").split())
    if len(value) > 100:
        raise ValidationError({"perspective": _("A perspective has at most 100 characters.")})
    return value


def _clean_measure(measure, current: str = "") -> str:
    """A satuan from the list of units of measure, as the list spells it (as a plan's
    indicators, see plans.lists.check_entry). The indicator's own value stays accepted
    unchanged, even if deactivated since."""
    measure = " ".join(str(measure or "").split())
    if not measure or measure == (current or ""):
        return measure
    if len(measure) > 60:
        raise ValidationError({"measure": _("A unit of measure has at most 60 characters.")})
    found = MeasureUnit.objects.filter(name__iexact=measure).values_list("name", "is_active")
    found = list(found)
    if not found:
        raise ValidationError(
            {
                "measure": _(
                    "“%(value)s” is not on the list of units of measure. Choose one from the "
                    "list, or ask the bureau to add it."
                )
                % {"value": measure}
            }
        )
    name, active = found[0]
    if not active and name != current:
        raise ValidationError(
            {
                "measure": _(
                    "“%(value)s” has been deactivated in the list of units of measure and "
                    "cannot be chosen for new entries; choose another value."
                )
                % {"value": name}
            }
        )
    return name


@transaction.atomic
def create_indicator(
    *,
    actor,
    goal: StrategicGoal,
    code: str,
    name: str,
    measure: str = "",
    aggregation: str = MinistryIndicator.Aggregation.SUM,
    polarity: str = Polarity.HIGHER,
    perspective: str = "",
    responsible_units=None,
    sort_order: int | None = None,
) -> MinistryIndicator:
    _require(actor)
    code = _clean_code(code)
    name = _clean_text(name, "name", _("Write the indicator."))
    aggregation = _clean_aggregation(aggregation)
    polarity = _clean_polarity(polarity)
    perspective = _clean_perspective(perspective)
    units = _clean_units(responsible_units)
    measure = _clean_measure(measure)
    if MinistryIndicator.objects.filter(goal=goal, code=code).exists():
        raise ValidationError({"code": _("The goal has an indicator with this code already.")})
    if sort_order is None:
        sort_order = MinistryIndicator.objects.filter(goal=goal).count() + 1
    indicator = MinistryIndicator.objects.create(
        goal=goal,
        code=code,
        name=name,
        measure=measure,
        aggregation=aggregation,
        polarity=polarity,
        perspective=perspective,
        sort_order=sort_order,
    )
    if units:
        indicator.responsible_units.set(units)
    audit.record(
        actor=actor,
        action="ministry_indicator.created",
        obj=indicator,
        after=_indicator_state(indicator),
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
    polarity: str | None = None,
    perspective: str | None = None,
    responsible_units=None,
) -> MinistryIndicator:
    """Change an indicator; polarity, perspective and responsible units left at None keep
    their values. The targets of the indicator must suit a new polarity."""
    _require(actor)
    indicator = MinistryIndicator.objects.select_for_update().get(pk=indicator.pk)
    before = _indicator_state(indicator)
    code = _clean_code(code)
    name = _clean_text(name, "name", _("Write the indicator."))
    aggregation = _clean_aggregation(aggregation)
    units = _clean_units(responsible_units)
    clash = MinistryIndicator.objects.filter(goal_id=indicator.goal_id, code=code)
    if clash.exclude(pk=indicator.pk).exists():
        raise ValidationError({"code": _("The goal has an indicator with this code already.")})
    indicator.code, indicator.name = code, name
    indicator.measure = _clean_measure(measure, indicator.measure)
    indicator.aggregation = aggregation
    if polarity is not None:
        indicator.polarity = _clean_polarity(polarity)
    if perspective is not None:
        indicator.perspective = _clean_perspective(perspective)
    indicator.save()
    if units is not None:
        indicator.responsible_units.set(units)
    audit.record(
        actor=actor,
        action="ministry_indicator.updated",
        obj=indicator,
        before=before,
        after=_indicator_state(indicator),
    )
    return indicator


@transaction.atomic
def delete_indicator(*, actor, indicator: MinistryIndicator) -> None:
    _require(actor)
    before = _indicator_state(indicator)
    audit.record(actor=actor, action="ministry_indicator.deleted", obj=indicator, before=before)
    indicator.delete()


def _check_year(indicator: MinistryIndicator, year: int) -> int:
    period = indicator.goal.period
    try:
        year = int(year)
    except (TypeError, ValueError) as error:
        raise ValidationError({"year": _("Write the year as four digits.")}) from error
    if not period.start_year <= year <= period.end_year:
        raise ValidationError(
            {
                "year": _("The year must lie in the period %(a)s–%(b)s.")
                % {"a": period.start_year, "b": period.end_year}
            }
        )
    return year


# "-1,0 s.d. 1,0", "-1,0 - 1,0", "80–90", "1.000 sampai 2.000"
RANGE_TEXT = re.compile(
    r"^\s*(-?\s*[\d.,]+)\s*%?\s*(?:–|—|-|s\.?\s*d\.?|s/d|sampai|hingga|to)\s*(-?\s*[\d.,]+)\s*%?\s*$",
    re.IGNORECASE,
)


def parse_range(text) -> tuple[Decimal, Decimal] | None:
    """(min, max) of a range written as text, Indonesian decimal commas allowed; None when
    the text is not a range. The ends are returned as written (min may exceed max)."""
    match = RANGE_TEXT.match(str(text or ""))
    if not match:
        return None
    try:
        return (
            parse_number(match.group(1).replace(" ", "")),
            parse_number(match.group(2).replace(" ", "")),
        )
    except NumberFormatError:
        return None


def qualitative_values() -> dict[str, str]:
    """The active qualitative target values, by their lower-cased spelling."""
    return {
        " ".join(v.split()).lower(): v
        for v in QualitativeValue.objects.filter(is_active=True).values_list("value", flat=True)
    }


@dataclass
class TargetSpec:
    """A year's target after checking: a number, a range, or a qualitative value."""

    value: Decimal | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    text: str = ""

    @property
    def kind(self) -> str:
        if self.text:
            return "qualitative"
        if self.min_value is not None or self.max_value is not None:
            return "range"
        return "number" if self.value is not None else "none"


def format_target(target) -> str:
    """A ministry target as people write it: "85", "-1 s.d. 1", "WTP"."""
    if target is None:
        return ""
    if target.text:
        return target.text
    if target.min_value is not None or target.max_value is not None:
        return f"{format_number(target.min_value)} s.d. {format_number(target.max_value)}"
    return "" if target.value is None else format_number(target.value)


def clean_target(
    *, polarity: str, value=None, min_value=None, max_value=None, text="", qualitative=None
) -> TargetSpec:
    """Check one target against the indicator's polarity; ValidationError names the field.

    A number suits "higher" and "lower"; a range (both ends, min ≤ max, negatives allowed)
    suits "range" (and "higher"/"lower"); a value from the qualitative list suits
    "qualitative" only."""
    number = _number_or_none(value, "value")
    low = _number_or_none(min_value, "min_value")
    high = _number_or_none(max_value, "max_value")
    text = " ".join(str(text or "").split())
    if (low is None) != (high is None):
        raise ValidationError(
            {("max_value" if high is None else "min_value"): _("Give both ends of the range.")}
        )
    given = [v for v in (number, low, text) if v not in (None, "")]
    if len(given) > 1:
        raise ValidationError(
            {
                "value": _(
                    "Give either a number, a range (minimum and maximum) or a qualitative "
                    "value, not more than one."
                )
            }
        )
    if low is not None and low > high:
        raise ValidationError(
            {
                "max_value": _("The minimum %(a)s is above the maximum %(b)s.")
                % {"a": format_number(low), "b": format_number(high)}
            }
        )
    if text:
        if len(text) > 60:
            raise ValidationError({"text": _("A qualitative target has at most 60 characters.")})
        known = qualitative if qualitative is not None else qualitative_values()
        canonical = known.get(text.lower())
        if canonical is None:
            raise ValidationError(
                {
                    "text": _(
                        "%(v)s is not a number, a range or a value of the list of qualitative "
                        "target values; add it to the list first."
                    )
                    % {"v": text}
                }
            )
        text = canonical
    spec = TargetSpec(number, low, high, text)
    if spec.kind == "none":
        return spec
    if polarity == Polarity.QUALITATIVE and spec.kind != "qualitative":
        raise ValidationError(
            {"value": _("The indicator is qualitative: choose a value from the qualitative list.")}
        )
    if polarity != Polarity.QUALITATIVE and spec.kind == "qualitative":
        raise ValidationError(
            {
                "text": _(
                    "A qualitative target (%(v)s) needs a qualitative indicator: change the "
                    "polarity to qualitative."
                )
                % {"v": text}
            }
        )
    if polarity == Polarity.RANGE and spec.kind != "range":
        raise ValidationError(
            {"min_value": _("The indicator is judged within a range: give a minimum and maximum.")}
        )
    return spec


@transaction.atomic
def set_target(
    *,
    actor,
    indicator: MinistryIndicator,
    year: int,
    value=None,
    min_value=None,
    max_value=None,
    text: str = "",
    manual_value=None,
) -> MinistryTarget | None:
    """Set (or, with no value, range, text nor manual figure, remove) the target of a year:
    a number, a range from min_value to max_value, or a qualitative value of the list."""
    _require(actor)
    year = _check_year(indicator, year)
    spec = clean_target(
        polarity=indicator.polarity,
        value=value,
        min_value=min_value,
        max_value=max_value,
        text=text,
    )
    manual_value = _number_or_none(manual_value, "manual_value")
    existing = (
        MinistryTarget.objects.select_for_update().filter(indicator=indicator, year=year).first()
    )
    before = audit.snapshot(existing, TARGET_FIELDS) if existing else None
    if spec.kind == "none" and manual_value is None:
        if existing:
            audit.record(actor=actor, action="ministry_target.deleted", obj=existing, before=before)
            existing.delete()
        return None
    target = existing or MinistryTarget(indicator=indicator, year=year)
    target.value, target.text, target.manual_value = spec.value, spec.text, manual_value
    target.min_value, target.max_value = spec.min_value, spec.max_value
    target.save()
    audit.record(
        actor=actor,
        action="ministry_target.set",
        obj=target,
        before=before,
        after=audit.snapshot(target, TARGET_FIELDS),
    )
    return target


def split_target(raw) -> dict:
    """A target typed in one box ("85", "-1,0 s.d. 1,0", "WTP") as set_target's keywords."""
    raw = " ".join(str(raw or "").split())
    if not raw:
        return {}
    try:
        return {"value": parse_number(raw)}
    except NumberFormatError:
        pass
    bounds = parse_range(raw)
    if bounds is not None:
        return {"min_value": bounds[0], "max_value": bounds[1]}
    return {"text": raw}


@transaction.atomic
def save_indicator(
    *,
    actor,
    goal: StrategicGoal,
    indicator: MinistryIndicator | None = None,
    fields: dict,
    targets: dict[int, dict] | None = None,
) -> MinistryIndicator:
    """Create or change an indicator together with its targets (year -> set_target
    keywords), all or nothing: a polarity and the targets that must suit it are checked
    together. The years left out of `targets` keep their targets, which must suit too."""
    if indicator is None:
        indicator = create_indicator(actor=actor, goal=goal, **fields)
    else:
        indicator = update_indicator(actor=actor, indicator=indicator, **fields)
    errors: dict[str, list] = {}
    for year, spec in (targets or {}).items():
        try:
            set_target(actor=actor, indicator=indicator, year=year, **spec)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"target_{year}", []).extend(
                    f"{year}: {m}" if name != "year" else m for m in messages
                )
    for target in MinistryTarget.objects.filter(indicator=indicator).exclude(
        year__in=list((targets or {}).keys())
    ):
        try:
            clean_target(
                polarity=indicator.polarity,
                value=target.value,
                min_value=target.min_value,
                max_value=target.max_value,
                text=target.text,
                qualitative={target.text.lower(): target.text} if target.text else {},
            )
        except ValidationError as error:
            errors.setdefault(f"target_{target.year}", []).extend(
                f"{target.year}: {m}" for m in error.messages
            )
    if errors:
        raise ValidationError(errors)
    return indicator


def _number_or_none(value, name: str) -> Decimal | None:
    """A number of a target (`name`: its MinistryTarget field), read by the one number
    reading of every path (rkpk.plans.validation.parse_decimal): the field's size checked
    before any rounding, so a 38-digit number is a field error, never a server error."""
    max_digits, places = validation.bounds(MinistryTarget, name)
    try:
        return validation.parse_decimal(value, max_digits=max_digits, decimal_places=places)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None


# --- Import from XLSX ------------------------------------------------------------------------

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
REQUIRED = {"period", "goal_code", "goal_text"}
RAW_FIELDS = {"target", "manual_value"}
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


def _column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def _read_rows(sheet) -> tuple[list[dict], list[RowError], list[str]]:
    """(rows, cell errors, ignored columns) of the sheet."""
    errors: list[RowError] = []
    header = None
    indexes: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    rows = []
    for number, values in sheet.rows:
        if header is None:
            if all(importers._is_blank(v) for v in values):
                continue
            header = number
            for index, value in enumerate(values):
                if importers._is_blank(value):
                    continue
                letter = _column_letter(index)
                if isinstance(value, importers._Formula | importers._CellError):
                    ignored.append(f"{letter} ({value.text})")
                    continue
                name = re.sub(r"[\s\-.]+", "_", str(value).strip().lower()).strip("_*:")
                matched = next((f for f, _s, acc in IMPORT_COLUMNS if name in acc), None)
                if matched is None:
                    ignored.append(f"{letter} ({' '.join(str(value).split())[:60]})")
                    continue
                if matched in indexes:
                    raise ImportFileError(
                        _("The column %(name)s appears twice (columns %(a)s and %(b)s).")
                        % {
                            "name": str(value).strip(),
                            "a": _column_letter(indexes[matched]),
                            "b": letter,
                        },
                        row=number,
                        column=letter,
                    )
                shown = next(s for f, s, _a in IMPORT_COLUMNS if f == matched)
                indexes[matched] = index
                labels[matched] = f"{letter} ({shown})"
            missing = [
                shown
                for fld, shown, _acc in IMPORT_COLUMNS
                if fld in REQUIRED and fld not in indexes
            ]
            if missing:
                raise ImportFileError(
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
            if isinstance(value, str) and value.startswith("'") and value[1:2] in "=+-@\t\r":
                value = value[1:]  # the apostrophe our export puts before a formula-like text
            row[fld] = value if fld in RAW_FIELDS else _cell_text(value)
        if not bad:
            rows.append(row)
        if len(rows) > importers.MAX_DATA_ROWS:
            raise ImportFileError(
                _("The file has more than %(n)s rows.") % {"n": importers.MAX_DATA_ROWS}
            )
    if header is None:
        raise ImportFileError(_("The sheet is empty."))
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
    letter = row["labels"].get(fld, "").split(" ", 1)[0]
    return letter, next(shown for f, shown, _a in IMPORT_COLUMNS if f == fld)


def _split_codes(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,;\n]+", text or "") if c.strip()]


@transaction.atomic
def import_goals(*, actor, upload, filename: str | None = None) -> ImportSummary:
    """Read the sheet and write goals, indicators and targets — every row or none.

    Returns the summary; when it has errors nothing was written. Columns the import does
    not read are listed in `ignored_columns`. A file that cannot be read at all raises
    ImportFileError.
    """
    _require(actor)
    filename = filename or getattr(upload, "name", "") or "upload.xlsx"
    data = importers.read_bytes(upload)
    sheet = importers.read_sheet(data, filename=filename, kind=SHEET)
    rows, errors, ignored = _read_rows(sheet)
    summary = ImportSummary(errors=errors, ignored_columns=ignored)
    has_manual = any("manual_value" in r["labels"] for r in rows[:1])

    periods = {(p.start_year, p.end_year): p for p in RenstraPeriod.objects.all()}
    by_name = {p.name.strip().lower(): p for p in periods.values()}
    units_by_code = {u.code: u for u in Unit.objects.all()}
    units_by_lower = {code.lower(): u for code, u in units_by_code.items()}
    qualitative = qualitative_values()
    # Satuan and qualitative targets not on their list: reported once per value with every
    # cell that uses it, so that the bureau can add them from the report in one step.
    not_listed = lists.UnknownValues(keep=_held_values())

    def unknown_value(row, fld, slug, value, problem):
        letter, header = _place(row, fld)
        not_listed.add(
            slug, value, problem, sheet=sheet.name, row=row["row"], column=letter, header=header
        )

    def err(row, fld, message):
        summary.errors.append(RowError(sheet.name, row["row"], row["labels"].get(fld, ""), message))

    def same(spec, key, value, row, fld, what):
        """Keep an indicator's value given once; a different value in another row errs."""
        if value in (None, "", []):
            return
        if spec[key] not in (None, "", []) and spec[key] != value:
            err(
                row,
                fld,
                _("Indicator %(c)s has another %(what)s in row %(r)s.")
                % {"c": spec["code"], "what": what, "r": spec["rows"][key]},
            )
            return
        if spec[key] in (None, "", []):
            spec[key] = value
            spec["rows"][key] = row["row"]

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
            if (
                ind_name
                or row.get("year")
                or not importers._is_blank(row.get("target"))
                or row.get("polarity")
                or row.get("perspective")
                or row.get("responsible_units")
            ):
                err(row, "indicator_code", _("Give the indicator's code."))
            continue
        if len(ind_code) > 20:
            err(row, "indicator_code", _("A code has at most 20 characters."))
            continue
        ikey = (gkey, ind_code)
        spec = indicators.setdefault(
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
            spec["order"] = sum(1 for k in indicators if k[0] == gkey)
        same(spec, "name", ind_name, row, "indicator_name", _("name"))
        measure = row.get("measure", "")
        if len(measure) > 60:
            err(row, "measure", _("A unit of measure has at most 60 characters."))
        elif measure:
            found, problem = not_listed.check(lists.MEASURES, measure)
            if problem:
                unknown_value(row, "measure", lists.MEASURES, found or measure, problem)
            else:  # as the list spells it
                same(spec, "measure", found, row, "measure", _("unit of measure"))
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
            else:
                same(spec, "aggregation", aggregation, row, "aggregation", _("aggregation"))
        if row.get("polarity"):
            polarity = parse_polarity(row["polarity"])
            if polarity is None:
                err(
                    row,
                    "polarity",
                    _(
                        "Unknown polarity %(p)s; use lebih tinggi lebih baik, lebih rendah lebih "
                        "baik, rentang or kualitatif (higher, lower, range, qualitative)."
                    )
                    % {"p": row["polarity"]},
                )
            else:
                same(spec, "polarity", polarity, row, "polarity", _("polarity"))
        if row.get("perspective"):
            if len(row["perspective"]) > 100:
                err(row, "perspective", _("A perspective has at most 100 characters."))
            else:
                same(spec, "perspective", row["perspective"], row, "perspective", _("perspective"))
        if row.get("responsible_units"):
            codes = _split_codes(row["responsible_units"])
            found = [units_by_code.get(c) or units_by_lower.get(c.lower()) for c in codes]
            unknown = [c for c, u in zip(codes, found, strict=True) if u is None]
            if unknown:
                err(
                    row,
                    "responsible_units",
                    _("No unit has the code %(codes)s; write unit codes separated by commas.")
                    % {"codes": ", ".join(unknown)},
                )
            else:
                unit_codes = sorted({u.code for u in found})
                same(spec, "units", unit_codes, row, "responsible_units", _("responsible units"))
        year_text = row.get("year", "")
        target = row.get("target")
        manual_raw = row.get("manual_value")
        if not year_text:
            if not importers._is_blank(target):
                err(row, "year", _("Give the year of the target."))
            if not importers._is_blank(manual_raw):
                err(row, "year", _("Give the year of the figure entered by hand."))
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
        manual = None
        if not importers._is_blank(manual_raw):
            try:
                manual = _number_or_none(manual_raw, "manual_value")
            except ValidationError as error:
                err(row, "manual_value", error.messages[0])
                continue
        raw = {} if importers._is_blank(target) else split_target(target)
        if "text" in raw and len(raw["text"]) > 60:
            err(row, "target", _("A qualitative target has at most 60 characters."))
            continue
        targets[tkey] = {"raw": raw, "manual": manual, "row": row["row"], "rowobj": row}

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
            err(
                spec["rowobj"],
                "indicator_name",
                _("Write the name of indicator %(c)s.") % {"c": ikey[1]},
            )
    # Each target must suit its indicator's polarity (given, stored or shown by the targets).
    kinds: dict[tuple, set[str]] = {}
    for (ikey, _year), spec in targets.items():
        kinds.setdefault(ikey, set()).add(_raw_kind(spec["raw"]))
    for ikey, spec in indicators.items():
        current = existing_inds[ikey].polarity if ikey in existing_inds else None
        spec["polarity"] = _resolve_polarity(spec["polarity"], current, kinds.get(ikey, set()))
    for (ikey, _year), spec in targets.items():
        raw, known = spec["raw"], qualitative
        if (
            "text" in raw
            and indicators[ikey]["polarity"] == Polarity.QUALITATIVE
            and _could_be_listed(spec["rowobj"].get("target"), raw["text"])
        ):
            found, problem = not_listed.check(lists.QUALITATIVE, raw["text"])
            if problem:
                unknown_value(
                    spec["rowobj"], "target", lists.QUALITATIVE, found or raw["text"], problem
                )
                continue
            raw = {**raw, "text": found}
            known = {found.lower(): found}  # kept even if deactivated since
        try:
            spec["clean"] = clean_target(
                polarity=indicators[ikey]["polarity"], qualitative=known, **raw
            )
        except ValidationError as error:
            label = str(Polarity(indicators[ikey]["polarity"]).label).lower()
            for message in error.messages:
                err(
                    spec["rowobj"],
                    "target",
                    _("%(message)s (Indicator %(c)s: %(polarity)s.)")
                    % {"message": message, "c": ikey[1], "polarity": label},
                )
    # Targets already stored for years the file leaves out must suit a changed polarity.
    changed_polarity = {
        existing_inds[ikey].pk: ikey
        for ikey, spec in indicators.items()
        if ikey in existing_inds and existing_inds[ikey].polarity != spec["polarity"]
    }
    for target in MinistryTarget.objects.filter(indicator_id__in=list(changed_polarity)):
        ikey = changed_polarity[target.indicator_id]
        kind = TargetSpec(target.value, target.min_value, target.max_value, target.text).kind
        if (ikey, target.year) not in targets and not _suits(indicators[ikey]["polarity"], kind):
            err(
                indicators[ikey]["rowobj"],
                "polarity",
                _(
                    "Indicator %(c)s would become %(polarity)s but its stored target of "
                    "%(y)s (%(t)s) does not suit it; give that year's target in the file."
                )
                % {
                    "c": ikey[1],
                    "polarity": str(Polarity(indicators[ikey]["polarity"]).label).lower(),
                    "y": target.year,
                    "t": format_target(target),
                },
            )
    summary.errors.sort(key=lambda e: (e.row or 0, e.column))
    # Then each value not on its list once, with its cells (the bureau may add them).
    for group, message in not_listed.messages():
        columns = dict.fromkeys(f"{c['column']} ({c['header']})" for c in group["cells"])
        summary.errors.append(RowError(sheet.name, None, ", ".join(columns), message))
    summary.unknown_values = not_listed.result()
    if summary.errors:
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
                polarity=spec["polarity"],
                perspective=spec["perspective"],
            )
        else:
            changed = False
            for attr in ("name", "measure", "aggregation", "polarity", "perspective"):
                if spec[attr] and getattr(ind, attr) != spec[attr]:
                    setattr(ind, attr, spec[attr])
                    changed = True
            if changed:
                ind.save()
        if spec["units"] is not None:
            ind.responsible_units.set([units_by_code[c] for c in spec["units"]])
        ind_objs[ikey] = ind
        summary.indicators += 1
    current = {
        (t.indicator_id, t.year): t
        for t in MinistryTarget.objects.filter(indicator__in=list(ind_objs.values()))
    }
    new, changed = [], []
    target_fields = ["value", "min_value", "max_value", "text"]
    for (ikey, year), spec in targets.items():
        ind = ind_objs[ikey]
        clean = spec["clean"]
        target = current.get((ind.pk, year)) or MinistryTarget(indicator=ind, year=year)
        target.value, target.text = clean.value, clean.text
        target.min_value, target.max_value = clean.min_value, clean.max_value
        if has_manual:
            target.manual_value = spec["manual"]
        (changed if target.pk else new).append(target)
    MinistryTarget.objects.bulk_create(new)
    MinistryTarget.objects.bulk_update(
        changed, [*target_fields, "manual_value"] if has_manual else target_fields
    )
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
            "ignored_columns": summary.ignored_columns,
        },
    )
    return summary


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
        goals = (
            StrategicGoal.objects.filter(period=period)
            .prefetch_related("indicators__targets", "indicators__responsible_units")
            .order_by("sort_order", "code")
        )
        for goal in goals:
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
                        target = _text(format_target(t)) or None
                    sheet.append(
                        [
                            label,
                            goal.code,
                            _text(goal.text),
                            ind.code,
                            _text(ind.name),
                            _text(ind.measure),
                            ind.aggregation,
                            POLARITY_EXPORT.get(ind.polarity, ind.polarity),
                            _text(ind.perspective),
                            _text(units),
                            t.year if t else None,
                            target,
                            float(t.manual_value) if t and t.manual_value is not None else None,
                        ]
                    )
    widths = (12, 14, 60, 14, 50, 12, 12, 22, 20, 24, 8, 14, 12)
    for index, width in enumerate(widths):
        sheet.column_dimensions[_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and safe_cell(cell.value) != cell.value:
                # Text a spreadsheet could read as a formula ("-1 s.d. 1"): marked as text
                # by the cell's quote prefix, without a visible apostrophe.
                cell.quotePrefix = True
        for cell in (row[1], row[3], row[9]):
            cell.number_format = "@"
    return workbook_bytes(workbook)
