"""The plan page's content is rendered once and shared by the viewers with the same
permissions on the plan: an edit shows at once, one viewer's buttons never show to another,
and each viewer's forms carry their own CSRF token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rkpk.organisation.models import Role
from rkpk.plans import services
from rkpk.plans.models import Indicator, UnitPlan
from rkpk.plans.tests.test_plan_pages import detail_url, fill_plan, make_officials, make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

ROW_ACTIONS = 'class="d-inline-flex gap-1 justify-content-end row-actions'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def page_cache_on(settings):
    settings.RKPK_PAGE_CACHE = True


@pytest.fixture
def filled(role_users, units):
    plan = make_plan(role_users, units)
    return fill_plan(plan, goals=2, per_goal=3, parties=make_officials(units), activities=2)


def page(user, *, csrf=False) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    response = client.get(detail_url(UnitPlan.objects.get()))
    assert response.status_code == 200
    return client, response.content.decode()


def queries_of(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(user)
    return len(captured.captured_queries)


def test_the_next_viewer_reuses_the_content(filled, role_users, page_cache_on):
    page(role_users["unit_operator"])
    first = queries_of(role_users["staff"])
    second = queries_of(role_users["staff"])
    assert second < first - 5  # the plan's rows, submissions, checks and lists not read again


def test_an_edit_shows_at_once(
    filled, role_users, page_cache_on, django_capture_on_commit_callbacks
):
    operator = role_users["unit_operator"]
    page(operator)
    page(role_users["viewer"])
    indicator = Indicator.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_row(
            actor=operator, row=indicator, revision=indicator.revision, name="Indikator baru"
        )
    assert "Indikator baru" in page(operator)[1]
    assert "Indikator baru" in page(role_users["viewer"])[1]


def test_a_status_change_shows_at_once(
    filled, role_users, page_cache_on, django_capture_on_commit_callbacks
):
    operator = role_users["unit_operator"]
    assert ROW_ACTIONS in page(operator)[1]
    with django_capture_on_commit_callbacks(execute=True):
        UnitPlan.objects.get().save()  # any committed change renews the content
        UnitPlan.objects.update(status=UnitPlan.Status.SUBMITTED)
    html = page(operator)[1]
    assert ROW_ACTIONS not in html and 'id="plan-lock-note"' in html


@pytest.mark.parametrize("first, then", [("unit_operator", "viewer"), ("viewer", "unit_operator")])
def test_viewers_never_see_each_others_buttons(filled, role_users, page_cache_on, first, then):
    html = {}
    for code in (first, then, first):
        html[code] = page(role_users[code])[1]
    operator, viewer = html["unit_operator"], html["viewer"]
    assert operator.count(ROW_ACTIONS) == 2 + 6 + 2 + 2  # goals, indicators, activities, outputs
    assert 'id="submit-plan"' in operator and "/excel/upload/" in operator
    assert ROW_ACTIONS not in viewer
    assert 'id="submit-plan"' not in viewer and "/excel/upload/" not in viewer


def test_staff_and_operator_see_their_own_actions(filled, role_users, page_cache_on):
    operator = page(role_users["unit_operator"])[1]
    staff = page(role_users["staff"])[1]
    again = page(role_users["unit_operator"])[1]
    # both may edit; only the unit submits, only the bureau reviews
    assert ROW_ACTIONS in staff and ROW_ACTIONS in operator
    assert 'id="submit-plan"' in operator and 'id="submit-plan"' not in staff
    review = f'href="{reverse("plans:review_plan", args=["E1.A", filled.year])}"'
    assert review in staff and review not in operator and review not in again
    assert 'id="submit-plan"' in again


def test_each_viewer_posts_with_their_own_csrf_token(
    filled, role_users, units, make_user, page_cache_on
):
    page(role_users["unit_operator"])
    other = make_user("u_operator_2", (Role.UNIT_OPERATOR, units["a"]))
    client, html = page(other, csrf=True)
    assert "rkpk-csrf-slot" not in html
    tokens = TOKEN.findall(html)
    assert len(tokens) > 10
    indicator = Indicator.objects.order_by("pk").last()
    response = client.post(
        f"{detail_url(indicator.plan)}indicator/{indicator.pk}/move/",
        {"direction": "up", "csrfmiddlewaretoken": tokens[-1]},
    )
    assert response.status_code == 302  # not 403: the token is the one of this session
