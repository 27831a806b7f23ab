"""Reminders about the time limits: on the right working days, once per complaint, kind
and day."""

from datetime import date

import pytest

from rkpk.complaints import reminders, services
from rkpk.complaints.models import Complaint, ReminderLog
from rkpk.complaints.tasks import remind_overdue_complaints
from rkpk.complaints.tests.helpers import MONDAY, file, received_on
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import CalendarOverride
from rkpk.notifications.models import Notification

pytestmark = pytest.mark.django_db
Kind = ReminderLog.Kind


def d(day: int) -> date:
    return date(2026, 2, day)


def test_the_fixed_dates_are_plain_working_days():
    cal = WorkingCalendar()
    assert all(cal.is_working_day(d(n)) for n in (2, 3, 4, 5, 6, 9, 10, 11))
    assert not cal.is_working_day(d(7)) and not cal.is_working_day(d(8))


@pytest.fixture
def complaint(role_users):
    """Received on Monday 2 February 2026: delegate by Tuesday 3, answer by Monday 9."""
    c = received_on(file(role_users["unit_operator"]), MONDAY)
    assert (c.delegation_due, c.answer_due) == (d(3), d(9))
    return c


def kinds(on):
    return [(r["number"], r["kind"]) for r in reminders.send_reminders(on_date=on)["reminded"]]


def to(user, kind) -> int:
    return Notification.objects.filter(recipient=user, event=f"complaints.reminder.{kind}").count()


def test_reminders_day_by_day_for_a_complaint_nobody_delegates(complaint, role_users):
    number = complaint.number
    head = role_users["head_of_bureau"]
    assert kinds(d(2)) == []
    assert kinds(d(3)) == []  # the delegation is due today: not late yet
    assert kinds(d(4)) == [(number, Kind.DELEGATION_LATE)]
    assert kinds(d(5)) == [(number, Kind.DELEGATION_LATE)]
    # Friday: one working day (Monday) before the answer is due; nobody delegated: the head.
    assert kinds(d(6)) == [(number, Kind.DELEGATION_LATE), (number, Kind.ANSWER_SOON)]
    assert reminders.send_reminders(on_date=d(7))["working_day"] is False
    assert kinds(d(7)) == [] and kinds(d(8)) == []
    assert kinds(d(9)) == [(number, Kind.DELEGATION_LATE)]  # the answer is due today
    assert kinds(d(10)) == [(number, Kind.DELEGATION_LATE), (number, Kind.ANSWER_LATE)]
    assert to(head, Kind.DELEGATION_LATE) == 5
    assert to(head, Kind.ANSWER_SOON) == 1
    assert to(head, Kind.ANSWER_LATE) == 1
    assert to(role_users["unit_operator"], Kind.ANSWER_LATE) == 0


def test_reminders_are_sent_once_a_day(complaint, role_users):
    first = reminders.send_reminders(on_date=d(10))
    assert first["notifications"] >= 2
    again = reminders.send_reminders(on_date=d(10))
    assert again["reminded"] == [] and again["notifications"] == 0
    assert ReminderLog.objects.filter(on_date=d(10)).count() == 2
    assert to(role_users["head_of_bureau"], Kind.ANSWER_LATE) == 1


def test_a_delegated_complaint_reminds_the_delegate(complaint, role_users):
    services.delegate(
        actor=role_users["head_of_bureau"], complaint=complaint, to=role_users["head_of_section"]
    )
    delegate, head = role_users["head_of_section"], role_users["head_of_bureau"]
    assert kinds(d(4)) == []
    assert kinds(d(6)) == [(complaint.number, Kind.ANSWER_SOON)]
    assert to(delegate, Kind.ANSWER_SOON) == 1 and to(head, Kind.ANSWER_SOON) == 0
    assert kinds(d(10)) == [(complaint.number, Kind.ANSWER_LATE)]
    assert to(delegate, Kind.ANSWER_LATE) == 1 and to(head, Kind.ANSWER_LATE) == 1


def test_answered_and_withdrawn_complaints_are_not_reminded(complaint, role_users):
    other = received_on(file(role_users["unit_head"]), MONDAY)
    services.answer(actor=role_users["head_of_bureau"], complaint=complaint, text="Selesai.")
    services.withdraw(actor=role_users["unit_head"], complaint=other)
    assert kinds(d(10)) == []


def test_a_closed_day_moves_the_reminder_before_the_answer(role_users):
    CalendarOverride.objects.create(date=d(6), kind="closed", reason="Cuti bersama")
    complaint = received_on(file(role_users["unit_operator"]), MONDAY)
    assert complaint.answer_due == d(10)  # 3, 4, 5, 9, 10
    assert (complaint.number, Kind.ANSWER_SOON) not in kinds(d(6))  # closed: no reminders
    assert (complaint.number, Kind.ANSWER_SOON) in kinds(d(9))


def test_the_task_runs_the_reminders(complaint):
    result = remind_overdue_complaints.call(d(10).isoformat())
    assert result["date"] == "2026-02-10"
    assert {r["kind"] for r in result["reminded"]} == {Kind.DELEGATION_LATE, Kind.ANSWER_LATE}
    assert Complaint.objects.get(pk=complaint.pk).reminders.count() == 2
