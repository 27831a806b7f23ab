"""Cycles moved on chosen dates, and unit plans submitted on chosen days, for the dashboard.

The reference cycle (`reference_cycle`) runs from Wednesday 1 October to Friday 19 December
2025, a stretch without Indonesian holidays, through the 13 seeded steps:

| step | standard | planned end | actual end | used | late by |
|---|---|---|---|---|---|
| 1 | 2 | 3 Oct | 3 Oct | 2 | |
| 2 | 1 | 6 Oct | 8 Oct | 3 | 2 |
| 3 | 15 | 29 Oct | 31 Oct | 17 | 2 |
| 4 | 10 | 14 Nov | 12 Nov | 8 | |
| 5 | 10 | 26 Nov | 28 Nov | 12 | 2 (returned from step 6 on 27 Nov) |
| 6 | 4 | 4 Dec | 3 Dec | 3 | |
| 7 | 3 | 8 Dec | 8 Dec | 3 | |
| 8, 9 | 2 | 10, 12 Dec | 10, 12 Dec | 2 | |
| 10 | 1 | 15 Dec | 15 Dec | 1 | |
| 11 | none | 15 Dec | 17 Dec | 2 | (no standard) |
| 12, 13 | 1 | 18, 19 Dec | 18, 19 Dec | 1 | |

57 working days against 52; 12 measured steps, 9 within the standard (75 %); late: 2, 3, 5.
Submission deadline: 8 Oct + 10 working days = 22 October 2025.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from rkpk.plans import services as plan_services
from rkpk.plans.models import Submission
from rkpk.plans.tests.factories import complete_plan
from rkpk.procedure import services as procedure
from rkpk.procedure.models import Cycle, CycleStep
from rkpk.procedure.tests.factories import mover

JAKARTA = ZoneInfo("Asia/Jakarta")
RETURN_REASON = "The analysis misses two strategic goals."

REFERENCE_ENDS = {
    1: date(2025, 10, 3),
    2: date(2025, 10, 8),
    3: date(2025, 10, 31),
    4: date(2025, 11, 12),
    5: date(2025, 11, 26),
    6: date(2025, 12, 3),
    7: date(2025, 12, 8),
    8: date(2025, 12, 10),
    9: date(2025, 12, 12),
    10: date(2025, 12, 15),
    11: date(2025, 12, 17),
    12: date(2025, 12, 18),
    13: date(2025, 12, 19),
}


def _step(cycle: Cycle, number: int) -> CycleStep:
    return CycleStep.objects.select_related("standard_step").get(cycle=cycle, number=number)


def run_cycle(
    *,
    year: int,
    start: date,
    ends: dict[int, date],
    returns: dict[int, tuple[date, int, str, date]] | None = None,
) -> Cycle:
    """A cycle of `year` whose steps in `ends` are each started on the previous step's end
    (the first on `start`) and completed on their date. `returns` {step: (on, to step,
    reason, the returned-to step's new end)}: that step, once started, goes back."""
    actor = mover()
    cycle = procedure.start_cycle(actor=actor, year=year, start_date=start)
    previous_end = start
    for number in sorted(ends):
        step = procedure.advance(
            actor=actor, step=_step(cycle, number), action="start", on_date=previous_end
        )
        if returns and number in returns:
            on, target, reason, target_end = returns[number]
            procedure.advance(
                actor=actor,
                step=step,
                action="return",
                to_number=target,
                reason=reason,
                on_date=on,
            )
            procedure.advance(
                actor=actor, step=_step(cycle, target), action="complete", on_date=target_end
            )
            step = procedure.advance(
                actor=actor, step=_step(cycle, number), action="start", on_date=target_end
            )
        procedure.advance(actor=actor, step=step, action="complete", on_date=ends[number])
        previous_end = ends[number]
    cycle.refresh_from_db()
    return cycle


def reference_cycle(year: int = 2026) -> Cycle:
    return run_cycle(
        year=year,
        start=date(2025, 10, 1),
        ends=REFERENCE_ENDS,
        returns={6: (date(2025, 11, 27), 5, RETURN_REASON, date(2025, 11, 28))},
    )


def submitted_plan(unit, year: int, operator, *, on: date, accepted_on: date | None = None):
    """A plan of `unit` first submitted on `on` (and accepted on `accepted_on`)."""
    plan = complete_plan(unit, year)
    submission = plan_services.submit(actor=operator, plan=plan)
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=datetime(on.year, on.month, on.day, 9, 30, tzinfo=JAKARTA)
    )
    if accepted_on is not None:
        plan_services.accept(actor=mover(), plan=plan)
        Submission.objects.filter(pk=submission.pk).update(
            decided_at=datetime(
                accepted_on.year, accepted_on.month, accepted_on.day, 14, 0, tzinfo=JAKARTA
            )
        )
    return plan
