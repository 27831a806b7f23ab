"""The monitoring pages: permissions for every role, the board, its export, a unit's page."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from rkpk.core import audit
from rkpk.core.calendar import WorkingCalendar, today
from rkpk.core.tests.role_matrix import row
from rkpk.organisation.models import Unit
from rkpk.plans import monitoring
from rkpk.plans.models import Message, ReminderLog, Submission, UnitPlan
from rkpk.plans.tests.test_monitoring import add_submission, check, make_plan, open_cycle
from rkpk.plans.views.monitoring import PAGE_SIZE
from rkpk.procedure.lateness import lateness_forecast

pytestmark = pytest.mark.django_db
S = UnitPlan.Status
MONITORS = {
    "admin",
    "staff",
    "head_of_section",
    "head_of_bureau",
    "deputy",
    "minister",
    "general_bureau",
    "viewer",
}


def board_url(year=2027, **params):
    url = reverse("plans:monitoring_board", args=[year])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def late_cycle(role_users):
    """The call went out 60 days ago: the deadline is long past."""
    return open_cycle(role_users["staff"], call_on=today() - timedelta(days=60))


@pytest.fixture
def plans(late_cycle, units, role_users):
    operator, staff = role_users["unit_operator"], role_users["staff"]
    plan_a = make_plan(units["a"], S.SUBMITTED)
    add_submission(plan_a, operator, checks=[check("TARGET", False), check("GOALS", True)])
    plan_b = make_plan(units["b"], S.CLARIFICATION)
    add_submission(plan_b, operator, decision="clarification", decided_by=staff)
    return {"a": plan_a, "b": plan_b}


def _days_late(cycle) -> int:
    return WorkingCalendar().count_working_days(monitoring.submission_deadline(cycle), today())


# --- permissions -------------------------------------------------------------------------


def test_the_board_and_its_export_are_for_the_ministry_roles(plans, role_matrix):
    role_matrix(
        [
            row("plans:monitoring_board", 2027, exact=dict.fromkeys(MONITORS, 200)),
            row("plans:monitoring_export", 2027, exact=dict.fromkeys(MONITORS, 200)),
        ]
    )


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (
        board_url(),
        reverse("plans:monitoring_export", args=[2027]),
        reverse("plans:monitoring_unit", args=[2027, "E1.A"]),
        reverse("plans:monitoring_index"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("with_plan", [True, False])
def test_a_units_page_404_for_who_may_not_see_the_plan_403_for_its_own_unit(
    with_plan, late_cycle, units, role_matrix
):
    if with_plan:
        make_plan(units["a"], S.DRAFT)
    page = row(
        "plans:monitoring_unit",
        2027,
        "E1.A",
        exact=dict.fromkeys(MONITORS, 200),
        refused=("unit_operator", "unit_head"),  # they see their plan; monitoring is the bureau's
        other=404,  # operator_b, nobody: not told that the plan exists
    )
    role_matrix([page])


def test_an_unknown_unit_is_404(role_users, client_for):
    url = reverse("plans:monitoring_unit", args=[2027, "NO.SUCH"])
    assert client_for(role_users["staff"]).get(url).status_code == 404


def test_the_index_opens_the_current_cycle(late_cycle, role_users, client_for):
    response = client_for(role_users["staff"]).get(reverse("plans:monitoring_index"))
    assert response.status_code == 302 and response["Location"] == board_url(2027)
    assert (
        client_for(role_users["unit_operator"]).get(reverse("plans:monitoring_index")).status_code
        == 403
    )


# --- the board -----------------------------------------------------------------------------


def _rows(response) -> list[str]:
    return [row.unit.code for row in response.context["board"].rows]


def test_the_board_shows_every_expected_unit(plans, late_cycle, role_users, client_for):
    response = client_for(role_users["staff"]).get(board_url())
    body = response.content.decode()
    assert _rows(response) == ["E1", "E1.A", "E1.B"]
    days = _days_late(late_cycle)
    assert f"{days} working days late" in body
    assert body.count("badge-late days-late") == 2  # E1 (no plan) and E1.B (clarification)
    assert 'data-count="late">2<' in body and 'data-count="awaiting">1<' in body
    assert "No plan yet" in body and "Clarification requested" in body
    assert body.count('class="status-bar"') == len(monitoring.STATUS_ORDER)  # the SVG chart
    assert "<script" not in body.split("</head>")[1]  # no inline script
    # The way to every unit's PK in one ZIP (rendered by the worker, rkpk.plans.rendered).
    assert f'href="/plans/cycle-documents/{late_cycle.year}/"' in body


def test_days_left_before_the_deadline(units, role_users, client_for):
    open_cycle(role_users["staff"], call_on=today())
    body = client_for(role_users["staff"]).get(board_url()).content.decode()
    assert body.count("10 working days left") == 4  # the header and the three units
    assert "badge-late" not in body.split('id="board"')[1]


def test_filters_and_sorting_from_the_query_string(plans, role_users, client_for):
    client = client_for(role_users["staff"])
    assert _rows(client.get(board_url(status="clarification"))) == ["E1.B"]
    assert _rows(client.get(board_url(late="on"))) == ["E1", "E1.B"]
    assert _rows(client.get(board_url(q="biro+b"))) == ["E1.B"]
    assert _rows(client.get(board_url(eselon1="E1", status="missing"))) == ["E1", "E1.B"]
    response = client.get(board_url(sort="-unit"))
    assert _rows(response) == ["E1.B", "E1.A", "E1"]
    body = response.content.decode()
    assert 'aria-sort="descending"><a href="?sort=unit">' in body
    assert '<a href="?sort=failed">' in body
    # The sort links keep the filters.
    assert (
        "late=on&amp;sort=-days" in client.get(board_url(late="on", sort="days")).content.decode()
    )


def test_an_invalid_filter_is_reported_and_the_others_still_apply(plans, role_users, client_for):
    response = client_for(role_users["staff"]).get(board_url(status="bogus", q="Biro"))
    assert response.status_code == 200
    assert _rows(response) == ["E1.A", "E1.B"]
    assert "Select a valid choice" in response.content.decode()


def test_script_strings_are_shown_as_text(plans, units, role_users, client_for):
    Unit.objects.filter(pk=units["b"].pk).update(name='<script>alert("x")</script>')
    body = client_for(role_users["staff"]).get(board_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert '<script>alert("x")' not in body
    url = reverse("plans:monitoring_unit", args=[2027, "E1.B"])
    body = client_for(role_users["staff"]).get(url).content.decode()
    assert "&lt;script&gt;" in body and '<script>alert("x")' not in body


def test_no_cycle_and_no_units_are_explained(role_users, client_for):
    Unit.objects.update(is_active=False)
    body = client_for(role_users["staff"]).get(board_url(2031)).content.decode()
    assert "No cycle has been started for 2031" in body
    assert "No active unit is expected to submit" in body


def test_the_export_matches_the_filtered_sorted_board(plans, units, role_users, client_for):
    Unit.objects.filter(pk=units["b"].pk).update(name="=cmd|' /C calc'!A0")
    response = client_for(role_users["staff"]).get(
        reverse("plans:monitoring_export", args=[2027]) + "?late=on&sort=-unit"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="rkpk-monitoring-2027.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["E1.B", "E1"]
    assert rows[1][1] == "'=cmd|' /C calc'!A0"


def add_units(units, operator, staff, first, count):
    """`count` more Biro units under E1, each with a plan of two versions (the first with a
    failed check) and a message; in bulk: the tests need hundreds."""
    new = Unit.objects.bulk_create(
        Unit(code=f"E1.X{n:03d}", name=f"Biro {n:03d}", level=2, parent=units["root"])
        for n in range(first, first + count)
    )
    plans = UnitPlan.objects.bulk_create(
        UnitPlan(unit=unit, year=2027, status=S.SUBMITTED if n % 2 else S.CLARIFICATION)
        for n, unit in enumerate(new, start=first)
    )
    now = timezone.now()
    Submission.objects.bulk_create(
        Submission(
            plan=plan,
            number=number,
            snapshot={"version": 1},
            checks=[check("T", False)] if number == 1 else [check("T", True)],
            submitted_by=operator,
            submitted_at=now,
        )
        for plan in plans
        for number in (1, 2)
    )
    Message.objects.bulk_create(Message(plan=plan, author=staff, body="?") for plan in plans)


def test_board_queries_do_not_grow_with_the_units(
    late_cycle, units, role_users, client_for, django_assert_max_num_queries
):
    operator, staff = role_users["unit_operator"], role_users["staff"]
    client = client_for(staff)
    export = reverse("plans:monitoring_export", args=[2027])
    api = "/api/v1/monitoring/2027"
    add_units(units, operator, staff, 0, 20)
    counts = {}
    for url in (board_url(), export, api):
        with django_assert_max_num_queries(10) as small:
            assert client.get(url).status_code == 200
        counts[url] = len(small.captured_queries)
    add_units(units, operator, staff, 20, 180)
    responses = {}
    for url in (board_url(), export, api):
        with django_assert_max_num_queries(counts[url]):
            responses[url] = client.get(url)
            assert responses[url].status_code == 200
    # 200 units and the three of the fixture: a page of the board, all of them elsewhere.
    assert len(responses[board_url()].context["board"].rows) == 203
    assert len(responses[board_url()].context["page"].object_list) == PAGE_SIZE
    sheet = load_workbook(BytesIO(responses[export].content)).active
    assert sheet.max_row == 1 + 203
    body = responses[api].json()
    assert len(body["rows"]) == 203 and body["counts"]["total"] == 203
    x7 = next(row for row in body["rows"] if row["unit"] == "E1.X007")
    assert (x7["version"], x7["failed_checks"], x7["eselon1"]) == (2, 0, "E1")


def test_the_board_of_200_units_is_a_small_page(late_cycle, units, role_users, client_for):
    operator, staff = role_users["unit_operator"], role_users["staff"]
    add_units(units, operator, staff, 0, 200)
    response = client_for(staff).get(board_url())
    body = response.content.decode()
    assert len(response.content) < 40_000, len(response.content)
    assert body.count("<tr data-unit=") == PAGE_SIZE
    # The figures are over every unit, not the page.
    assert 'data-count="awaiting">100<' in body and 'data-count="late">103<' in body
    assert "Page 1 of 5" in body and "203 entries in all" in body


def test_pages_keep_the_filters_and_the_sort(late_cycle, units, role_users, client_for):
    operator, staff = role_users["unit_operator"], role_users["staff"]
    add_units(units, operator, staff, 0, 120)
    client = client_for(staff)
    response = client.get(board_url(status="clarification", sort="-unit", page=2))
    page = response.context["page"]
    codes = [row.code for row in page.object_list]
    # 60 in clarification, from the last: the second page holds the last ten.
    assert page.paginator.count == 60 and len(codes) == 10
    assert codes[0] == "E1.X018" and codes[-1] == "E1.X000"
    body = response.content.decode()
    assert 'href="?status=clarification&amp;sort=-unit&page=1"' in body  # previous
    # Sorting and filtering go back to the first page; the export takes every row.
    assert "page=2" not in body.split('id="board"')[1].split("</thead>")[0]
    assert 'monitoring/2027/export.xlsx?status=clarification&amp;sort=-unit"' in body
    last = client.get(board_url(q="X11", page=99)).context["page"]
    assert [row.code for row in last.object_list] == [f"E1.X11{n}" for n in range(10)]
    assert _rows(client.get(board_url(q="biro 007"))) == ["E1.X007"]


@pytest.fixture
def page_cache_on(settings):
    settings.RKPK_PAGE_CACHE = True


def test_the_cached_board_is_kept_per_scope(page_cache_on, plans, units, role_users, client_for):
    staff, operator = role_users["staff"], role_users["unit_operator"]
    rows = {r.code: r for r in monitoring.board(2027, user=staff).rows}
    assert rows["E1.B"].plan_id == plans["b"].pk  # the ministry's board, now cached
    # The operator of unit A reads only their own plan, not the board kept for the ministry.
    mine = {r.code: r for r in monitoring.board(2027, user=operator).rows}
    assert mine["E1.A"].plan_id == plans["a"].pk
    assert mine["E1.B"].plan_id is None and mine["E1.B"].status == monitoring.NO_PLAN
    assert client_for(staff).get(board_url()).status_code == 200
    assert client_for(operator).get(board_url()).status_code == 403
    assert client_for(operator).get("/api/v1/monitoring/2027").status_code == 403


def test_a_change_shows_on_the_next_request_with_the_cache(
    page_cache_on, plans, role_users, client_for, django_capture_on_commit_callbacks
):
    client = client_for(role_users["staff"])

    def status_of(code):
        board = client.get(board_url()).context["board"]
        return next(r.status for r in board.rows if r.code == code)

    api = "/api/v1/monitoring/2027"
    assert status_of("E1.A") == S.SUBMITTED
    assert client.get(api).json()["counts"]["accepted"] == 0
    # The fixtures' changes are never committed (the test's transaction) and left their
    # data-version renewal pending, which the cache counts as already asked for: forget it
    # so the change asks for its own.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        plans["a"].status = S.ACCEPTED
        plans["a"].save()
    assert status_of("E1.A") == S.ACCEPTED
    assert client.get(api).json()["counts"]["accepted"] == 1


# --- a unit's page -----------------------------------------------------------------------


def test_a_units_page_shows_its_history(plans, units, role_users, client_for):
    staff = role_users["staff"]
    plan = plans["b"]
    plan.submissions.update(reasons=["SATUAN"], remarks="Satuan kosong")
    Message.objects.create(plan=plan, author=staff, body="Mohon dilengkapi")
    audit.record(actor=staff, action="plan.clarification_requested", obj=plan)
    ReminderLog.objects.create(unit=units["b"], year=2027, kind="late", on_date=today())
    response = client_for(role_users["head_of_bureau"]).get(
        reverse("plans:monitoring_unit", args=[2027, "E1.B"])
    )
    body = response.content.decode()
    assert "Clarification requested" in body
    assert "An indicator has no unit of measure" in body and "Satuan kosong" in body
    assert 'id="message-count">1<' in body
    assert "plan.clarification_requested" in body
    assert body.count("<tr>") >= 3  # a submission, a reminder, an event
    assert reverse("core:audit_detail", args=[1])[:-2] in body  # the Head of Bureau may open it
    assert 'href="/plans/E1.B/2027/" id="plan-link"' in body


def test_the_plan_page_links_to_the_monitoring_for_the_bureau(plans, role_users):
    request = RequestFactory().get("/")
    context = {"plan": plans["b"]}
    for code, expected in (("staff", True), ("unit_operator", False)):
        request.user = role_users[code]
        html = render_to_string("plans/_plan_actions_monitoring.html", context, request=request)
        assert ('href="/plans/monitoring/2027/E1.B/"' in html) is expected, code


def test_a_unit_without_a_plan(late_cycle, units, role_users, client_for):
    body = (
        client_for(role_users["viewer"])
        .get(reverse("plans:monitoring_unit", args=[2027, "E1"]))
        .content.decode()
    )
    assert "The unit has not started its plan yet." in body
    assert "No reminder has been sent." in body and "No recorded event yet." in body


def test_unit_codes_with_dots_and_hyphens(late_cycle, units, role_users, client_for):
    Unit.objects.create(code="E1.Biro-Umum.2", name="Biro Umum", level=2, parent=units["root"])
    url = reverse("plans:monitoring_unit", args=[2027, "E1.Biro-Umum.2"])
    assert url.endswith("/plans/monitoring/2027/E1.Biro-Umum.2/")
    assert client_for(role_users["staff"]).get(url).status_code == 200


# --- the cycle warning partial -----------------------------------------------------------


def test_the_lateness_partial_shows_the_shifted_steps(plans, late_cycle, role_users):
    forecast = lateness_forecast(late_cycle, today())
    request = RequestFactory().get("/")
    request.user = role_users["staff"]
    html = render_to_string(
        "procedure/_cycle_lateness.html", {"forecast": forecast}, request=request
    )
    days = _days_late(late_cycle)
    assert f"The late units are {days} working days past the deadline" in html
    assert "2 units have not submitted their RK-PK." in html
    assert html.count("<tr>") == 1 + 11  # the header and steps 3 to 13
    step3 = forecast["steps"][0]
    assert f"{step3['shifted_end'].day} {step3['shifted_end']:%b %Y}" in html
    assert board_url() in html


def test_the_lateness_partial_without_a_delay(units, role_users):
    cycle = open_cycle(role_users["staff"], call_on=today())
    html = render_to_string(
        "procedure/_cycle_lateness.html", {"forecast": lateness_forecast(cycle, today())}
    )
    assert "3 units have not submitted their RK-PK." in html
    assert "past the deadline" not in html and "<table" not in html
