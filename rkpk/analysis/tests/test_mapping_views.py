"""The mapping page: who sees it, filters, bulk accept, override, conflicts, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rkpk.analysis.models import Mapping
from rkpk.analysis.tests.test_mapping_services import accepted_plan, load_goals

pytestmark = pytest.mark.django_db

ROWS = [
    ("Tertanganinya keluhan publik", "Persentase pengaduan masyarakat yang dijawab tuntas"),
    ("Tertanganinya keluhan publik", "Jumlah surat masyarakat yang diteruskan"),
    ("Akuntabelnya keuangan", "Opini BPK atas laporan keuangan"),
]


@pytest.fixture
def goals(db):
    return load_goals()


@pytest.fixture
def plan(units, goals):
    return accepted_plan(units["a"], rows=ROWS)


def url(query=""):
    return reverse("analysis:mapping_list", args=[2027]) + query


def test_bureau_and_ministry_see_the_page_units_do_not(plan, role_users, client_for):
    for code in ("staff", "head_of_bureau", "viewer", "deputy"):
        response = client_for(role_users[code]).get(url())
        assert response.status_code == 200, code
        assert len(response.context["rows"]) == 3
    assert response.context["can_edit"] is False  # deputy reads only
    assert b"SS-06" in response.content
    for code in ("unit_operator", "unit_head", "nobody"):
        assert client_for(role_users[code]).get(url()).status_code == 403


def test_filters_by_unit_goal_and_state(plan, goals, role_users, client_for, units):
    client = client_for(role_users["staff"])
    rows = client.get(url(f"?goal={goals['SS-14'].pk}")).context["rows"]
    assert [r["indicator"].name for r in rows] == ["Opini BPK atas laporan keuangan"]
    assert client.get(url("?unit=E1.B")).context["rows"] == []
    assert b"Every indicator" in client.get(url("?unit=E1.B")).content
    assert client.get(url("?state=mapped")).context["rows"] == []


def test_accept_selected_then_override_by_hand(plan, goals, role_users, client_for):
    client = client_for(role_users["staff"])
    first, second, third = plan.indicators.order_by("position")
    response = client.post(url(), {"selected": [first.pk, second.pk], "accept_selected": "1"})
    assert response.status_code == 302
    assert Mapping.objects.filter(goal=goals["SS-06"], source="suggested").count() == 2
    page = client.get(url())
    assert [r["indicator"] for r in page.context["rows"]] == [third]
    assert b"2 suggestions were accepted" in page.content
    client.post(
        url(), {"override": first.pk, f"goal-{first.pk}": goals["SS-21"].pk, f"rev-{first.pk}": "1"}
    )
    mapping = Mapping.objects.get(indicator=first)
    assert mapping.goal == goals["SS-21"] and mapping.source == "manual" and mapping.revision == 2


def test_accept_every_row_of_the_page_and_a_stale_page_conflicts(
    plan,
    goals,
    role_users,
    client_for,
):
    client = client_for(role_users["staff"])
    ids = list(plan.indicators.values_list("pk", flat=True))
    client.post(url(), {"row": ids, "accept_page": "1"})
    assert Mapping.objects.count() == 3
    # Another analyst had the page open from before: no lost update, a message instead.
    other = client_for(role_users["head_of_section"])
    response = other.post(
        url(),
        {"override": ids[0], f"goal-{ids[0]}": goals["SS-01"].pk, f"rev-{ids[0]}": ""},
        follow=True,
    )
    assert b"Someone else decided" in response.content
    assert Mapping.objects.get(indicator_id=ids[0]).goal == goals["SS-06"]


def test_readers_cannot_post(plan, goals, role_users, client_for):
    ind = plan.indicators.first()
    client_for(role_users["viewer"]).post(url(), {"selected": [ind.pk]})
    assert not Mapping.objects.exists()


def test_query_count_is_constant(units, goals, role_users, client_for):
    accepted_plan(units["a"], rows=ROWS)
    client = client_for(role_users["staff"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("?state=all")).status_code == 200
    accepted_plan(units["b"], rows=ROWS * 10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("?state=all"))
        assert response.status_code == 200
    assert len(response.context["rows"]) == 33
    assert len(large) == len(small)
