"""Writes of the procedure: service-standard versions, cycles and `advance()`.

`advance()` is the only way a cycle moves: it checks the actor's role, records the
actual dates, recomputes the planned dates of the later steps and writes the audit
events, all in one transaction.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.calendar import WorkingCalendar, today
from rkpk.organisation.models import Role
from rkpk.procedure.models import Cycle, CycleStep, ServiceStandard, StandardStep, StepTransition

STEP_AUDIT_FIELDS = [
    "number",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
]


# --- Service standard --------------------------------------------------------------------


def _clean_steps(steps: list[dict]) -> list[dict]:
    if not steps:
        raise ValidationError(_("A standard needs at least one step."))
    valid_roles = set(Role.values)
    cleaned, errors = [], []
    for index, raw in enumerate(steps, start=1):
        title_id = (raw.get("title_id") or "").strip()
        title_en = (raw.get("title_en") or "").strip()
        days = raw.get("standard_days")
        step_roles = [r for r in (raw.get("responsible_roles") or []) if r]
        activities = [a.strip() for a in (raw.get("activities") or []) if a and a.strip()]
        if not title_id or not title_en:
            errors.append(_("Step %(n)s: both titles are required.") % {"n": index})
        if days not in (None, "") and (not isinstance(days, int) or days < 0 or days > 365):
            errors.append(
                _("Step %(n)s: working days must be a whole number from 0 to 365, or empty.")
                % {"n": index}
            )
        unknown = set(step_roles) - valid_roles
        if unknown:
            errors.append(
                _("Step %(n)s: unknown role(s) %(roles)s.")
                % {"n": index, "roles": ", ".join(sorted(unknown))}
            )
        if not step_roles:
            errors.append(_("Step %(n)s: name at least one responsible role.") % {"n": index})
        cleaned.append(
            {
                "number": index,
                "title_id": title_id[:300],
                "title_en": title_en[:300],
                "standard_days": None if days in (None, "") else days,
                "responsible_roles": step_roles,
                "activities": activities,
                "done_when": (raw.get("done_when") or "").strip()[:300],
            }
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_standard_version(
    *, actor, name: str, steps: list[dict], notes: str = "", check_permission: bool = True
) -> ServiceStandard:
    """Save an edited standard as the next version. Cycles keep the version they started with."""
    if check_permission and not actor.has_perm("procedure.manage_standard"):
        raise PermissionDenied(_("Only an administrator edits the service standard."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("The standard needs a name.")})
    cleaned = _clean_steps(steps)
    last = ServiceStandard.objects.select_for_update().order_by("-version").first()
    standard = ServiceStandard.objects.create(
        version=(last.version + 1) if last else 1,
        name=name[:300],
        notes=notes,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    StandardStep.objects.bulk_create(StandardStep(standard=standard, **s) for s in cleaned)
    audit.record(
        actor=actor,
        action="standard.version_created",
        obj=standard,
        before={"version": last.version} if last else None,
        after={
            "version": standard.version,
            "name": standard.name,
            "notes": notes,
            "steps": cleaned,
        },
    )
    return standard


# --- Cycles --------------------------------------------------------------------------------


def _replan(steps: list[CycleStep], start_date: date, cal: WorkingCalendar) -> dict:
    """Give every step its planned window; return the windows that changed.

    A step is planned to start when the step before it ended (actually, when done;
    otherwise as planned) and to end `standard_days` working days later.
    """
    changed = {}
    anchor = start_date
    for step in steps:
        days = step.standard_step.standard_days or 0
        start, end = anchor, cal.add_working_days(anchor, days)
        if (step.planned_start, step.planned_end) != (start, end):
            changed[step.number] = [start.isoformat(), end.isoformat()]
            step.planned_start, step.planned_end = start, end
        anchor = step.actual_end if step.status == CycleStep.Status.DONE else step.planned_end
    return changed


@transaction.atomic
def start_cycle(
    *, actor, year: int, start_date: date, standard: ServiceStandard | None = None, name: str = ""
) -> Cycle:
    if not actor.has_perm("procedure.start_cycle"):
        raise PermissionDenied(_("You may not start a planning cycle."))
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Give a plan year between 2000 and 2100.")})
    if Cycle.objects.filter(year=year).exists():
        raise ValidationError({"year": _("A cycle for %(year)s already exists.") % {"year": year}})
    standard = standard or ServiceStandard.objects.order_by("-version").first()
    if standard is None:
        raise ValidationError(_("No service standard is defined."))
    cycle = Cycle.objects.create(
        year=year,
        name=name.strip() or f"RK-PK {year}",
        standard=standard,
        start_date=start_date,
        created_by=actor,
    )
    steps = [CycleStep(cycle=cycle, standard_step=s, number=s.number) for s in standard.steps.all()]
    _replan(steps, start_date, WorkingCalendar())
    CycleStep.objects.bulk_create(steps)
    audit.record(
        actor=actor,
        action="cycle.started",
        obj=cycle,
        after={
            "year": cycle.year,
            "name": cycle.name,
            "standard_version": standard.version,
            "start_date": start_date.isoformat(),
            "plan": {
                s.number: [s.planned_start.isoformat(), s.planned_end.isoformat()] for s in steps
            },
        },
    )
    return cycle


class Action:
    START = "start"
    COMPLETE = "complete"
    RETURN = "return"
    ALL = (START, COMPLETE, RETURN)


def may_act_on(user, step: CycleStep) -> bool:
    """Holding one of the step's roles, or acting for its holder (Plt/Plh)."""
    return user.has_perm("procedure.act_on_step", step)


def complete_step(*, actor, cycle: Cycle, number: int, reason: str) -> CycleStep | None:
    """Start the step when it has not started, then complete it, through `advance()`.

    For the work that finishes a step (a report filed, a draft approved, a document
    signed). A step already done is left alone (None); errors of `advance()` propagate.
    """
    step = (
        CycleStep.objects.select_related("standard_step").filter(cycle=cycle, number=number).first()
    )
    if step is None or step.status == CycleStep.Status.DONE:
        return None
    if step.status == CycleStep.Status.NOT_STARTED:
        step = advance(actor=actor, step=step, action=Action.START)
    return advance(actor=actor, step=step, action=Action.COMPLETE, reason=reason)


def _locked_cycle(cycle_id: int) -> tuple[Cycle, list[CycleStep]]:
    """The cycle, locked for the rest of the transaction, and its steps in order."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
    steps = list(
        CycleStep.objects.filter(cycle=cycle).select_related("standard_step").order_by("number")
    )
    return cycle, steps


def _check_may_move(actor, cycle: Cycle, step: CycleStep) -> None:
    if not may_act_on(actor, step):
        raise PermissionDenied(
            _("Step %(n)s is the work of: %(roles)s.")
            % {
                "n": step.number,
                "roles": ", ".join(
                    str(Role(r).label) for r in step.standard_step.responsible_roles
                ),
            }
        )
    if cycle.status != Cycle.Status.ACTIVE:
        raise ValidationError(_("This cycle is completed; it cannot move any more."))


def _action_date(on_date: date | None) -> date:
    """The actual date to record: the given one, or today; never in the future."""
    day = on_date or today()
    if day > today():
        raise ValidationError(_("The date cannot lie in the future."))
    return day


def _start(
    *, actor, step: CycleStep, previous: CycleStep | None, day: date, now
) -> list[StepTransition]:
    """Start `step` once the step before it is done, not before that step ended."""
    if step.status != CycleStep.Status.NOT_STARTED:
        raise ValidationError(_("Step %(n)s has already been started.") % {"n": step.number})
    if previous is not None and previous.status != CycleStep.Status.DONE:
        raise ValidationError(
            _("Step %(p)s must be completed before step %(n)s starts.")
            % {"p": previous.number, "n": step.number}
        )
    earliest = previous.actual_end if previous is not None else None
    if earliest and day < earliest:
        raise ValidationError(
            _("Step %(n)s cannot start before step %(p)s ended (%(d)s).")
            % {"n": step.number, "p": previous.number, "d": earliest.isoformat()}
        )
    step.status = CycleStep.Status.IN_PROGRESS
    step.actual_start, step.started_at = day, now
    return [StepTransition(step=step, action=Action.START, actor=actor, at=now, on_date=day)]


def _complete(
    *, actor, cycle: Cycle, step: CycleStep, is_last: bool, day: date, now, reason: str
) -> list[StepTransition]:
    """Complete the step in progress; completing the last step completes the cycle."""
    if step.status != CycleStep.Status.IN_PROGRESS:
        raise ValidationError(
            _("Only a step in progress can be completed; step %(n)s is %(s)s.")
            % {"n": step.number, "s": step.get_status_display()}
        )
    if day < step.actual_start:
        raise ValidationError(_("A step cannot end before it started."))
    step.status = CycleStep.Status.DONE
    step.actual_end, step.completed_at = day, now
    transitions = [
        StepTransition(
            step=step, action=Action.COMPLETE, actor=actor, at=now, on_date=day, reason=reason
        )
    ]
    if is_last:
        cycle.status = Cycle.Status.COMPLETED
        cycle.save(update_fields=["status"])
    return transitions


def _return_target(
    *, step: CycleStep, by_number: dict, to_number: int | None, reason: str
) -> CycleStep:
    """The earlier step a step in progress goes back to, with the reason required."""
    if step.status != CycleStep.Status.IN_PROGRESS:
        raise ValidationError(_("Only a step in progress can be returned."))
    if not reason:
        raise ValidationError({"reason": _("Say why the work goes back.")})
    if to_number is None or to_number not in by_number or to_number >= step.number:
        raise ValidationError({"to_number": _("Choose an earlier step to return to.")})
    return by_number[to_number]


def _reopen(
    *, actor, steps: list[CycleStep], step: CycleStep, target: CycleStep, day: date, now, reason
) -> tuple[list[StepTransition], list[CycleStep]]:
    """Reopen `target` and reset the steps after it up to `step`; return the transitions
    and the steps changed (in the order they were changed)."""
    transitions = [
        StepTransition(
            step=step, action=Action.RETURN, actor=actor, at=now, on_date=day, reason=reason
        ),
        StepTransition(
            step=target,
            action=StepTransition.Action.REOPEN,
            actor=actor,
            at=now,
            on_date=day,
            reason=reason,
        ),
    ]
    changed = []
    for other in steps:
        if target.number < other.number <= step.number:
            other.status = CycleStep.Status.NOT_STARTED
            other.actual_start = other.actual_end = other.started_at = other.completed_at = None
            changed.append(other)
    target.status = CycleStep.Status.IN_PROGRESS
    target.actual_end = target.completed_at = None
    changed.append(target)
    return transitions, changed


def _replan_and_save(
    cycle: Cycle,
    steps: list[CycleStep],
    touched: list[CycleStep],
    transitions: list[StepTransition],
) -> dict:
    """Replan the steps, save those touched or replanned and the transitions; return
    the planned windows that changed."""
    replanned = _replan(steps, cycle.start_date, WorkingCalendar())
    touched.extend(s for s in steps if s.number in replanned and s not in touched)
    CycleStep.objects.bulk_update(
        touched,
        [
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "started_at",
            "completed_at",
        ],
    )
    StepTransition.objects.bulk_create(transitions)
    return replanned


@transaction.atomic
def advance(
    *,
    actor,
    step: CycleStep,
    action: str,
    reason: str = "",
    to_number: int | None = None,
    on_date: date | None = None,
) -> CycleStep:
    """Start, complete or return a step of a cycle — the only way a cycle moves.

    `on_date` (default: today in Asia/Jakarta) is the date recorded as the actual
    date; it cannot lie in the future or before the step's previous actual date.
    Returning sends the cycle back from this in-progress step to an earlier step,
    which is reopened; the steps between are reset to not started.
    """
    if action not in Action.ALL:
        raise ValidationError(_("Unknown action %(action)s.") % {"action": action})
    cycle, steps = _locked_cycle(step.cycle_id)
    by_number = {s.number: s for s in steps}
    step = by_number[step.number]
    _check_may_move(actor, cycle, step)
    day = _action_date(on_date)
    now = timezone.now()
    before = {"step": audit.snapshot(step, STEP_AUDIT_FIELDS)}
    touched = [step]
    reason = (reason or "").strip()

    if action == Action.START:
        previous = by_number.get(step.number - 1)
        transitions = _start(actor=actor, step=step, previous=previous, day=day, now=now)
    elif action == Action.COMPLETE:
        is_last = step.number == steps[-1].number
        transitions = _complete(
            actor=actor, cycle=cycle, step=step, is_last=is_last, day=day, now=now, reason=reason
        )
    else:  # RETURN
        target = _return_target(step=step, by_number=by_number, to_number=to_number, reason=reason)
        before["target"] = audit.snapshot(target, STEP_AUDIT_FIELDS)
        transitions, changed = _reopen(
            actor=actor, steps=steps, step=step, target=target, day=day, now=now, reason=reason
        )
        touched.extend(changed)

    replanned = _replan_and_save(cycle, steps, touched, transitions)
    after = {"step": audit.snapshot(step, STEP_AUDIT_FIELDS), "replanned": replanned}
    if action == Action.RETURN:
        after["target"] = audit.snapshot(by_number[to_number], STEP_AUDIT_FIELDS)
        after["reason"] = reason
    audit.record(actor=actor, action=f"cycle_step.{action}", obj=step, before=before, after=after)
    return step
