"""The working-day calendar: everyone reads and counts, admins correct it."""

from datetime import date

import pytest

from rkpk.core import services
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import AuditEvent, CalendarOverride
from rkpk.organisation.models import Role

from .conftest import API

pytestmark = pytest.mark.django_db

EVERY_ROLE = [r.value for r in Role] + ["operator_b"]
NOT_ADMIN = [r for r in EVERY_ROLE if r != "admin"] + ["nobody"]


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_reads_the_year(role_users, api_as, role):
    response = api_as(role_users[role]).get(f"{API}/calendar/2027")
    assert response.status_code == 200
    days = {d["date"]: d for d in response.json()["days"]}
    independence = days["2027-08-17"]
    assert not independence["is_working"] and not independence["overridden"]
    assert independence["holiday_name"] in independence["names"]
    assert "2027-03-06" not in days  # a plain Saturday is left out


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_does_working_day_arithmetic(role_users, api_as, role):
    client = api_as(role_users[role])
    added = client.get(f"{API}/calendar/workdays/add", {"date": "2027-03-05", "n": 1}).json()
    # Nyepi, Idul Fitri and cuti bersama are skipped; day 0 is the start day.
    assert added["end_date"] == "2027-03-16" and "day 0" in added["rule"]
    counted = client.get(
        f"{API}/calendar/workdays/count", {"start": "2027-03-05", "end": "2027-03-18"}
    ).json()
    assert counted["working_days"] == 3


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/2027",
        "/calendar/workdays/add?date=2027-03-05&n=1",
        "/calendar/workdays/count?start=2027-03-05&end=2027-03-18",
    ],
)
def test_users_without_a_role_may_not_read_the_calendar(role_users, api_as, path):
    assert api_as(role_users["nobody"]).get(API + path).status_code == 403


def test_the_api_counts_as_the_calendar_does(role_users, api_as):
    client = api_as(role_users["viewer"])
    cal = WorkingCalendar()
    start = date(2027, 12, 20)
    for n in (0, 1, 7, 52):
        body = client.get(f"{API}/calendar/workdays/add", {"date": start, "n": n}).json()
        assert body["end_date"] == cal.add_working_days(start, n).isoformat()
        back = client.get(
            f"{API}/calendar/workdays/count", {"start": start, "end": body["end_date"]}
        ).json()
        assert back["working_days"] == n
    reverse = client.get(
        f"{API}/calendar/workdays/count", {"start": "2027-03-18", "end": "2027-03-05"}
    )
    assert reverse.json()["working_days"] == -3


def test_arithmetic_rejects_unreasonable_input(role_users, api_as):
    client = api_as(role_users["viewer"])
    add = f"{API}/calendar/workdays/add"
    assert client.get(add, {"date": "2027-03-05", "n": -1}).status_code == 422
    assert client.get(add, {"date": "2027-03-05", "n": 100000}).status_code == 422
    assert client.get(add, {"date": "5 Maret 2027", "n": 1}).status_code == 422
    count = f"{API}/calendar/workdays/count"
    response = client.get(count, {"start": "2000-01-01", "end": "2090-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"
    assert client.get(f"{API}/calendar/1800").status_code == 422


def test_admin_closes_and_reopens_days(role_users, api_as):
    client = api_as(role_users["admin"])
    body = {"date": "2027-02-01", "kind": "closed", "reason": "SKB 2027"}
    response = client.post(f"{API}/calendar/overrides", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "closed"
    assert CalendarOverride.objects.get(date=date(2027, 2, 1)).reason == "SKB 2027"
    assert AuditEvent.objects.filter(action="calendar.override_set").count() == 1
    day = next(
        d for d in client.get(f"{API}/calendar/2027").json()["days"] if d["date"] == "2027-02-01"
    )
    assert day["overridden"] and day["override_kind"] == "closed" and not day["is_working"]
    assert day["override_reason"] == "SKB 2027"
    added = client.get(f"{API}/calendar/workdays/add", {"date": "2027-01-29", "n": 1}).json()
    assert added["end_date"] == "2027-02-02"

    assert client.delete(f"{API}/calendar/overrides/2027-02-01").status_code == 204
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.override_removed").count() == 1
    assert client.delete(f"{API}/calendar/overrides/2027-02-01").status_code == 404


def test_override_input_is_validated(role_users, api_as):
    client = api_as(role_users["admin"])
    url = f"{API}/calendar/overrides"
    response = client.post(
        url,
        {"date": "2027-02-01", "kind": "closed", "reason": " "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    response = client.post(
        url, {"date": "2027-02-01", "kind": "maybe", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_admins_change_the_calendar(role_users, api_as, role):
    services.set_calendar_override(
        actor=role_users["admin"], day=date(2027, 3, 8), kind="open", reason="Dipindah"
    )
    client = api_as(role_users[role])
    body = {"date": "2027-02-01", "kind": "closed", "reason": "SKB 2027"}
    response = client.post(f"{API}/calendar/overrides", body, content_type="application/json")
    assert response.status_code == 403
    assert client.delete(f"{API}/calendar/overrides/2027-03-08").status_code == 403
    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [date(2027, 3, 8)]
    assert AuditEvent.objects.exclude(action__startswith="auth.").count() == 1
