"""The per-request read of a user's roles: one query, its statement built once per process."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rkpk.core.calendar import today
from rkpk.organisation import roles
from rkpk.organisation.models import ActingAssignment, Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_each_user_gets_their_own_roles_and_todays_acting_in_one_query(make_user, units):
    first, second = make_user("first"), make_user("second")
    RoleAssignment.objects.create(user=first, role=Role.UNIT_OPERATOR, unit=units["a"])
    RoleAssignment.objects.create(user=second, role=Role.STAFF)
    day = today()
    ActingAssignment.objects.create(
        user=second, role=Role.HEAD_OF_BUREAU, kind="Plt", starts_on=day, ends_on=day
    )
    ActingAssignment.objects.create(
        user=first,
        role=Role.DEPUTY,
        kind="Plh",
        starts_on=day + timedelta(days=1),
        ends_on=day + timedelta(days=3),
    )
    for user in (first, second):
        roles.forget(user)
    with CaptureQueriesContext(connection) as queries:
        roles.read(first)
        roles.read(second)
    assert len(queries) == 2
    assert first._rkpk_roles == [(Role.UNIT_OPERATOR, units["a"].pk)]
    assert first._rkpk_acting == (day, {})  # starts tomorrow
    assert second._rkpk_roles == [(Role.STAFF, None)]
    assert second._rkpk_acting == (day, {Role.HEAD_OF_BUREAU: "Plt"})


def test_the_statement_is_built_once(make_user):
    user = make_user("someone")
    roles.read(user)  # built here, or by an earlier test in this process
    with mock.patch.object(
        RoleAssignment.objects, "filter", wraps=RoleAssignment.objects.filter
    ) as building:
        roles.read(user)
        roles.read(make_user("another"))
    assert building.call_count == 0
