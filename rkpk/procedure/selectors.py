"""Reads of the procedure: where a cycle stands against the standard."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from rkpk.core.calendar import WorkingCalendar, today
from rkpk.organisation import roles
from rkpk.procedure.models import Cycle, CycleStep, ServiceStandard, StandardStep, StepTransition


class Timeliness:
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    LATE = "late"
    NOT_DUE = "not_due"  # not started and its planned window has not ended
    NO_STANDARD = "no_standard"  # the standard sets no duration (step 11)


@dataclass
class StepProgress:
    step: CycleStep
    timeliness: str
    days_used: int | None  # working days since the planned start (to the end, or to today)
    days_standard: int | None
    days_left: int | None  # working days to the planned end (negative when late)

    @property
    def number(self) -> int:
        return self.step.number

    @property
    def is_late(self) -> bool:
        return self.timeliness == Timeliness.LATE

    @property
    def days_late(self) -> int:
        return -self.days_left if self.is_late and self.days_left is not None else 0


def step_progress(step: CycleStep, cal: WorkingCalendar, on: date) -> StepProgress:
    days_standard = step.standard_step.standard_days
    status = step.status
    if status == CycleStep.Status.DONE:
        used = cal.count_working_days(step.planned_start, step.actual_end)
        left = cal.count_working_days(step.actual_end, step.planned_end)
        late = step.actual_end > step.planned_end
    elif status == CycleStep.Status.IN_PROGRESS:
        used = cal.count_working_days(step.planned_start, on)
        left = cal.count_working_days(on, step.planned_end)
        late = on > step.planned_end
    else:
        used = None
        left = cal.count_working_days(on, step.planned_end)
        late = on > step.planned_end
    if days_standard is None:
        timeliness = Timeliness.NO_STANDARD
    elif late:
        timeliness = Timeliness.LATE
    elif status == CycleStep.Status.NOT_STARTED:
        timeliness = Timeliness.NOT_DUE
    elif status == CycleStep.Status.IN_PROGRESS and left <= 1:
        timeliness = Timeliness.AT_RISK
    else:
        timeliness = Timeliness.ON_TIME
    return StepProgress(step, timeliness, used, days_standard, left)


def cycle_steps(cycle: Cycle) -> list[CycleStep]:
    return list(
        cycle.steps.select_related("standard_step")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=StepTransition.objects.select_related("actor").order_by("at", "id"),
            )
        )
        .order_by("number")
    )


@dataclass
class CycleOverview:
    cycle: Cycle
    steps: list[StepProgress]
    today: date
    standard_end: date  # the end of the whole procedure had every step kept to the standard

    @property
    def current(self) -> StepProgress | None:
        for progress in self.steps:
            if progress.step.status != CycleStep.Status.DONE:
                return progress
        return None

    @property
    def done_count(self) -> int:
        return sum(p.step.status == CycleStep.Status.DONE for p in self.steps)

    @property
    def late_count(self) -> int:
        return sum(p.is_late for p in self.steps)

    @property
    def planned_end(self) -> date | None:
        return self.steps[-1].step.planned_end if self.steps else None

    @property
    def first_date(self) -> date:
        return self.cycle.start_date

    @property
    def last_date(self) -> date:
        dates = [self.cycle.start_date, self.today]
        for p in self.steps:
            dates.extend(d for d in (p.step.planned_end, p.step.actual_end) if d)
        return max(dates)


def cycle_overview(cycle: Cycle, on: date | None = None) -> CycleOverview:
    cal = WorkingCalendar()
    on = on or today()
    steps = cycle_steps(cycle)
    total = sum(s.standard_step.standard_days or 0 for s in steps)
    return CycleOverview(
        cycle=cycle,
        steps=[step_progress(s, cal, on) for s in steps],
        today=on,
        standard_end=cal.add_working_days(cycle.start_date, total),
    )


def cycles_for(user):
    """Every user who holds a role follows the cycles (units too: they see where it stands)."""
    if not roles.assignments(user):
        return Cycle.objects.none()
    return Cycle.objects.select_related("standard").order_by("-year")


def current_cycle() -> Cycle | None:
    return (
        Cycle.objects.filter(status=Cycle.Status.ACTIVE).order_by("-year").first()
        or Cycle.objects.order_by("-year").first()
    )


def latest_standard() -> ServiceStandard | None:
    return ServiceStandard.objects.order_by("-version").first()


def standard_steps(standard: ServiceStandard) -> list[StandardStep]:
    return list(standard.steps.order_by("number"))


def work_for(user) -> tuple[list[StepProgress], list[StepProgress]]:
    """(open, coming) steps of active cycles for the user's roles.

    Open: the first unfinished step of a cycle, when the user may do it. Coming: later
    steps the user will have to do, with their planned windows.
    """
    # Roles held, and those the user acts for today (Plt/Plh).
    held = roles.role_names(user) | set(roles.acting_roles(user))
    if not held:
        return [], []
    cal = WorkingCalendar()
    on = today()
    steps = (
        CycleStep.objects.filter(cycle__status=Cycle.Status.ACTIVE)
        .exclude(status=CycleStep.Status.DONE)
        .select_related("standard_step", "cycle")
        .order_by("cycle__year", "number")
    )
    open_steps, coming = [], []
    seen_cycles = set()
    for step in steps:
        first_of_cycle = step.cycle_id not in seen_cycles
        seen_cycles.add(step.cycle_id)
        if not held & set(step.standard_step.responsible_roles):
            continue
        (open_steps if first_of_cycle else coming).append(step_progress(step, cal, on))
    return open_steps, coming


def open_steps_for(user) -> list[StepProgress]:
    return work_for(user)[0]


# Where the work of each step is done is known to the apps that own those pages: each
# registers, in its `apps.py` `ready()`, a function of the cycle giving
# {step number: (url, label)} for its steps (keyed by number: an edited standard keeps the
# seed's numbering).
_workplaces: list[Callable[[Cycle], dict[int, tuple[str, str]]]] = []


def register_workplaces(provider: Callable[[Cycle], dict[int, tuple[str, str]]]) -> None:
    if provider not in _workplaces:
        _workplaces.append(provider)


def workplaces(cycle: Cycle) -> dict[int, tuple[str, str]]:
    """{step number: (url, label)}: the page where the work of each step is done."""
    found = {}
    for provider in _workplaces:
        found.update(provider(cycle))
    return found
