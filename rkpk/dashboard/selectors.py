"""Reads of the service dashboard: how each cycle kept to the service standard.

Terms (the standard's, DESIGN.md §3 and §4):

- *days used* of a step: working days from its planned start (the end of the step before)
  to its actual end, or to today while it runs (`rkpk.procedure.selectors.step_progress`);
  *late* when it ended (or is still running) after its planned end, *late by* the working
  days between the two.
- *share within the standard*: of the completed steps that have a standard duration (step
  11 has none), the share not late.
- *total working days* of a cycle: from its start date to the actual end of its last step,
  or to today while it runs; compared with the sum of the standard's durations (52 in the
  seeded standard).
- *late unit*: an expected unit (`rkpk.plans.monitoring.units_expected`) whose first
  submission came at least one working day after the submission deadline, or that never
  submitted; a unit that never submitted is late up to the close of monitoring (the actual
  end of step 3) or, while monitoring runs, up to today. Units can be late only once the
  call for submissions went out (step 2 done), as on the monitoring board.
- *median unit lateness*: the median of the late units' working days late (None when no
  unit was late).

Every figure of one cycle, and the comparison of all cycles, is read in a fixed number of
queries whatever the number of cycles, steps and units: the cycles, their steps, their step
transitions (one cycle only), the calendar overrides, the expected units and their plans.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import get_language

from rkpk.core.cache import cached
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.calendar import today as calendar_today
from rkpk.core.formatting import format_date_id
from rkpk.plans import monitoring
from rkpk.plans.models import Submission, UnitPlan
from rkpk.procedure.models import Cycle, CycleStep, StepTransition
from rkpk.procedure.selectors import StepProgress, Timeliness, step_progress

RETURN_ACTIONS = (StepTransition.Action.RETURN, StepTransition.Action.REOPEN)


# --- Results ------------------------------------------------------------------------------


@dataclass
class LateUnit:
    code: str
    name: str
    first_submitted: date | None  # None: never submitted
    accepted: date | None
    days_late: int

    @property
    def never(self) -> bool:
        return self.first_submitted is None


@dataclass
class ReturnNote:
    """A return (the step sent the work back) or a reopening (the work came back to it)."""

    action: str
    action_label: str
    on_date: date
    actor: str
    reason: str


@dataclass
class StepRow:
    progress: StepProgress
    returns: list[ReturnNote] = field(default_factory=list)
    completed_by: str = ""  # who completed the step (the last completion)
    late_units: list[LateUnit] = field(default_factory=list)  # the causes, from step 3 on

    @property
    def step(self) -> CycleStep:
        return self.progress.step

    @property
    def number(self) -> int:
        return self.progress.step.number

    @property
    def title(self) -> str:
        return str(self.step.standard_step.title)

    @property
    def title_id(self) -> str:
        return self.step.standard_step.title_id

    @property
    def status(self) -> str:
        return self.step.status

    @property
    def status_label(self) -> str:
        return str(self.step.get_status_display())

    @property
    def days_standard(self) -> int | None:
        return self.progress.days_standard

    @property
    def days_used(self) -> int | None:
        return self.progress.days_used

    @property
    def is_late(self) -> bool:
        return self.progress.is_late

    @property
    def days_late(self) -> int:
        return self.progress.days_late

    @property
    def timeliness(self) -> str:
        return self.progress.timeliness

    @property
    def is_done(self) -> bool:
        return self.step.status == CycleStep.Status.DONE

    @property
    def return_count(self) -> int:
        return len(self.returns)

    @property
    def within_standard(self) -> bool | None:
        """For a completed step with a standard duration: kept to it. Otherwise None."""
        if not self.is_done or self.days_standard is None:
            return None
        return not self.is_late


@dataclass
class UnitSubmissions:
    """How the expected units stand against the submission deadline: the figures the
    dashboard's late-units table and its summary sentence are both drawn from.

    Every expected unit is in exactly one of: submitted on time, submitted late, late
    without a submission (the deadline passed), not submitted yet but not late (the
    deadline has not passed, or the call has not gone out)."""

    expected: int = 0
    deadline: date | None = None
    deadline_firm: bool = False
    on_time: int = 0
    submitted_late: int = 0
    never: int = 0  # late and not submitted
    pending: int = 0  # not submitted, not late (yet)

    @property
    def submitted(self) -> int:
        return self.on_time + self.submitted_late

    @property
    def late(self) -> int:
        return self.submitted_late + self.never

    @property
    def sentence(self) -> str:
        """The summary in words, chosen from the figures (translated when read)."""
        from django.utils.translation import gettext as _

        if not self.expected:
            return _("No unit is expected to submit an RK-PK.")
        if not self.deadline_firm:
            text = _("The call for submissions has not gone out yet: no unit can be late.")
            if self.submitted:
                text += " " + _("%(n)s of %(total)s units have submitted already.") % {
                    "n": self.submitted,
                    "total": self.expected,
                }
            return text
        deadline = format_date_id(self.deadline) if self.deadline else "—"
        if self.on_time == self.expected:
            return _("Every unit submitted by the deadline (%(d)s).") % {"d": deadline}
        if not self.submitted and not self.late:
            return _("No unit has submitted yet; the deadline is %(d)s.") % {"d": deadline}
        parts = []
        for count, text in (
            (self.on_time, _("%(n)s submitted on time")),
            (self.submitted_late, _("%(n)s submitted late")),
            (self.never, _("%(n)s are late and have not submitted")),
            (self.pending, _("%(n)s have not submitted yet")),
        ):
            if count:
                parts.append(text % {"n": count})
        return _("Of %(total)s units (deadline %(d)s): %(parts)s.") % {
            "total": self.expected,
            "d": deadline,
            "parts": "; ".join(parts),
        }


@dataclass
class CycleReport:
    cycle: Cycle
    today: date
    steps: list[StepRow]
    standard_total: int  # the sum of the standard's durations (52 in the seeded standard)
    total_days: int  # working days from the start to the last actual end (or to today)
    finished: bool
    end_date: date | None  # the actual end of the last step
    deadline: date | None  # the units' submission deadline
    deadline_firm: bool  # the call for submissions went out (step 2 done)
    monitoring_closed: date | None  # the actual end of step 3
    expected_units: int
    late_units: list[LateUnit]
    submissions: UnitSubmissions = field(default_factory=UnitSubmissions)
    detailed: bool = True  # returns and who completed were read (False in the comparison)

    @property
    def year(self) -> int:
        return self.cycle.year

    @property
    def done_count(self) -> int:
        return sum(row.is_done for row in self.steps)

    @property
    def measured_count(self) -> int:
        """Completed steps that have a standard duration."""
        return sum(row.within_standard is not None for row in self.steps)

    @property
    def within_count(self) -> int:
        return sum(bool(row.within_standard) for row in self.steps)

    @property
    def share_within(self) -> float | None:
        """0..1; None before any measurable step is completed."""
        measured = self.measured_count
        return self.within_count / measured if measured else None

    @property
    def share_percent(self) -> float | None:
        share = self.share_within
        return None if share is None else round(share * 100, 1)

    @property
    def late_steps(self) -> list[StepRow]:
        return [row for row in self.steps if row.is_late]

    @property
    def late_steps_count(self) -> int:
        return len(self.late_steps)

    @property
    def days_over(self) -> int:
        """Working days beyond the standard's total (negative: under it)."""
        return self.total_days - self.standard_total

    @property
    def return_count(self) -> int:
        return sum(row.return_count for row in self.steps)

    @property
    def late_units_count(self) -> int:
        return len(self.late_units)

    @property
    def never_submitted_count(self) -> int:
        return sum(u.never for u in self.late_units)

    @property
    def median_unit_lateness(self) -> float | None:
        if not self.late_units:
            return None
        return float(statistics.median(u.days_late for u in self.late_units))

    @property
    def max_unit_lateness(self) -> int:
        return max((u.days_late for u in self.late_units), default=0)


@dataclass
class ComparisonRow:
    """One cycle (plan year) of the comparison across years."""

    year: int
    name: str
    status: str
    status_label: str
    finished: bool
    total_days: int
    standard_total: int
    share_within: float | None
    share_percent: float | None
    measured_count: int
    within_count: int
    late_steps_count: int
    late_units_count: int
    median_unit_lateness: float | None

    @classmethod
    def of(cls, report: CycleReport) -> "ComparisonRow":
        cycle = report.cycle
        return cls(
            year=cycle.year,
            name=cycle.name,
            status=cycle.status,
            status_label=str(cycle.get_status_display()),
            finished=report.finished,
            total_days=report.total_days,
            standard_total=report.standard_total,
            share_within=report.share_within,
            share_percent=report.share_percent,
            measured_count=report.measured_count,
            within_count=report.within_count,
            late_steps_count=report.late_steps_count,
            late_units_count=report.late_units_count,
            median_unit_lateness=report.median_unit_lateness,
        )


# --- Building -----------------------------------------------------------------------------


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _deadline(cycle: Cycle, call_step: CycleStep | None, cal: WorkingCalendar) -> date | None:
    """The submission deadline, from the already read step 2 (no query per cycle)."""
    if call_step is None:
        return None
    return monitoring.submission_deadline(cycle, cal, call_step=call_step)


def _late_units(
    steps: dict[int, CycleStep],
    units: list,
    plans: dict[int, dict],
    deadline: date | None,
    on: date,
    cal: WorkingCalendar,
) -> tuple[list[LateUnit], UnitSubmissions]:
    """The late units (the table) and the figures of every expected unit (the summary), in
    one pass so the two cannot disagree."""
    call = steps.get(monitoring.CALL_STEP)
    firm = not (deadline is None or call is None or call.actual_end is None)
    figures = UnitSubmissions(expected=len(units), deadline=deadline, deadline_firm=firm)
    closing = steps.get(monitoring.MONITORING_STEP)
    cutoff = closing.actual_end if closing is not None and closing.actual_end else on
    late = []
    # Many units share a submission day: count the working days once per day.
    days_after: dict[date, int] = {}
    for unit in units:
        plan = plans.get(unit.pk) or {}
        first = _local_date(plan.get("first_submitted"))
        if not firm:
            # Before the call nobody can be late: a unit has submitted, or not yet.
            if first:
                figures.on_time += 1
            else:
                figures.pending += 1
            continue
        accepted = _local_date(plan.get("accepted"))
        end = first or cutoff
        days = days_after.get(end)
        if days is None:
            days = days_after[end] = cal.count_working_days(deadline, end)
        if days > 0:
            late.append(LateUnit(unit.code, unit.name, first, accepted, days))
            if first:
                figures.submitted_late += 1
            else:
                figures.never += 1
        elif first:
            figures.on_time += 1
        else:
            figures.pending += 1
    late.sort(key=lambda u: (-u.days_late, u.code))
    return late, figures


def _returns(transitions: list[StepTransition]) -> list[ReturnNote]:
    return [
        ReturnNote(
            action=t.action,
            action_label=str(t.get_action_display()),
            on_date=t.on_date,
            actor=_person(t.actor),
            reason=t.reason,
        )
        for t in transitions
        if t.action in RETURN_ACTIONS
    ]


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _steps_by_cycle(cycles: list[Cycle]) -> dict[int, list[CycleStep]]:
    by_cycle: dict[int, list[CycleStep]] = defaultdict(list)
    for step in (
        CycleStep.objects.filter(cycle__in=[c.pk for c in cycles])
        .select_related("standard_step")
        .order_by("cycle_id", "number")
    ):
        by_cycle[step.cycle_id].append(step)
    return by_cycle


def _transitions_by_step(cycles: list[Cycle]) -> dict[int, list[StepTransition]]:
    transitions: dict[int, list[StepTransition]] = defaultdict(list)
    for t in (
        StepTransition.objects.filter(step__cycle__in=[c.pk for c in cycles])
        .select_related("actor")
        .order_by("at", "id")
    ):
        transitions[t.step_id].append(t)
    return transitions


def _plan_dates(cycles: list[Cycle], units: list) -> dict[tuple[int, int], dict]:
    """{(year, unit id): first submission and acceptance moments} of the units' plans."""
    plans: dict[tuple[int, int], dict] = {}
    for plan in (
        UnitPlan.objects.filter(year__in=[c.year for c in cycles], unit__in=[u.pk for u in units])
        .order_by()
        .values("year", "unit_id")
        .annotate(
            first_submitted=Min("submissions__submitted_at"),
            accepted=Min(
                "submissions__decided_at",
                filter=Q(submissions__decision=Submission.Decision.ACCEPTED),
            ),
        )
    ):
        plans[(plan["year"], plan["unit_id"])] = plan
    return plans


def _step_rows(steps, transitions, late_units, cal, on: date) -> list[StepRow]:
    rows = []
    for step in steps:
        row = StepRow(progress=step_progress(step, cal, on))
        mine = transitions.get(step.pk, [])
        row.returns = _returns(mine)
        completions = [t for t in mine if t.action == StepTransition.Action.COMPLETE]
        if completions and row.is_done:
            row.completed_by = _person(completions[-1].actor)
        if row.is_late and step.number >= monitoring.MONITORING_STEP:
            row.late_units = late_units
        rows.append(row)
    return rows


def _cycle_report(cycle, steps, *, transitions, units, plans, cal, on, detailed) -> CycleReport:
    numbered = {s.number: s for s in steps}
    deadline = _deadline(cycle, numbered.get(monitoring.CALL_STEP), cal)
    year_plans = {unit_id: p for (year, unit_id), p in plans.items() if year == cycle.year}
    late_units, submissions = _late_units(numbered, units, year_plans, deadline, on, cal)
    rows = _step_rows(steps, transitions, late_units, cal, on)
    last = steps[-1] if steps else None
    finished = bool(last) and last.status == CycleStep.Status.DONE
    end_date = last.actual_end if finished else None
    return CycleReport(
        cycle=cycle,
        today=on,
        steps=rows,
        standard_total=sum(s.standard_step.standard_days or 0 for s in steps),
        total_days=cal.count_working_days(cycle.start_date, end_date or on),
        finished=finished,
        end_date=end_date,
        deadline=deadline,
        deadline_firm=bool(
            numbered.get(monitoring.CALL_STEP) and numbered[monitoring.CALL_STEP].actual_end
        ),
        monitoring_closed=(
            numbered[monitoring.MONITORING_STEP].actual_end
            if monitoring.MONITORING_STEP in numbered
            else None
        ),
        expected_units=len(units),
        late_units=late_units,
        submissions=submissions,
        detailed=detailed,
    )


def _build(cycles: list[Cycle], on: date, *, detailed: frozenset[int]) -> list[CycleReport]:
    """The reports of `cycles`; those whose id is in `detailed` with their returns and who
    completed each step (their transitions are read), the others without."""
    if not cycles:
        return []
    cal = WorkingCalendar()
    by_cycle = _steps_by_cycle(cycles)
    with_detail = [c for c in cycles if c.pk in detailed]
    transitions = _transitions_by_step(with_detail) if with_detail else defaultdict(list)
    # `units_expected` does not depend on the year today; read once for every cycle.
    units = list(
        monitoring.units_expected(max(c.year for c in cycles)).order_by("sort_order", "code")
    )
    plans = _plan_dates(cycles, units)
    return [
        _cycle_report(
            cycle,
            by_cycle.get(cycle.pk, []),
            transitions=transitions,
            units=units,
            plans=plans,
            cal=cal,
            on=on,
            detailed=cycle.pk in detailed,
        )
        for cycle in cycles
    ]


# --- Entry points -------------------------------------------------------------------------


def cycles() -> list[Cycle]:
    """Every cycle, the latest plan year first."""
    return list(Cycle.objects.select_related("standard").order_by("-year"))


def latest_cycle() -> Cycle | None:
    return Cycle.objects.select_related("standard").order_by("-year").first()


def cycle_of_year(year: int) -> Cycle | None:
    return Cycle.objects.select_related("standard").filter(year=year).first()


def cycle_report(cycle: Cycle, *, on: date | None = None) -> CycleReport:
    """Every figure of one cycle: its steps against the standard, their causes, late units."""
    return _build([cycle], on or calendar_today(), detailed=frozenset({cycle.pk}))[0]


def comparison(
    *, on: date | None = None, cycle_list: list[Cycle] | None = None
) -> list[ComparisonRow]:
    """One row per cycle, the oldest plan year first."""
    chosen = cycle_list if cycle_list is not None else cycles()
    chosen = sorted(chosen, key=lambda c: c.year)
    reports = _build(chosen, on or calendar_today(), detailed=frozenset())
    return [ComparisonRow.of(r) for r in reports]


@dataclass
class Dashboard:
    report: CycleReport | None
    comparison: list[ComparisonRow]
    years: list[int]

    @property
    def cycle(self) -> Cycle | None:
        return self.report.cycle if self.report else None


def dashboard(cycle: Cycle | None, *, on: date | None = None) -> Dashboard:
    """One cycle's report with the comparison across every year (the page, the PDF).

    Every cycle is built once: the chosen one in detail, and its comparison row drawn from
    the same report (a row reads no detail)."""
    on = on or calendar_today()
    every = cycles()
    chosen = frozenset({cycle.pk}) if cycle is not None else frozenset()
    reports = _build(sorted(every, key=lambda c: c.year), on, detailed=chosen)
    report = next((r for r in reports if r.cycle.pk in chosen), None)
    if cycle is not None and report is None:  # a cycle created since `every` was read
        report = cycle_report(cycle, on=on)
    return Dashboard(
        report=report,
        comparison=[ComparisonRow.of(r) for r in reports],
        years=[c.year for c in every],
    )


def shared_dashboard(cycle: Cycle | None, *, on: date | None = None) -> Dashboard:
    """`dashboard(cycle)` kept between requests: its figures are the same for everyone who
    may see the dashboard. They depend on the day (working days so far, lateness) and hold
    translated labels, hence the key; any committed change renews the data version."""
    on = on or calendar_today()
    year = cycle.year if cycle is not None else None
    return cached(("dashboard", year, on, get_language()), lambda: dashboard(cycle, on=on))


__all__ = [
    "ComparisonRow",
    "CycleReport",
    "Dashboard",
    "LateUnit",
    "ReturnNote",
    "StepRow",
    "Timeliness",
    "UnitSubmissions",
    "comparison",
    "cycle_of_year",
    "cycle_report",
    "cycles",
    "dashboard",
    "latest_cycle",
    "shared_dashboard",
]
