"""List endpoints run a fixed number of queries, whatever the number of rows.

Each list is read with a few rows, then with many more: the second read may not run
more queries than the first.
"""

import itertools
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rkpk.api import services as api_services
from rkpk.core import services as core_services
from rkpk.organisation.models import Official, Unit
from rkpk.procedure import services as procedure_services
from rkpk.procedure.models import Cycle
from rkpk.procedure.selectors import latest_standard, standard_steps

from .conftest import API

pytestmark = pytest.mark.django_db


def add_units(users, units, n, serial):
    for _ in range(n):
        i = next(serial)
        Unit.objects.create(code=f"X.{i}", name=f"Unit {i}", level=3, parent=units["a"])


def add_officials(users, units, n, serial):
    for _ in range(n):
        i = next(serial)
        Official.objects.create(
            name=f"Pejabat {i}", nip=f"{i:018d}", position="Staf", unit=units["a"]
        )


def add_standards(users, units, n, serial):
    steps = [
        {
            "title_id": s.title_id,
            "title_en": s.title_en,
            "standard_days": s.standard_days,
            "responsible_roles": s.responsible_roles,
            "activities": s.activities,
            "done_when": s.done_when,
        }
        for s in standard_steps(latest_standard())
    ]
    for _ in range(n):
        procedure_services.create_standard_version(
            actor=users["admin"], name=f"Standar {next(serial)}", steps=steps
        )


def add_cycles(users, units, n, serial):
    for _ in range(n):
        year = 2030 + next(serial)
        procedure_services.start_cycle(
            actor=users["staff"], year=year, start_date=date(year - 1, 12, 1)
        )


def add_overrides(users, units, n, serial):
    for _ in range(n):
        day = date(2027, 1, 1) + timedelta(days=next(serial))
        core_services.set_calendar_override(
            actor=users["admin"], day=day, kind="closed", reason="SKB"
        )


def add_tokens(users, units, n, serial):
    for _ in range(n):
        user = users["staff"]
        api_services.create_token(actor=user, user=user, name=f"t{next(serial)}")


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    ("role", "url", "add"),
    [
        ("staff", "/units", add_units),
        ("staff", "/units?q=unit&parent=E1.A", add_units),
        ("staff", "/officials", add_officials),
        ("unit_operator", "/officials?q=pejabat", add_officials),
        ("staff", "/standards", add_standards),
        ("staff", "/cycles", add_cycles),
        ("staff", "/calendar/2027", add_overrides),
        ("staff", "/tokens", add_tokens),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    role_users, units, api_as, django_assert_max_num_queries, role, url, add
):
    client = api_as(role_users[role])
    serial = itertools.count(1)
    add(role_users, units, 2, serial)
    few = queries_of(client, API + url)
    add(role_users, units, 20, serial)
    with django_assert_max_num_queries(few):
        response = client.get(API + url)
    assert response.status_code == 200


def test_cycle_detail_queries_do_not_grow_with_its_history(role_users, api_as):
    staff = role_users["staff"]
    procedure_services.start_cycle(actor=staff, year=2027, start_date=date(2026, 1, 5))
    client = api_as(staff)
    few = queries_of(client, f"{API}/cycles/2027")
    cycle = Cycle.objects.get(year=2027)
    for number in (1, 2, 3, 4):
        step = cycle.steps.get(number=number)
        procedure_services.advance(actor=staff, step=step, action="start")
        procedure_services.advance(actor=staff, step=step, action="complete")
    assert queries_of(client, f"{API}/cycles/2027") <= few
