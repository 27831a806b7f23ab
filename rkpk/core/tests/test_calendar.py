from datetime import date

import pytest
from django.core.management import call_command

from rkpk.core import services
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def test_weekends_and_national_holidays_are_not_working_days():
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2027, 3, 6))  # Saturday
    assert not cal.is_working_day(date(2027, 8, 17))  # Hari Kemerdekaan (Tuesday)
    assert not cal.is_working_day(date(2027, 3, 9))  # cuti bersama Idul Fitri
    assert cal.is_working_day(date(2027, 3, 16))


def test_counting_rule_day_zero_is_the_start_day():
    cal = WorkingCalendar()
    friday = date(2027, 3, 5)
    assert cal.add_working_days(friday, 0) == friday
    # Nyepi (8), Idul Fitri and cuti bersama (9–12, 15) are skipped.
    assert cal.add_working_days(friday, 1) == date(2027, 3, 16)
    assert cal.add_working_days(friday, 3) == date(2027, 3, 18)
    # Starting on a Saturday: day 0 is the Saturday itself, day 1 the Monday.
    assert cal.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)


def test_count_is_the_inverse_of_add():
    cal = WorkingCalendar()
    start = date(2027, 1, 1)
    for n in (0, 1, 5, 15, 52):
        end = cal.add_working_days(start, n)
        assert cal.count_working_days(start, end) == n
    assert cal.count_working_days(date(2027, 3, 18), date(2027, 3, 5)) == -3


def test_overrides_close_and_reopen_days(make_user):
    admin = make_user("admin1", "admin")
    monday = date(2027, 2, 1)
    services.set_calendar_override(actor=admin, day=monday, kind="closed", reason="SKB 2027")
    nyepi = date(2027, 3, 8)
    services.set_calendar_override(actor=admin, day=nyepi, kind="open", reason="Dipindah")
    cal = WorkingCalendar()
    assert not cal.is_working_day(monday)
    assert cal.is_working_day(nyepi)
    assert cal.add_working_days(date(2027, 3, 5), 1) == nyepi
    names = {info.date: info.reasons for info in cal.non_working_days(2027)}
    assert "SKB 2027" in names[monday]


def test_override_needs_a_reason(make_user):
    admin = make_user("admin1", "admin")
    with pytest.raises(Exception, match="reason"):
        services.set_calendar_override(actor=admin, day=date(2027, 2, 1), kind="closed", reason=" ")
    assert not CalendarOverride.objects.exists()


def test_workdays_command(capsys):
    call_command("workdays", "add", "2027-03-05", "3")
    assert capsys.readouterr().out.strip() == "2027-03-18"
    call_command("workdays", "count", "2027-03-05", "2027-03-19")
    assert capsys.readouterr().out.strip() == "4"


def test_workdays_command_rejects_bad_dates():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("workdays", "add", "05-03-2027", "3")
