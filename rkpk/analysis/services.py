"""The writes of the analysis app: strategic goals and their ministry indicators and targets
(edited one by one or imported from a sheet), and the compilation of a year.

Every write is keyword-only with the actor first, runs in one transaction, checks the
actor's permission by its named rule and records an audit event. The drafts and the goal
mappings have their own writes (`services_drafts`, `services_mapping`).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rkpk.analysis import goal_import, goals
from rkpk.analysis.compilation import build_data
from rkpk.analysis.models import (
    Compilation,
    MinistryIndicator,
    MinistryTarget,
    RenstraPeriod,
    StrategicGoal,
)
from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.plans.services import ConflictError as PlanConflictError

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
    require(actor, MANAGE, message=_("Only an administrator edits the strategic goals."))


# --- Periods ---------------------------------------------------------------------------


@transaction.atomic
def create_period(*, actor, name: str, start_year: int, end_year: int) -> RenstraPeriod:
    _require(actor)
    name = goals.clean_text(name, "name", _("Give the period a name."))[:100]
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
    code = goals.clean_code(code)
    text = goals.clean_text(text, "text", _("Write the goal."))
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
    code = goals.clean_code(code)
    text = goals.clean_text(text, "text", _("Write the goal."))
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


def _indicator_state(indicator: MinistryIndicator) -> dict:
    state = audit.snapshot(indicator, INDICATOR_FIELDS)
    state["responsible_units"] = sorted(indicator.responsible_units.values_list("code", flat=True))
    return state


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
    code = goals.clean_code(code)
    name = goals.clean_text(name, "name", _("Write the indicator."))
    aggregation = goals.clean_aggregation(aggregation)
    polarity = goals.clean_polarity(polarity)
    perspective = goals.clean_perspective(perspective)
    units = goals.clean_units(responsible_units)
    measure = goals.clean_measure(measure)
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
    code = goals.clean_code(code)
    name = goals.clean_text(name, "name", _("Write the indicator."))
    aggregation = goals.clean_aggregation(aggregation)
    units = goals.clean_units(responsible_units)
    clash = MinistryIndicator.objects.filter(goal_id=indicator.goal_id, code=code)
    if clash.exclude(pk=indicator.pk).exists():
        raise ValidationError({"code": _("The goal has an indicator with this code already.")})
    indicator.code, indicator.name = code, name
    indicator.measure = goals.clean_measure(measure, indicator.measure)
    indicator.aggregation = aggregation
    if polarity is not None:
        indicator.polarity = goals.clean_polarity(polarity)
    if perspective is not None:
        indicator.perspective = goals.clean_perspective(perspective)
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
    year = goals.check_year(indicator, year)
    spec = goals.clean_target(
        polarity=indicator.polarity,
        value=value,
        min_value=min_value,
        max_value=max_value,
        text=text,
    )
    manual_value = goals.number_or_none(manual_value, "manual_value")
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
            goals.clean_target(
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


# --- Import of the goals sheet -----------------------------------------------------------


@transaction.atomic
def import_goals(*, actor, upload, filename: str | None = None) -> goal_import.ImportSummary:
    """Read the sheet and write goals, indicators and targets — every row or none.

    Returns the summary; when it has errors nothing was written. Columns the import does
    not read are listed in `ignored_columns`. A file that cannot be read at all raises
    ImportFileError.
    """
    _require(actor)
    filename = filename or getattr(upload, "name", "") or "upload.xlsx"
    sheet = goal_import.check_upload(upload, filename=filename)
    summary = sheet.summary
    if summary.errors:
        return summary
    periods = _import_periods(sheet)
    goal_objs = _import_goals(sheet, periods)
    indicator_objs = _import_indicators(sheet, goal_objs)
    _import_targets(sheet, indicator_objs)
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


def _import_periods(sheet: goal_import.GoalSheet) -> dict[tuple, RenstraPeriod]:
    periods = dict(sheet.periods)
    for key in {g[0] for g in sheet.goals}:
        if key not in periods:
            periods[key] = RenstraPeriod.objects.create(
                name=f"Renstra {key[0]}–{key[1]}", start_year=key[0], end_year=key[1]
            )
            sheet.summary.periods += 1
    return periods


def _import_goals(sheet: goal_import.GoalSheet, periods: dict) -> dict[tuple, StrategicGoal]:
    goal_objs = {}
    for gkey, spec in sheet.goals.items():
        goal = sheet.existing_goals.get(gkey)
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
        sheet.summary.goals += 1
    return goal_objs


def _import_indicators(
    sheet: goal_import.GoalSheet, goal_objs: dict
) -> dict[tuple, MinistryIndicator]:
    indicator_objs = {}
    for ikey, spec in sheet.indicators.items():
        indicator = sheet.existing_indicators.get(ikey)
        if indicator is None:
            indicator = MinistryIndicator.objects.create(
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
                if spec[attr] and getattr(indicator, attr) != spec[attr]:
                    setattr(indicator, attr, spec[attr])
                    changed = True
            if changed:
                indicator.save()
        if spec["units"] is not None:
            indicator.responsible_units.set([sheet.units_by_code[c] for c in spec["units"]])
        indicator_objs[ikey] = indicator
        sheet.summary.indicators += 1
    return indicator_objs


def _import_targets(sheet: goal_import.GoalSheet, indicator_objs: dict) -> None:
    current = {
        (t.indicator_id, t.year): t
        for t in MinistryTarget.objects.filter(indicator__in=list(indicator_objs.values()))
    }
    new, changed = [], []
    target_fields = ["value", "min_value", "max_value", "text"]
    for (ikey, year), spec in sheet.targets.items():
        indicator = indicator_objs[ikey]
        clean = spec["clean"]
        target = current.get((indicator.pk, year)) or MinistryTarget(indicator=indicator, year=year)
        target.value, target.text = clean.value, clean.text
        target.min_value, target.max_value = clean.min_value, clean.max_value
        if sheet.has_manual:
            target.manual_value = spec["manual"]
        (changed if target.pk else new).append(target)
    MinistryTarget.objects.bulk_create(new)
    MinistryTarget.objects.bulk_update(
        changed, [*target_fields, "manual_value"] if sheet.has_manual else target_fields
    )
    sheet.summary.targets = len(sheet.targets)


# --- Compilation ----------------------------------------------------------------------


class ConflictError(PlanConflictError):
    """Two compilations of the same year at the same moment: one of them must retry.
    (A plans ConflictError, so the API answers it with 409 like every conflict.)"""


@transaction.atomic
def compile_year(*, actor, year: int) -> Compilation:
    """Compile a new version of the ministry RK-PK of `year`; earlier versions are kept.

    Allowed while units are missing: they are recorded with a warning."""
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("The plan year must be between 2000 and 2100."))
    data, missing, warnings = build_data(int(year))
    number = (Compilation.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            compilation = Compilation.objects.create(
                year=year,
                number=number,
                data=audit.to_json(data),
                missing_units=missing,
                warnings=warnings,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as error:
        raise ConflictError(
            _("Another compilation of %(year)s was saved meanwhile. Compile again.")
            % {"year": year}
        ) from error
    audit.record(
        actor=actor,
        action="analysis.compile",
        obj=compilation,
        after={
            "year": year,
            "number": number,
            "counts": data["counts"],
            "missing_units": [u["code"] for u in missing],
            "warnings": warnings,
        },
    )
    return compilation
