from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import AuditEvent
from rkpk.procedure import selectors, services
from rkpk.procedure.models import Cycle, CycleStep, ServiceStandard, StepTransition
from rkpk.procedure.selectors import Timeliness

pytestmark = pytest.mark.django_db

START = date(2026, 1, 5)  # a Monday in the past: actual dates cannot lie ahead


@pytest.fixture
def cycle(role_users):
    return services.start_cycle(actor=role_users["staff"], year=2027, start_date=START)


def step(cycle, number) -> CycleStep:
    return CycleStep.objects.get(cycle=cycle, number=number)


def test_start_cycle_plans_every_step_on_the_working_day_calendar(cycle):
    cal = WorkingCalendar()
    steps = list(cycle.steps.select_related("standard_step").order_by("number"))
    assert len(steps) == 13
    assert steps[0].planned_start == START
    assert steps[0].planned_end == cal.add_working_days(START, 2)
    for before, after in zip(steps, steps[1:], strict=False):
        assert after.planned_start == before.planned_end
        days = after.standard_step.standard_days or 0
        assert after.planned_end == cal.add_working_days(after.planned_start, days)
    # 52 working days for the whole procedure.
    assert cal.count_working_days(START, steps[-1].planned_end) == 52
    assert AuditEvent.objects.filter(action="cycle.started", object_id=str(cycle.pk)).exists()


def test_a_cycle_keeps_the_standard_version_it_started_with(cycle, role_users):
    v1 = cycle.standard
    steps = [
        {
            "title_id": s.title_id,
            "title_en": s.title_en,
            "standard_days": (s.standard_days or 0) + 1 if s.standard_days else None,
            "responsible_roles": s.responsible_roles,
            "activities": s.activities,
        }
        for s in v1.steps.order_by("number")
    ]
    v2 = services.create_standard_version(
        actor=role_users["admin"], name=v1.name, steps=steps, notes="Semua tahap +1 hari"
    )
    assert v2.version == v1.version + 1
    cycle.refresh_from_db()
    assert cycle.standard_id == v1.pk
    assert step(cycle, 3).standard_step.standard_days == 15
    later = services.start_cycle(actor=role_users["staff"], year=2028, start_date=START)
    assert later.standard_id == v2.pk
    assert step(later, 3).standard_step.standard_days == 16


def test_only_admin_edits_the_standard(role_users):
    v1 = ServiceStandard.objects.get(version=1)
    steps = [{"title_id": "a", "title_en": "a", "responsible_roles": ["staff"]}]
    for code in ("staff", "head_of_bureau", "unit_operator", "viewer"):
        with pytest.raises(PermissionDenied):
            services.create_standard_version(actor=role_users[code], name=v1.name, steps=steps)
    assert ServiceStandard.objects.count() == 1


def test_standard_validation_names_the_step(role_users):
    steps = [
        {"title_id": "Satu", "title_en": "One", "standard_days": 2, "responsible_roles": ["staff"]},
        {"title_id": "", "title_en": "Two", "standard_days": -1, "responsible_roles": ["boss"]},
    ]
    with pytest.raises(ValidationError) as error:
        services.create_standard_version(actor=role_users["admin"], name="X", steps=steps)
    text = " ".join(error.value.messages)
    assert "Step 2" in text and "boss" in text and "Step 1" not in text
    assert ServiceStandard.objects.count() == 1


def test_advance_records_actual_dates_and_replans_later_steps(cycle, role_users):
    cal = WorkingCalendar()
    staff = role_users["staff"]
    services.advance(actor=staff, step=step(cycle, 1), action="start", on_date=START)
    late_end = cal.add_working_days(START, 4)  # two working days over the standard
    services.advance(actor=staff, step=step(cycle, 1), action="complete", on_date=late_end)
    first, second = step(cycle, 1), step(cycle, 2)
    assert first.status == CycleStep.Status.DONE
    assert (first.actual_start, first.actual_end) == (START, late_end)
    assert second.planned_start == late_end
    assert second.planned_end == cal.add_working_days(late_end, 1)
    assert cal.count_working_days(START, step(cycle, 13).planned_end) == 54
    progress = selectors.step_progress(first, cal, late_end)
    assert progress.timeliness == Timeliness.LATE and progress.days_late == 2
    assert progress.days_used == 4 and progress.days_standard == 2
    event = AuditEvent.objects.get(action="cycle_step.complete")
    assert event.before["step"]["status"] == "in_progress"
    assert event.after["step"]["status"] == "done"
    assert str(2) in event.after["replanned"]
    assert StepTransition.objects.filter(step=first).count() == 2


def test_advance_checks_the_actors_role(cycle, role_users):
    for code in ("unit_operator", "viewer", "minister", "general_bureau", "admin", "nobody"):
        with pytest.raises(PermissionDenied):
            services.advance(actor=role_users[code], step=step(cycle, 1), action="start")
    assert step(cycle, 1).status == CycleStep.Status.NOT_STARTED
    assert not AuditEvent.objects.filter(action__startswith="cycle_step").exists()
    # The deputy is responsible for step 1 (he signs the memo).
    services.advance(actor=role_users["deputy"], step=step(cycle, 1), action="start", on_date=START)


def test_steps_run_in_order(cycle, role_users):
    staff = role_users["staff"]
    with pytest.raises(ValidationError, match="completed before"):
        services.advance(actor=staff, step=step(cycle, 2), action="start", on_date=START)
    with pytest.raises(ValidationError, match="in progress"):
        services.advance(actor=staff, step=step(cycle, 1), action="complete", on_date=START)
    services.advance(actor=staff, step=step(cycle, 1), action="start", on_date=START)
    with pytest.raises(ValidationError, match="already"):
        services.advance(actor=staff, step=step(cycle, 1), action="start", on_date=START)
    with pytest.raises(ValidationError, match="future"):
        services.advance(
            actor=staff, step=step(cycle, 1), action="complete", on_date=date(2099, 1, 1)
        )


def run_to(cycle, user, number, day=START):
    for n in range(1, number):
        services.advance(actor=user, step=step(cycle, n), action="start", on_date=day)
        services.advance(actor=user, step=step(cycle, n), action="complete", on_date=day)
    services.advance(actor=user, step=step(cycle, number), action="start", on_date=day)


def test_return_reopens_an_earlier_step_and_resets_the_steps_between(cycle, make_user):
    everyone = make_user("all", "staff", "head_of_bureau", "head_of_section", "deputy")
    run_to(cycle, everyone, 5)
    with pytest.raises(ValidationError):
        services.advance(actor=everyone, step=step(cycle, 5), action="return", to_number=3)
    with pytest.raises(ValidationError):
        services.advance(
            actor=everyone, step=step(cycle, 5), action="return", to_number=7, reason="x"
        )
    services.advance(
        actor=everyone,
        step=step(cycle, 5),
        action="return",
        to_number=3,
        reason="Data unit B belum lengkap",
        on_date=START,
    )
    assert step(cycle, 3).status == CycleStep.Status.IN_PROGRESS
    assert step(cycle, 3).actual_end is None
    assert step(cycle, 4).status == step(cycle, 5).status == CycleStep.Status.NOT_STARTED
    assert step(cycle, 4).actual_start is None
    assert step(cycle, 2).status == CycleStep.Status.DONE
    event = AuditEvent.objects.get(action="cycle_step.return")
    assert event.after["reason"] == "Data unit B belum lengkap"
    assert event.after["target"]["status"] == "in_progress"


def test_completing_the_last_step_completes_the_cycle(cycle, make_user):
    everyone = make_user("all", "staff", "head_of_bureau", "head_of_section", "deputy", "minister")
    run_to(cycle, everyone, 13)
    services.advance(actor=everyone, step=step(cycle, 13), action="complete", on_date=START)
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.COMPLETED
    with pytest.raises(ValidationError, match="completed"):
        services.advance(actor=everyone, step=step(cycle, 13), action="start")


def test_timeliness_on_time_at_risk_late(cycle, role_users):
    cal = WorkingCalendar()
    services.advance(actor=role_users["staff"], step=step(cycle, 1), action="start", on_date=START)
    first = step(cycle, 1)
    assert selectors.step_progress(first, cal, START).timeliness == Timeliness.ON_TIME
    one_left = cal.add_working_days(START, 1)
    assert selectors.step_progress(first, cal, one_left).timeliness == Timeliness.AT_RISK
    over = cal.add_working_days(START, 3)
    progress = selectors.step_progress(first, cal, over)
    assert progress.timeliness == Timeliness.LATE and progress.days_late == 1
    eleven = step(cycle, 11)
    assert selectors.step_progress(eleven, cal, START).timeliness == Timeliness.NO_STANDARD


def test_duplicate_cycle_year_is_refused(cycle, role_users):
    with pytest.raises(ValidationError, match="already exists"):
        services.start_cycle(actor=role_users["staff"], year=2027, start_date=START)


def test_start_cycle_needs_a_bureau_role(role_users):
    for code in ("unit_operator", "viewer", "deputy", "minister"):
        with pytest.raises(PermissionDenied):
            services.start_cycle(actor=role_users[code], year=2030, start_date=START)
    assert not Cycle.objects.exists()
