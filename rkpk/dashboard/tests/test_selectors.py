from datetime import date

import pytest

from rkpk.core.calendar import WorkingCalendar
from rkpk.dashboard import selectors
from rkpk.dashboard.tests.factories import RETURN_REASON, run_cycle, submitted_plan
from rkpk.organisation.models import Unit
from rkpk.plans import monitoring

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

ON = date(2026, 11, 25)


@pytest.fixture
def cycle(report_cycle):
    return report_cycle


def test_the_window_has_no_holidays():
    cal = WorkingCalendar()
    assert cal.count_working_days(date(2025, 10, 1), date(2025, 12, 19)) == 57


def test_steps_against_the_standard(cycle):
    report = selectors.cycle_report(cycle, on=ON)
    rows = {row.number: row for row in report.steps}
    assert [rows[n].days_standard for n in range(1, 14)] == [
        2, 1, 15, 10, 10, 4, 3, 2, 2, 1, None, 1, 1
    ]  # fmt: skip
    assert [rows[n].days_used for n in range(1, 14)] == [
        2, 3, 17, 8, 12, 3, 3, 2, 2, 1, 2, 1, 1
    ]  # fmt: skip
    assert [n for n in rows if rows[n].is_late] == [2, 3, 5]
    assert (rows[2].days_late, rows[3].days_late, rows[5].days_late) == (2, 2, 2)
    assert rows[3].step.planned_end == date(2025, 10, 29)
    assert rows[3].step.actual_end == date(2025, 10, 31)
    assert rows[5].step.planned_start == date(2025, 11, 12)
    assert rows[5].step.actual_end == date(2025, 11, 28)
    assert rows[11].timeliness == selectors.Timeliness.NO_STANDARD
    assert rows[11].within_standard is None
    assert rows[4].within_standard is True and rows[5].within_standard is False


def test_summary_figures(cycle):
    report = selectors.cycle_report(cycle, on=ON)
    assert report.finished and report.end_date == date(2025, 12, 19)
    assert (report.total_days, report.standard_total, report.days_over) == (57, 52, 5)
    assert (report.done_count, report.measured_count, report.within_count) == (13, 12, 9)
    assert report.share_within == 0.75 and report.share_percent == 75.0
    assert report.late_steps_count == 3
    assert report.return_count == 2


def test_returns_and_who_completed(cycle):
    report = selectors.cycle_report(cycle, on=ON)
    rows = {row.number: row for row in report.steps}
    assert [(n.action, n.on_date, n.reason) for n in rows[6].returns] == [
        ("return", date(2025, 11, 27), RETURN_REASON)
    ]
    assert [(n.action, n.on_date) for n in rows[5].returns] == [("reopen", date(2025, 11, 27))]
    assert rows[5].return_count == 1 and rows[4].return_count == 0
    assert rows[2].completed_by == "test-mover"


def test_late_units(cycle, units):
    report = selectors.cycle_report(cycle, on=ON)
    assert report.deadline == date(2025, 10, 22) == monitoring.submission_deadline(cycle)
    assert report.deadline_firm and report.monitoring_closed == date(2025, 10, 31)
    assert report.expected_units == 3
    late = [(u.code, u.first_submitted, u.accepted, u.days_late) for u in report.late_units]
    assert late == [
        ("E1", None, None, 7),
        ("E1.B", date(2025, 10, 27), date(2025, 10, 30), 3),
    ]
    assert report.never_submitted_count == 1
    assert report.median_unit_lateness == 5.0
    rows = {row.number: row for row in report.steps}
    # Late units are the causes of the late steps from monitoring (3) on, not before.
    assert [u.code for u in rows[3].late_units] == ["E1", "E1.B"]
    assert [u.code for u in rows[5].late_units] == ["E1", "E1.B"]
    assert rows[2].late_units == []


def test_no_unit_late_before_the_call(units):
    cycle = run_cycle(year=2030, start=date(2025, 10, 1), ends={1: date(2025, 10, 3)})
    report = selectors.cycle_report(cycle, on=date(2025, 10, 20))
    assert not report.deadline_firm and report.late_units == []
    assert report.median_unit_lateness is None


def test_running_cycle_counts_to_today(units):
    cycle = run_cycle(
        year=2031, start=date(2025, 10, 1), ends={1: date(2025, 10, 3), 2: date(2025, 10, 6)}
    )
    on = date(2025, 10, 24)  # deadline 20 October: every unit 4 working days late so far
    report = selectors.cycle_report(cycle, on=on)
    assert not report.finished and report.end_date is None
    assert report.total_days == 17
    assert report.deadline == date(2025, 10, 20)
    assert [u.days_late for u in report.late_units] == [4, 4, 4]
    assert (report.measured_count, report.within_count, report.share_within) == (2, 2, 1.0)
    step3 = report.steps[2]
    assert step3.days_used is None and not step3.is_late and step3.within_standard is None
    assert step3.timeliness == selectors.Timeliness.NOT_DUE


def test_comparison(cycle, units):
    run_cycle(year=2027, start=date(2025, 10, 1), ends={1: date(2025, 10, 7), 2: date(2025, 10, 8)})
    rows = selectors.comparison(on=date(2025, 10, 20))
    assert [r.year for r in rows] == [2026, 2027]
    first, second = rows
    assert (first.total_days, first.standard_total, first.share_within) == (57, 52, 0.75)
    assert (first.late_steps_count, first.late_units_count) == (3, 2)
    assert first.median_unit_lateness == 5.0
    # 2027: step 1 late (4 > 2 working days), step 2 on time; no unit late yet.
    assert (second.share_within, second.late_steps_count, second.late_units_count) == (0.5, 1, 0)
    assert second.median_unit_lateness is None and not second.finished


def test_units_expected_are_the_monitoring_boards(cycle, units):
    Unit.objects.create(code="E1.C", name="Biro C", level=2, parent=units["root"], is_active=False)
    assert selectors.cycle_report(cycle, on=ON).expected_units == 3


def test_query_count_constant(cycle, role_users, django_assert_max_num_queries, make_user):
    with django_assert_max_num_queries(6) as small:
        selectors.cycle_report(cycle, on=ON)
    with django_assert_max_num_queries(6):
        selectors.comparison(on=ON)
    run_cycle(year=2027, start=date(2025, 10, 1), ends={1: date(2025, 10, 3)})
    run_cycle(year=2028, start=date(2025, 10, 1), ends={1: date(2025, 10, 3)})
    for i in range(6):
        unit = Unit.objects.create(
            code=f"E1.X{i}", name=f"Biro X{i}", level=2, parent=Unit.objects.get(code="E1")
        )
        operator = make_user(f"op{i}", ("unit_operator", unit))
        submitted_plan(unit, 2026, operator, on=date(2025, 10, 28))
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = selectors.cycle_report(cycle, on=ON)
    assert report.late_units_count == 8
    with django_assert_max_num_queries(6):
        assert len(selectors.comparison(on=ON)) == 3
    with django_assert_max_num_queries(6):  # the page's figures: every cycle built once
        data = selectors.dashboard(cycle, on=ON)
    assert data.report.late_units_count == 8 and len(data.comparison) == 3
    assert [r.late_units_count for r in data.comparison if r.year == 2026] == [8]
