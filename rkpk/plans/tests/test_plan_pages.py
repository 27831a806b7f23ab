"""The plan list and the plan page: who sees what, read-only rendering, copying last year's
plan, the conformity panel and submitting, escaping, and a page that stays fast with 120
indicators."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from rkpk.core.tests.role_matrix import row
from rkpk.organisation.models import Official, Unit
from rkpk.plans import lists, services
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    Submission,
    TargetKind,
    UnitPlan,
)

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

YEAR = 2027
SCRIPT = "<script>alert(1)</script>"


# --- Fixtures and helpers shared with the editor tests ------------------------------------


def make_officials(units) -> dict:
    """The head of unit A (first party) and the head of its parent (second party)."""
    units["a"].head_position = "Kepala Biro A"
    units["a"].save()
    units["root"].head_position = "Sekretaris Uji"
    units["root"].save()
    head = Official.objects.create(
        name="Budi Santoso", nip="197001012000031001", position="Kepala Biro A", unit=units["a"]
    )
    superior = Official.objects.create(
        name="Siti Rahma", nip="196801012000032002", position="Sekretaris Uji", unit=units["root"]
    )
    return {"head": head, "superior": superior}


def make_plan(role_users, units) -> UnitPlan:
    return services.get_or_create_plan(
        actor=role_users["unit_operator"], unit=units["a"], year=YEAR
    )


@pytest.fixture
def officials(units):
    return make_officials(units)


@pytest.fixture
def plan(role_users, units):
    return make_plan(role_users, units)


def fill_plan(plan, *, goals=1, per_goal=1, parties=None, activities=0):
    """Valid content written straight to the tables (fast): every error check passes."""
    made = Goal.objects.bulk_create(
        Goal(plan=plan, position=g + 1, code=f"S{g + 1}", text=f"Sasaran {g + 1}")
        for g in range(goals)
    )
    Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            goal=goal,
            position=i + 1,
            code=f"IK{g + 1}.{i + 1}",
            name=f"Indikator {g + 1}.{i + 1}",
            definition="Definisi",
            data_source="Laporan",
            measure="Persen",
            target_kind=TargetKind.PERCENT,
            target_value=Decimal(80 + i % 10),
        )
        for g, goal in enumerate(made)
        for i in range(per_goal)
    )
    for a in range(activities):
        activity = Activity.objects.create(
            plan=plan, position=a + 1, name=f"Kegiatan {a + 1}", budget=Decimal(1_500_000)
        )
        ActivityIndicator.objects.create(
            activity=activity, name=f"Keluaran {a + 1}", measure="Dokumen", target_value=2
        )
    if parties:
        plan.first_party, plan.second_party = parties["head"], parties["superior"]
        plan.save(update_fields=["first_party", "second_party"])
    return plan


def detail_url(plan):
    return reverse("plans:plan_detail", args=[plan.unit.code, plan.year])


def body(response) -> str:
    return response.content.decode()


# --- Plan list ----------------------------------------------------------------------------


def test_unit_people_see_their_units_plans_and_start_one(role_users, units, client_for):
    operator = role_users["unit_operator"]
    services.get_or_create_plan(actor=operator, unit=units["a"], year=2020)
    client = client_for(operator)
    page = body(client.get(reverse("plans:plan_list")))
    assert "RK-PK 2020" in page
    assert "Biro B" not in page
    start = re.findall(r'name="year" value="(\d{4})"', page)
    assert len(start) == 2  # this year's and next year's plan
    response = client.post(reverse("plans:plan_start"), {"unit": units["a"].pk, "year": start[1]})
    created = UnitPlan.objects.get(unit=units["a"], year=int(start[1]))
    assert response.status_code == 302 and response["Location"] == detail_url(created)
    # Starting it again opens the same plan.
    client.post(reverse("plans:plan_start"), {"unit": units["a"].pk, "year": start[1]})
    assert UnitPlan.objects.filter(unit=units["a"], year=int(start[1])).count() == 1


def test_another_units_operator_cannot_start_or_list_the_plan(plan, role_users, units, client_for):
    client = client_for(role_users["operator_b"])
    assert "Biro A" not in body(client.get(reverse("plans:plan_list")))
    response = client.post(reverse("plans:plan_start"), {"unit": units["a"].pk, "year": 2031})
    assert response.status_code == 403
    assert not UnitPlan.objects.filter(year=2031).exists()


def test_plan_list_refuses_a_user_without_role(role_users, client_for):
    assert client_for(role_users["nobody"]).get(reverse("plans:plan_list")).status_code == 403


def test_ministry_list_searches_filters_and_pages(
    role_users, units, client_for, django_assert_max_num_queries
):
    made = Unit.objects.bulk_create(
        Unit(code=f"X{n:03}", name=f"Satuan {n:03}", level=2, parent=units["root"])
        for n in range(60)
    )
    UnitPlan.objects.bulk_create(UnitPlan(unit=u, year=YEAR) for u in made)
    client = client_for(role_users["head_of_bureau"])
    url = reverse("plans:plan_list")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    first = body(response)
    assert first.count('href="/plans/X') == 50
    with django_assert_max_num_queries(8):
        response = client.get(url, {"page": 2})
    assert response.status_code == 200
    second = body(response)
    assert second.count('href="/plans/X') == 10
    assert "Satuan 007" in body(client.get(url, {"q": "007"}))
    assert "Satuan 008" not in body(client.get(url, {"q": "007"}))
    UnitPlan.objects.filter(unit=made[0]).update(status=UnitPlan.Status.SUBMITTED)
    submitted = body(client.get(url, {"status": "submitted"}))
    assert "Satuan 000" in submitted and "Satuan 001" not in submitted


def test_staff_may_start_a_plan_received_on_paper(role_users, units, client_for):
    client = client_for(role_users["staff"])
    assert 'name="unit"' in body(client.get(reverse("plans:plan_list")))
    client.post(reverse("plans:plan_start"), {"unit": units["b"].pk, "year": YEAR})
    assert UnitPlan.objects.filter(unit=units["b"], year=YEAR).exists()
    # A viewer sees the list but gets no such form, and may not start one.
    viewer = client_for(role_users["viewer"])
    assert 'name="unit"' not in body(viewer.get(reverse("plans:plan_list")))
    response = viewer.post(reverse("plans:plan_start"), {"unit": units["b"].pk, "year": 2030})
    assert response.status_code == 403


# --- The plan page for every role ---------------------------------------------------------

EDITORS = {"unit_operator", "unit_head", "staff"}
SUBMITTERS = {"unit_operator", "unit_head"}
HIDDEN = {"operator_b", "nobody"}


def test_plan_page_for_every_role(plan, role_matrix):
    fill_plan(plan)

    def shows_what_the_role_may_do(code, response):
        page = body(response)
        assert "Indikator 1.1" in page
        assert ("+ Add goal" in page) == (code in EDITORS)
        assert ("/indicator/" in page and "/edit/" in page) == (code in EDITORS)
        assert ('id="submit-plan"' in page) == (code in SUBMITTERS)
        if code not in EDITORS:
            assert "You can read this plan" in page

    page = row(
        "plans:plan_detail",
        plan.unit.code,
        plan.year,
        not_found=HIDDEN,
        other=200,
        inspect=shows_what_the_role_may_do,
    )
    role_matrix([page])


def test_row_endpoints_refuse_by_role(plan, role_matrix):
    fill_plan(plan)
    goal = plan.goals.get()
    args = ("E1.A", YEAR, "goal", goal.pk)
    edit = {"text": "Diubah", "level": "strategic", "revision": goal.revision}
    other = {"revision": goal.revision, "direction": "up"}
    refusals = {"not_found": HIDDEN, "other": 403}
    role_matrix(
        [
            row("plans:editor_row_edit", *args, exact=dict.fromkeys(EDITORS, 200), **refusals),
            # The editors' writes have their own tests; here they would change the goal.
            row("plans:editor_row_edit", *args, method="post", data=edit, skip=EDITORS, **refusals),
            row(
                "plans:editor_row_delete",
                *args,
                method="post",
                data=other,
                skip=EDITORS,
                **refusals,
            ),
            row(
                "plans:editor_row_move", *args, method="post", data=other, skip=EDITORS, **refusals
            ),
        ]
    )
    goal.refresh_from_db()
    assert goal.text == "Sasaran 1"


def test_operator_of_another_unit_gets_404_everywhere(plan, role_users, client_for):
    fill_plan(plan)
    goal, indicator = plan.goals.get(), plan.indicators.get()
    client = client_for(role_users["operator_b"])
    urls = [
        detail_url(plan),
        reverse("plans:plan_checks", args=["E1.A", YEAR]),
        reverse("plans:editor_parties", args=["E1.A", YEAR]),
        reverse("plans:editor_parties_edit", args=["E1.A", YEAR]),
        reverse("plans:editor_row_new", args=["E1.A", YEAR, "goal"]),
        reverse("plans:editor_row", args=["E1.A", YEAR, "indicator", indicator.pk]),
        reverse("plans:editor_row_edit", args=["E1.A", YEAR, "indicator", indicator.pk]),
    ]
    for url in urls:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404, url
    posts = [
        reverse("plans:plan_submit", args=["E1.A", YEAR]),
        reverse("plans:plan_copy", args=["E1.A", YEAR]),
        reverse("plans:editor_row_delete", args=["E1.A", YEAR, "goal", goal.pk]),
    ]
    for url in posts:
        assert client.post(url, {"revision": 1}).status_code == 404, url
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_unknown_plan_or_row_is_404(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    assert client.get(reverse("plans:plan_detail", args=["E1.A", 1999])).status_code == 404
    assert client.get(reverse("plans:plan_detail", args=["NOPE", YEAR])).status_code == 404
    other = fill_plan(
        services.get_or_create_plan(actor=role_users["staff"], unit=plan.unit.parent, year=YEAR)
    )
    foreign_goal = other.goals.get()
    url = reverse("plans:editor_row_edit", args=["E1.A", YEAR, "goal", foreign_goal.pk])
    assert client.get(url).status_code == 404


# --- Read-only and locked plans -----------------------------------------------------------


def test_a_submitted_plan_is_read_only_and_says_so(plan, role_users, officials, client_for):
    fill_plan(plan, parties=officials)
    services.submit(actor=role_users["unit_operator"], plan=plan)
    client = client_for(role_users["unit_operator"])
    page = body(client.get(detail_url(plan)))
    assert "awaits the bureau" in page
    assert "+ Add goal" not in page and "/edit/" not in page
    assert 'id="submit-plan"' not in page
    assert 'id="plan-version">1<' in page
    indicator = plan.indicators.get()
    edit = reverse("plans:editor_row_edit", args=["E1.A", YEAR, "indicator", indicator.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"name": "x", "goal": indicator.goal_id}).status_code == 403


def test_an_accepted_plan_is_locked(plan, role_users, officials, client_for):
    fill_plan(plan, parties=officials)
    services.submit(actor=role_users["unit_operator"], plan=plan)
    services.accept(actor=role_users["staff"], plan=plan)
    page = body(client_for(role_users["staff"]).get(detail_url(plan)))
    assert "The plan is locked" in page
    assert "/edit/" not in page


# --- Copy from last year ------------------------------------------------------------------


def test_start_from_last_years_plan_shows_last_years_targets(plan, role_users, units, client_for):
    operator = role_users["unit_operator"]
    last = fill_plan(
        services.get_or_create_plan(actor=operator, unit=units["a"], year=YEAR - 1),
        goals=2,
        per_goal=2,
        activities=1,
    )
    Indicator.objects.filter(plan=last, code="IK1.1").update(target_value=Decimal("1234.5"))
    client = client_for(operator)
    page = body(client.get(detail_url(plan)))
    assert "Start from last year" in page
    response = client.post(reverse("plans:plan_copy", args=["E1.A", YEAR]))
    assert response.status_code == 302
    assert plan.indicators.count() == 4 and plan.activities.count() == 1
    page = body(client.get(detail_url(plan)))
    assert f"Started from the plan of {YEAR - 1}" in page
    assert "Start from last year" not in page
    # Last year's target beside the (still empty) new one.
    row = re.search(r'<tr id="indicator-\d+" class="editor-row">.*?</tr>', page, re.S).group(0)
    assert re.search(r"data-target>—<", row)
    assert "data-previous-target>1.234,5%<" in row


def test_no_copy_button_without_last_years_plan(plan, role_users, client_for):
    page = body(client_for(role_users["unit_operator"]).get(detail_url(plan)))
    assert "Start from last year" not in page
    response = client_for(role_users["unit_operator"]).post(
        reverse("plans:plan_copy", args=["E1.A", YEAR]), follow=True
    )
    assert f"There is no plan of {YEAR - 1}" in body(response)


# --- Conformity panel and submit ----------------------------------------------------------


def _check_states(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-check="(\w+)" data-state="(\w+)"', page))


def test_submit_is_blocked_while_an_error_check_fails(plan, role_users, client_for):
    fill_plan(plan)  # no PK parties yet
    client = client_for(role_users["unit_operator"])
    page = body(client.get(detail_url(plan)))
    states = _check_states(page)
    assert states["PARTIES_SET"] == "error" and states["HAS_GOALS"] == "passed"
    assert re.search(r'id="submit-plan" disabled', page)
    response = client.post(reverse("plans:plan_submit", args=["E1.A", YEAR]), follow=True)
    assert "cannot be submitted while these checks fail" in body(response)
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.DRAFT and not plan.submissions.exists()


def test_submit_when_clean_then_read_only(plan, role_users, officials, client_for):
    fill_plan(plan, parties=officials, activities=1)
    client = client_for(role_users["unit_head"])
    page = body(client.get(detail_url(plan)))
    states = _check_states(page)
    assert all(s != "error" for s in states.values()), states
    assert re.search(r'id="submit-plan">', page)
    assert "data-confirm=" in page
    response = client.post(reverse("plans:plan_submit", args=["E1.A", YEAR]), follow=True)
    assert "Version 1 was submitted" in body(response)
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.SUBMITTED
    submission = Submission.objects.get(plan=plan)
    assert submission.snapshot["parties"]["first"]["name"] == "Budi Santoso"


def test_viewers_cannot_submit(plan, role_users, officials, client_for):
    fill_plan(plan, parties=officials)
    for code in ("viewer", "staff", "head_of_bureau"):
        response = client_for(role_users[code]).post(
            reverse("plans:plan_submit", args=["E1.A", YEAR])
        )
        assert response.status_code == 403, code
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.DRAFT


def test_warnings_are_amber_and_do_not_block(plan, role_users, officials, client_for):
    fill_plan(plan, parties=officials)  # no activity: a warning
    Indicator.objects.filter(plan=plan).update(definition="")
    page = body(client_for(role_users["unit_operator"]).get(detail_url(plan)))
    states = _check_states(page)
    assert states["DEFINITIONS"] == "warning" and states["ACTIVITY_OUTPUTS"] == "warning"
    assert "list-group-item-warning" in page
    assert re.search(r'id="submit-plan">', page)


# --- Escaping -----------------------------------------------------------------------------


def test_script_strings_are_shown_as_text(plan, role_users, units, client_for):
    operator = role_users["unit_operator"]
    # a unit of measure must be on the list: the bureau added this one
    lists.create_value(actor=None, slug=lists.MEASURES, value=SCRIPT[:60])
    goal = services.create_row(actor=operator, model=Goal, plan=plan, text=SCRIPT, code=SCRIPT[:20])
    services.create_row(
        actor=operator,
        model=Indicator,
        plan=plan,
        goal=goal,
        name=SCRIPT,
        definition=SCRIPT,
        formula=SCRIPT,
        measure=SCRIPT[:60],
        data_source=SCRIPT,
        code=SCRIPT[:20],
    )
    activity = services.create_row(
        actor=operator, model=Activity, plan=plan, name=SCRIPT, notes=SCRIPT, code=SCRIPT[:20]
    )
    services.create_row(
        actor=operator,
        model=ActivityIndicator,
        plan=plan,
        activity=activity,
        name=SCRIPT,
        measure=SCRIPT[:60],
    )
    head = Official.objects.create(
        name=SCRIPT, nip="197001012000031009", position=SCRIPT, unit=units["a"]
    )
    plan.first_party = head
    plan.save()
    client = client_for(operator)
    pages = [
        body(client.get(detail_url(plan))),
        body(
            client.get(
                reverse("plans:editor_row_edit", args=["E1.A", YEAR, "indicator", 1]),
                HTTP_HX_REQUEST="true",
            )
        ),
        body(client.get(reverse("plans:editor_parties_edit", args=["E1.A", YEAR]))),
        body(client.get(reverse("plans:plan_checks", args=["E1.A", YEAR]), HTTP_HX_REQUEST="true")),
    ]
    for page in pages:
        assert "<script>alert" not in page
    assert pages[0].count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


# --- 120 indicators -----------------------------------------------------------------------


@pytest.mark.parametrize("per_goal", [1, 24])
def test_plan_page_queries_do_not_grow(
    plan, role_users, officials, client_for, django_assert_max_num_queries, per_goal
):
    fill_plan(plan, goals=5, per_goal=per_goal, parties=officials, activities=3)
    client = client_for(role_users["unit_operator"])
    client.get(detail_url(plan))  # warm the template cache
    # the snapshot reuses the loaded rows; +2: heads; +1: the units below (roll-up check)
    with django_assert_max_num_queries(15):
        response = client.get(detail_url(plan))
        assert response.status_code == 200
    assert body(response).count('class="editor-row"') >= 5 * per_goal


@pytest.mark.parametrize("role", ["unit_operator", "staff", "viewer"])
def test_plan_page_queries_are_the_same_for_5_and_50_indicators(
    role_users, units, officials, client_for, role
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(role_users[role])
    counts = []
    for year, per_goal in ((2027, 1), (2028, 10)):
        plan = UnitPlan.objects.create(unit=units["a"], year=year)
        fill_plan(plan, goals=5, per_goal=per_goal, parties=officials, activities=3)
        client.get(detail_url(plan))  # warm the template cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(detail_url(plan))
        assert body(response).count('<tr id="indicator-') == 5 * per_goal
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_plan_page_with_120_indicators_shows_every_row(plan, role_users, officials, client_for):
    # Its time is bench.plan_page's figure, never a test's: the machine is shared.
    fill_plan(plan, goals=12, per_goal=10, parties=officials, activities=10)
    client = client_for(role_users["unit_operator"])
    response = client.get(detail_url(plan))
    assert response.status_code == 200
    assert body(response).count('<tr id="indicator-') == 120


def test_budget_total_counts_a_program_and_its_activities_once(role_users, units, client):
    from rkpk.plans.tests.factories import complete_plan

    plan = complete_plan(units["a"], 2031)  # program Rp1.500.000 with one activity of the same
    client.force_login(role_users["unit_operator"])
    response = client.get(f"/plans/{plan.unit.code}/{plan.year}/")
    assert response.context["budget_total"] == 1500000
