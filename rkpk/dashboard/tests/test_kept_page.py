"""The dashboard's figures are the same for every viewer: with the page cache on, its page is
computed once per cycle, day and language, and any committed change shows on the next
request."""

import re
from datetime import date

import pytest
from django.test import Client

from rkpk.dashboard import selectors
from rkpk.dashboard.tests.factories import run_cycle
from rkpk.procedure import services as procedure
from rkpk.procedure.models import CycleStep
from rkpk.procedure.tests.factories import mover

# Transactional: every change commits and renews the data version, as in production.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("unit_head_approval_off"),
]


@pytest.fixture
def page_cache_on(settings):
    settings.RKPK_PAGE_CACHE = True


# What the dashboard's figures are read from (a kept page reads none of them).
FIGURE_TABLES = ('"procedure_cycle"', "procedure_cyclestep", "plans_unitplan", "organisation_unit")


def step_status(body: str, number: int) -> str:
    row = re.search(rf'<tr id="step-{number}".*?</tr>', body, re.S).group(0)
    return re.findall(r'<td class="small">([^<]*)</td>', row)[0]


def summary(body: str) -> str:
    return re.search(r'id="summary">.*?</section>', body, re.S).group(0)


def test_the_kept_page_is_read_once_for_every_viewer(
    page_cache_on, report_cycle, role_users, django_assert_max_num_queries
):
    # Signed in first: signing in saves the user, a change of the data like any other.
    clients = {}
    for code in ("staff", "deputy", "minister"):
        clients[code] = Client()
        clients[code].force_login(role_users[code])
    first = clients["staff"].get("/dashboard/2026/").content.decode()
    for code, client in clients.items():
        with django_assert_max_num_queries(10) as again:
            body = client.get("/dashboard/2026/").content.decode()
        read = " ".join(q["sql"] for q in again.captured_queries)
        for table in FIGURE_TABLES:
            assert table not in read, code
        assert summary(body) == summary(first)
    # A search is worked out each time, from the kept figures.
    body = clients["staff"].get("/dashboard/2026/?q=biro+b").content.decode()
    assert body.count('<tr data-unit="') == 1


def test_a_completed_step_shows_on_the_next_request(
    page_cache_on, units, role_users, client_for, django_capture_on_commit_callbacks
):
    cycle = run_cycle(year=2027, start=date(2025, 10, 1), ends={1: date(2025, 10, 3)})
    client = client_for(role_users["staff"])
    assert step_status(client.get("/dashboard/2027/").content.decode(), 2) == "Not started"
    step = CycleStep.objects.get(cycle=cycle, number=2)
    with django_capture_on_commit_callbacks(execute=True):
        step = procedure.advance(
            actor=mover(), step=step, action="start", on_date=date(2025, 10, 3)
        )
        procedure.advance(actor=mover(), step=step, action="complete", on_date=date(2025, 10, 6))
    assert step_status(client.get("/dashboard/2027/").content.decode(), 2) == "Done"
    assert step_status(client.get("/dashboard/").content.decode(), 2) == "Done"


def test_the_kept_figures_follow_the_day(page_cache_on, report_cycle, monkeypatch):
    """The figures of a running cycle count working days up to today: kept per day."""
    cycle = run_cycle(year=2027, start=date(2025, 10, 1), ends={1: date(2025, 10, 3)})
    monkeypatch.setattr(selectors, "calendar_today", lambda: date(2025, 10, 20))
    before = selectors.shared_dashboard(cycle).report.total_days
    monkeypatch.setattr(selectors, "calendar_today", lambda: date(2025, 10, 21))
    assert selectors.shared_dashboard(cycle).report.total_days == before + 1
