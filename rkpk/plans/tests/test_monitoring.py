"""The monitoring selectors: expected units, the deadline, the board rows, the forecast."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from rkpk.core import audit
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import CalendarOverride
from rkpk.organisation.models import Unit
from rkpk.plans import monitoring
from rkpk.plans.models import Message, ReminderLog, Submission, UnitPlan
from rkpk.procedure import services
from rkpk.procedure.lateness import lateness_forecast
from rkpk.procedure.models import CycleStep

pytestmark = pytest.mark.django_db

# September to November 2026 hold no national holiday: the counts below are weekdays only.
CALL_DAY = date(2026, 9, 3)  # a Thursday: step 2 (the call for submissions) done
DEADLINE = date(2026, 9, 17)  # CALL_DAY + 10 working days
S = UnitPlan.Status


# --- helpers shared by the monitoring and reminder tests --------------------------------


def open_cycle(actor, *, year=2027, call_on=CALL_DAY, dispatched=True, submission_days=10):
    """A cycle whose steps 1 and 2 are done, step 2 (the call) on `call_on`."""
    start = call_on - timedelta(days=1)
    cycle = services.start_cycle(actor=actor, year=year, start_date=start)
    if submission_days != 10:
        cycle.submission_days = submission_days
        cycle.save(update_fields=["submission_days"])
    steps = {s.number: s for s in CycleStep.objects.filter(cycle=cycle)}
    services.advance(actor=actor, step=steps[1], action="start", on_date=start)
    services.advance(actor=actor, step=steps[1], action="complete", on_date=start)
    if dispatched:
        services.advance(actor=actor, step=steps[2], action="start", on_date=call_on)
        services.advance(actor=actor, step=steps[2], action="complete", on_date=call_on)
    cycle.refresh_from_db()
    return cycle


def make_plan(unit, status=S.DRAFT, *, year=2027, updated_at=None):
    plan = UnitPlan.objects.create(unit=unit, year=year, status=status)
    if updated_at is not None:
        UnitPlan.objects.filter(pk=plan.pk).update(updated_at=updated_at)
        plan.refresh_from_db()
    return plan


def add_submission(plan, user, *, number=1, at=None, checks=(), decision="pending", **fields):
    return Submission.objects.create(
        plan=plan,
        number=number,
        snapshot={"version": 1},
        checks=list(checks),
        submitted_by=user,
        submitted_at=at or timezone.now(),
        decision=decision,
        **fields,
    )


def moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def check(code, passed, severity="error"):
    return {"code": code, "passed": passed, "severity": severity}


# --- expected units and the deadline -----------------------------------------------------


def test_expected_units_are_the_active_eselon_i_and_ii_units(units):
    Unit.objects.create(code="E1.A.1", name="Bagian", level=3, parent=units["a"])
    Unit.objects.create(
        code="E1.C", name="Biro lama", level=2, parent=units["root"], is_active=False
    )
    codes = set(monitoring.units_expected(2027).values_list("code", flat=True))
    assert codes == {"E1", "E1.A", "E1.B"}


def test_the_deadline_counts_working_days_from_the_dispatch_of_the_call(role_users):
    cycle = open_cycle(role_users["staff"])
    assert monitoring.submission_deadline(cycle) == DEADLINE
    # A day closed by decree moves the deadline by one working day.
    CalendarOverride.objects.create(
        date=date(2026, 9, 10), kind=CalendarOverride.Kind.CLOSED, reason="SKB"
    )
    assert monitoring.submission_deadline(cycle) == date(2026, 9, 18)
    cycle.submission_days = 5
    cycle.save()
    assert monitoring.submission_deadline(cycle, WorkingCalendar()) == date(2026, 9, 11)


def test_before_the_call_the_deadline_is_provisional_from_the_planned_end(role_users):
    cycle = open_cycle(role_users["staff"], dispatched=False)
    step2 = CycleStep.objects.get(cycle=cycle, number=2)
    assert step2.actual_end is None
    expected = WorkingCalendar().add_working_days(step2.planned_end, 10)
    assert monitoring.submission_deadline(cycle) == expected
    way_after = expected + timedelta(days=30)
    state = monitoring.deadline_state(cycle, way_after)
    assert state.deadline == expected and not state.firm
    assert state.days_late == 0  # nobody is late for a call that never went out


def test_lateness_starts_on_the_first_working_day_after_the_deadline(role_users):
    # The call goes out on a Friday: the deadline is a Friday two weeks later.
    cycle = open_cycle(role_users["staff"], call_on=date(2026, 9, 4))
    friday = date(2026, 9, 18)
    state = monitoring.deadline_state(cycle, date(2026, 9, 16))
    assert (state.deadline, state.days_left, state.days_late) == (friday, 2, 0)
    assert monitoring.deadline_state(cycle, friday).days_left == 0
    saturday = monitoring.deadline_state(cycle, date(2026, 9, 19))
    assert saturday.days_late == 0 and not saturday.is_past
    monday = monitoring.deadline_state(cycle, date(2026, 9, 21))
    assert monday.days_late == 1 and monday.is_past
    assert monitoring.deadline_state(cycle, date(2026, 9, 25)).days_late == 5


def test_no_cycle_no_deadline(units):
    rows = monitoring.board_rows(2031, today=date(2026, 9, 1))
    assert len(rows) == 3
    assert all(r.days_left is None and not r.is_late for r in rows)


# --- the rows ------------------------------------------------------------------------------


@pytest.fixture
def scene(role_users, units):
    """Unit a: submitted v2 with one failed check; b: in clarification; root: no plan;
    a second Eselon I with an accepted child and a returned child."""
    staff, operator = role_users["staff"], role_users["unit_operator"]
    cycle = open_cycle(staff)
    root2 = Unit.objects.create(code="E2", name="Deputi Dua", level=1, sort_order=5)
    c = Unit.objects.create(code="E2.C", name="Biro Cendana", level=2, parent=root2)
    d = Unit.objects.create(code="E2.D", name="Biro Dahlia", level=2, parent=root2)
    early = moment(date(2026, 9, 8))
    plan_a = make_plan(units["a"], S.SUBMITTED, updated_at=early)
    add_submission(plan_a, operator, number=1, at=early, decision="clarification")
    add_submission(
        plan_a,
        operator,
        number=2,
        at=moment(date(2026, 9, 10)),
        checks=[check("GOALS", True), check("TARGET", False), check("SATUAN", True)],
    )
    plan_b = make_plan(units["b"], S.CLARIFICATION, updated_at=early)
    add_submission(
        plan_b,
        operator,
        at=early,
        decision="clarification",
        decided_by=staff,
        decided_at=moment(date(2026, 9, 9)),
        checks=[check("TARGET", False), check("BUDGET", False, "warning")],
    )
    message = Message.objects.create(plan=plan_b, author=staff, body="Mohon perbaiki")
    Message.objects.filter(pk=message.pk).update(created_at=moment(date(2026, 9, 11), 14))
    plan_c = make_plan(c, S.ACCEPTED, updated_at=early)
    add_submission(plan_c, operator, at=moment(date(2026, 9, 21)), decision="accepted")
    make_plan(d, S.RETURNED, updated_at=early)
    return {"cycle": cycle, "units": {**units, "root2": root2, "c": c, "d": d}}


def _by_code(rows):
    return {r.unit.code: r for r in rows}


def test_one_row_per_expected_unit_with_status_version_checks_and_activity(scene):
    today = date(2026, 9, 14)
    rows = monitoring.board_rows(2027, today=today)
    assert [r.unit.code for r in rows] == ["E1", "E1.A", "E1.B", "E2", "E2.C", "E2.D"]
    rows = _by_code(rows)
    a, b, root = rows["E1.A"], rows["E1.B"], rows["E1"]
    assert (a.status, a.version, a.failed_checks) == (S.SUBMITTED, 2, 1)
    assert a.last_activity == moment(date(2026, 9, 10))  # the latest version's submission
    assert (b.status, b.version, b.failed_checks) == (S.CLARIFICATION, 1, 2)
    assert b.last_activity == moment(date(2026, 9, 11), 14)  # the message is the latest
    assert (root.status, root.version, root.failed_checks, root.last_activity) == (
        monitoring.NO_PLAN,
        None,
        None,
        None,
    )
    assert root.status_label == "No plan yet" and b.status_label == "Clarification requested"
    assert a.eselon1_parent.code == "E1" and root.eselon1_parent is None
    # Three working days to the deadline for those not done; nothing for the done ones.
    assert (b.days_left, b.is_late) == (3, False)
    assert a.days_left is None and a.is_done


def test_late_means_not_accepted_nor_awaiting_by_the_deadline(scene):
    rows = _by_code(monitoring.board_rows(2027, today=date(2026, 9, 22)))  # 3 days late
    late = {code for code, r in rows.items() if r.is_late}
    assert late == {"E1", "E1.B", "E2", "E2.D"}  # no plan, clarification, returned
    assert rows["E1.B"].days_late == 3
    assert not rows["E1.A"].is_late and rows["E1.A"].submitted_late_days == 0
    # E2.C sent its first version two working days after the deadline, and was accepted.
    assert not rows["E2.C"].is_late and rows["E2.C"].submitted_late_days == 2


def test_a_user_filter_limits_the_plans_read(scene, role_users):
    rows = _by_code(monitoring.board_rows(2027, today=date(2026, 9, 14), user=role_users["nobody"]))
    assert all(r.plan_id is None for r in rows.values())


def test_filters(scene):
    rows = monitoring.board_rows(2027, today=date(2026, 9, 22))

    def codes(**filters):
        return [r.unit.code for r in monitoring.filter_rows(rows, **filters)]

    assert codes(status=S.CLARIFICATION) == ["E1.B"]
    assert codes(status=monitoring.NO_PLAN) == ["E1", "E2"]
    assert codes(status=monitoring.AWAITING) == ["E1.A"]
    assert codes(status=monitoring.MISSING) == ["E1", "E1.B", "E2", "E2.D"]
    assert codes(eselon1="E2") == ["E2", "E2.C", "E2.D"]
    assert codes(eselon1="E2", late_only=True) == ["E2", "E2.D"]
    assert codes(q="dahlia") == ["E2.D"]
    assert codes(q="deputi") == ["E2", "E2.C", "E2.D"]  # the Eselon I's name matches its units
    assert codes(q="e1.b") == ["E1.B"]
    assert codes(q="nothing like it") == []


def test_sorting(scene):
    rows = monitoring.board_rows(2027, today=date(2026, 9, 14))

    def codes(sort):
        return [r.unit.code for r in monitoring.sort_rows(rows, sort)]

    assert codes("") == codes("unit") == ["E1", "E1.A", "E1.B", "E2", "E2.C", "E2.D"]
    assert codes("-unit") == ["E2.D", "E2.C", "E2", "E1.B", "E1.A", "E1"]
    assert codes("status") == ["E1", "E2", "E2.D", "E1.B", "E1.A", "E2.C"]
    # Without a value (no submission yet) last, whatever the direction.
    assert codes("version")[-3:] == codes("-version")[-3:] == ["E1", "E2", "E2.D"]
    assert codes("-activity")[:2] == ["E2.C", "E1.B"]
    assert codes("-failed")[:2] == ["E1.B", "E1.A"]
    assert codes("days")[-2:] == ["E1.A", "E2.C"]  # done plans have no deadline to meet
    assert codes("no-such-column") == codes("unit")


def test_summary_counts_and_chart(scene):
    result = monitoring.board(2027, today=date(2026, 9, 22), status=S.ACCEPTED)
    assert result.counts == {
        "total": 6,
        "accepted": 1,
        "awaiting": 1,
        "awaiting_head": 0,
        "missing": 4,
        "late": 4,
    }
    assert [r.unit.code for r in result.rows] == ["E2.C"]  # filtered; the counts are not
    bars = {bar.status: bar for bar in result.chart.bars}
    assert bars[monitoring.NO_PLAN].count == 2 and bars[S.ACCEPTED].count == 1
    assert bars[monitoring.NO_PLAN].width == monitoring.CHART_BAR_WIDTH  # the longest bar
    assert bars[S.RESUBMITTED].count == 0 and bars[S.RESUBMITTED].width == 0
    assert [u.code for u in result.eselon1_units] == ["E1", "E2"]


# --- the export ----------------------------------------------------------------------------


def test_the_workbook_holds_exactly_the_filtered_sorted_rows(scene):
    Unit.objects.filter(code="E2.D").update(name='=HYPERLINK("http://evil")')
    Unit.objects.filter(code="E2").update(name="@SUM(A1)")
    result = monitoring.board(2027, today=date(2026, 9, 22), late_only=True, sort="-unit")
    sheet = load_workbook(BytesIO(monitoring.board_workbook(result))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("Unit code", "Unit", "Eselon I", "Status")
    assert [v[0] for v in values[1:]] == ["E2.D", "E2", "E1.B", "E1"]
    first = values[1]
    assert first[1] == '\'=HYPERLINK("http://evil")'  # text, not a formula
    assert first[2] == "'@SUM(A1)"  # the Eselon I parent's name, neutralised too
    assert first[3] == "Returned" and first[8] == 3 and first[7] is None
    assert all(
        not isinstance(c.value, str) or not c.value.startswith("=") for r in sheet for c in r
    )


def test_unit_history(scene, role_users):
    staff = role_users["staff"]
    b = scene["units"]["b"]
    plan = UnitPlan.objects.get(unit=b, year=2027)
    Submission.objects.filter(plan=plan).update(
        reasons=["TARGET", "OTHER"], remarks="Lihat catatan"
    )
    audit.record(actor=staff, action="plan.submitted", obj=plan)
    sub = plan.submissions.get()
    audit.record(actor=staff, action="plan.clarification_requested", obj=sub)
    audit.record(actor=staff, action="plan.other_plan", object_type="plans.unitplan", object_id="0")
    ReminderLog.objects.create(unit=b, year=2027, kind="late", on_date=date(2026, 9, 21))
    ReminderLog.objects.create(unit=b, year=2026, kind="late", on_date=date(2025, 9, 21))
    history = monitoring.unit_history(b, 2027, today=date(2026, 9, 22))
    assert history.expected and history.plan == plan
    assert history.row.is_late and history.row.days_late == 3
    assert history.message_count == 1
    [line] = history.submissions
    assert line.failed_checks == 2
    assert line.reasons == [
        "A performance target is missing or invalid",
        "Other (see the remarks)",
    ]
    assert [e.action for e in history.events] == [
        "plan.submitted",
        "plan.clarification_requested",
    ]
    assert [r.on_date for r in history.reminders] == [date(2026, 9, 21)]


def test_unit_history_without_a_plan(scene):
    history = monitoring.unit_history(scene["units"]["root"], 2027, today=date(2026, 9, 14))
    assert history.plan is None and history.submissions == [] and history.events == []
    assert history.row.status == monitoring.NO_PLAN and history.row.days_left == 3


# --- the warning -----------------------------------------------------------------------


def test_the_forecast_shifts_the_later_steps_by_the_delay(scene):
    cycle = scene["cycle"]
    cal = WorkingCalendar()
    forecast = lateness_forecast(cycle, date(2026, 9, 22))
    assert forecast["deadline"] == DEADLINE and forecast["firm"]
    assert forecast["delay_days"] == 3
    assert forecast["missing_count"] == 4
    assert {u["code"] for u in forecast["late_units"]} == {"E1", "E1.B", "E2", "E2.D"}
    numbers = [s["number"] for s in forecast["steps"]]
    assert numbers == list(range(3, 14))
    for item in forecast["steps"]:
        step = CycleStep.objects.get(cycle=cycle, number=item["number"])
        assert item["planned_start"] == step.planned_start
        assert item["shifted_start"] == cal.add_working_days(step.planned_start, 3)
        assert item["shifted_end"] == cal.add_working_days(step.planned_end, 3)
        assert cal.count_working_days(item["planned_end"], item["shifted_end"]) == 3
    assert forecast["forecast_end"] > forecast["planned_end"]


def test_no_delay_before_the_deadline_or_when_everyone_submitted(scene):
    cycle = scene["cycle"]
    before = lateness_forecast(cycle, date(2026, 9, 14))
    assert before["delay_days"] == 0 and before["missing_count"] == 4
    assert all(s["shifted_end"] == s["planned_end"] for s in before["steps"])
    UnitPlan.objects.update(status=S.ACCEPTED)
    for unit in Unit.objects.filter(plans__isnull=True):
        make_plan(unit, S.SUBMITTED)
    after = lateness_forecast(cycle, date(2026, 10, 30))
    assert after["delay_days"] == 0 and after["missing_count"] == 0 and after["late_units"] == []


def test_the_forecast_leaves_out_steps_already_done(role_users, units):
    staff = role_users["staff"]
    cycle = open_cycle(staff)
    step3 = CycleStep.objects.get(cycle=cycle, number=3)
    services.advance(actor=staff, step=step3, action="start", on_date=CALL_DAY)
    services.advance(actor=staff, step=step3, action="complete", on_date=date(2026, 9, 30))
    forecast = lateness_forecast(cycle, date(2026, 10, 1))
    assert [s["number"] for s in forecast["steps"]] == list(range(4, 14))
    # Three units never submitted, but step 3 closed: steps 4+ were replanned from its end.
    assert forecast["missing_count"] == 3 and forecast["monitoring_closed"]
    assert forecast["delay_days"] == 0
    step4 = CycleStep.objects.get(cycle=cycle, number=4)
    assert forecast["steps"][0]["shifted_start"] == step4.planned_start == date(2026, 9, 30)


def test_the_database_counts_failed_checks_as_python_does(units, role_users):
    operator = role_users["unit_operator"]
    odd = [
        check("A", False),
        check("B", True),
        check("C", False, "warning"),
        {"code": "D", "passed": "false"},  # a string, not false
        {"code": "E"},
        1,
        "x",
        [False],
    ]
    add_submission(make_plan(units["a"], S.SUBMITTED), operator, checks=odd)
    plan_b = make_plan(units["b"], S.SUBMITTED)
    add_submission(plan_b, operator, number=1, checks=[check("A", False)])
    latest = add_submission(plan_b, operator, number=2)
    Submission.objects.filter(pk=latest.pk).update(checks={"passed": False})  # not a list
    rows = {r.code: r for r in monitoring.board_rows(2027, today=date(2026, 9, 1))}
    assert rows["E1.A"].failed_checks == monitoring.failed_check_count(odd) == 2
    assert rows["E1.B"].failed_checks == 0 and rows["E1.B"].version == 2
    assert rows["E1"].failed_checks is None
