from django.http import Http404
from ninja import Router, Status

from rkpk.api import selectors
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import (
    CycleDetailOut,
    CycleIn,
    CycleOut,
    StandardDetailOut,
    StandardOut,
    StepActionIn,
    StepReturnIn,
)
from rkpk.procedure import services
from rkpk.procedure.models import CycleStep, ServiceStandard
from rkpk.procedure.selectors import CycleOverview, cycle_overview, cycles_for, standard_steps

router = Router(tags=["procedure"])


# --- Service standard ------------------------------------------------------------------------


def _standard_out(standard: ServiceStandard) -> dict:
    return {
        "version": standard.version,
        "name": standard.name,
        "notes": standard.notes,
        "created_at": standard.created_at,
        "step_count": standard.step_count,
        "total_days": standard.days_total or 0,
    }


def _standard_detail(standard: ServiceStandard | None) -> dict:
    if standard is None:
        raise Http404
    return {**_standard_out(standard), "steps": standard_steps(standard)}


@router.get("/standards", response={200: list[StandardOut], **REFUSALS})
def list_standards(request):
    """Every version of the service standard, newest first."""
    require(request, "procedure.view_standard")
    return [_standard_out(s) for s in selectors.standards_with_totals()]


@router.get("/standards/latest", response={200: StandardDetailOut, **NOT_FOUND, **REFUSALS})
def latest_standard(request):
    """The version new cycles start with."""
    require(request, "procedure.view_standard")
    return _standard_detail(selectors.standards_with_totals().first())


@router.get("/standards/{int:version}", response={200: StandardDetailOut, **NOT_FOUND, **REFUSALS})
def get_standard(request, version: int):
    require(request, "procedure.view_standard")
    return _standard_detail(selectors.standards_with_totals().filter(version=version).first())


# --- Cycles ---------------------------------------------------------------------------------


def _cycle_detail(user, overview: CycleOverview) -> dict:
    cycle = overview.cycle
    current = overview.current
    return {
        "year": cycle.year,
        "name": cycle.name,
        "status": cycle.status,
        "start_date": cycle.start_date,
        "standard_version": cycle.standard.version,
        "today": overview.today,
        "standard_end": overview.standard_end,
        "planned_end": overview.planned_end,
        "current_step": current.number if current else None,
        "steps_done": overview.done_count,
        "steps_late": overview.late_count,
        "steps": [
            {
                "number": p.step.number,
                "title_id": p.step.standard_step.title_id,
                "title_en": p.step.standard_step.title_en,
                "responsible_roles": p.step.standard_step.responsible_roles,
                "status": p.step.status,
                "planned_start": p.step.planned_start,
                "planned_end": p.step.planned_end,
                "actual_start": p.step.actual_start,
                "actual_end": p.step.actual_end,
                "timeliness": p.timeliness,
                "days_used": p.days_used,
                "days_standard": p.days_standard,
                "days_left": p.days_left,
                "days_late": p.days_late,
                "may_act": services.may_act_on(user, p.step),
                "transitions": [
                    {
                        "action": t.action,
                        "on_date": t.on_date,
                        "at": t.at,
                        "actor": t.actor.get_username(),
                        "reason": t.reason,
                    }
                    for t in p.step.transitions.all()
                ],
            }
            for p in overview.steps
        ],
    }


def _visible_cycle(user, year: int):
    cycle = cycles_for(user).filter(year=year).first()
    if cycle is None:
        raise Http404
    return cycle


@router.get("/cycles", response={200: list[CycleOut], **REFUSALS})
def list_cycles(request):
    """Every cycle, newest plan year first."""
    require(request, "procedure.view_cycle")
    return [
        {
            "year": c.year,
            "name": c.name,
            "status": c.status,
            "start_date": c.start_date,
            "standard_version": c.standard.version,
            "steps_total": c.steps_total,
            "steps_done": c.steps_done,
        }
        for c in selectors.cycles_with_counts(request.user)
    ]


@router.post("/cycles", response={201: CycleDetailOut, **REFUSALS})
def start_cycle(request, payload: CycleIn):
    """Start the cycle of a plan year with the latest service standard."""
    require(request, "procedure.start_cycle")
    cycle = services.start_cycle(
        actor=request.user, year=payload.year, start_date=payload.start_date, name=payload.name
    )
    return Status(201, _cycle_detail(request.user, cycle_overview(cycle)))


@router.get("/cycles/{int:year}", response={200: CycleDetailOut, **NOT_FOUND, **REFUSALS})
def get_cycle(request, year: int):
    """Where the cycle stands against the standard, step by step (working days)."""
    require(request, "procedure.view_cycle")
    return _cycle_detail(request.user, cycle_overview(_visible_cycle(request.user, year)))


def _advance(request, year: int, number: int, action: str, **params) -> dict:
    require(request, "procedure.view_cycle")
    cycle = _visible_cycle(request.user, year)
    step = CycleStep.objects.filter(cycle=cycle, number=number).first()
    if step is None:
        raise Http404
    # advance() checks that the user holds a role responsible for the step (403 if not).
    services.advance(actor=request.user, step=step, action=action, **params)
    cycle.refresh_from_db(fields=["status"])
    return _cycle_detail(request.user, cycle_overview(cycle))


STEP_ACTION_RESPONSES = {200: CycleDetailOut, **NOT_FOUND, **REFUSALS}


@router.post("/cycles/{int:year}/steps/{int:number}/start", response=STEP_ACTION_RESPONSES)
def start_step(request, year: int, number: int, payload: StepActionIn | None = None):
    """Start a step; the step before must be done. Answers with the replanned cycle."""
    payload = payload or StepActionIn()
    return _advance(request, year, number, services.Action.START, on_date=payload.on_date)


@router.post("/cycles/{int:year}/steps/{int:number}/complete", response=STEP_ACTION_RESPONSES)
def complete_step(request, year: int, number: int, payload: StepActionIn | None = None):
    """Complete a step in progress; completing the last step completes the cycle."""
    payload = payload or StepActionIn()
    return _advance(
        request,
        year,
        number,
        services.Action.COMPLETE,
        on_date=payload.on_date,
        reason=payload.reason,
    )


@router.post("/cycles/{int:year}/steps/{int:number}/return", response=STEP_ACTION_RESPONSES)
def return_step(request, year: int, number: int, payload: StepReturnIn):
    """Send the work of a step in progress back to an earlier step, with the reason."""
    return _advance(
        request,
        year,
        number,
        services.Action.RETURN,
        to_number=payload.to_number,
        reason=payload.reason,
        on_date=payload.on_date,
    )
