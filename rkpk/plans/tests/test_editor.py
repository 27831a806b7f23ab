"""The in-place editor: htmx fragments and the same endpoints as plain form posts, kept
input on errors, Indonesian numbers, stale edits as conflicts, reorder, delete, parties."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from rkpk.core.models import AuditEvent
from rkpk.plans import services
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, TargetKind, UnitPlan
from rkpk.plans.tests.test_plan_pages import (
    YEAR,
    body,
    detail_url,
    fill_plan,
    make_officials,
    make_plan,
)

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]
HX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"plans:{name}", args=["E1.A", YEAR, *args])


@pytest.fixture
def officials(units):
    return make_officials(units)


@pytest.fixture
def plan(role_users, units):
    return make_plan(role_users, units)


@pytest.fixture
def operator(role_users):
    return role_users["unit_operator"]


@pytest.fixture
def op_client(operator, client_for):
    return client_for(operator)


def indicator_data(goal, **changes):
    data = {
        "goal": goal.pk,
        "code": "IK1",
        "name": "Persentase layanan tepat waktu",
        "measure": "Persen",
        "polarity": "higher",
        "indicator_type": "outcome",
        "definition": "Layanan selesai sesuai standar",
        "formula": "a / b × 100",
        "data_source": "Laporan bulanan",
        "target_kind": "number",
        "target_value": "",
        "target_min": "",
        "target_max": "",
        "target_text": "",
        "q1": "",
        "q2": "",
        "q3": "",
        "q4": "",
        "in_pk": "on",
    }
    data.update(changes)
    return data


def is_fragment(response) -> bool:
    return "<html" not in body(response) and "<body" not in body(response)


# --- Adding rows --------------------------------------------------------------------------


def test_add_goal_in_place(plan, op_client):
    form = op_client.get(url("editor_row_new", "goal"), **HX)
    assert form.status_code == 200 and is_fragment(form)
    assert 'hx-post="/plans/E1.A/2027/goal/new/"' in body(form)
    response = op_client.post(
        url("editor_row_new", "goal"), {"text": "Sasaran baru", "level": "strategic"}, **HX
    )
    goal = Goal.objects.get(plan=plan)
    assert is_fragment(response)
    assert f'<section class="goal-block card mb-3" id="goal-{goal.pk}"' in body(response)
    assert response["HX-Trigger"] == "plan-changed"
    assert AuditEvent.objects.filter(action="plan.goal_added").count() == 1


def test_add_indicator_with_indonesian_numbers(plan, op_client):
    goal = fill_plan(plan, per_goal=0).goals.get()
    form = op_client.get(url("editor_row_new", "indicator") + f"?parent={goal.pk}", **HX)
    assert f'<option value="{goal.pk}" selected>' in body(form)
    assert 'list="measure-units"' in body(form)
    response = op_client.post(
        url("editor_row_new", "indicator"),
        indicator_data(goal, target_value="1.234,5", q1="300", q4="1.234,5"),
        **HX,
    )
    indicator = Indicator.objects.get(goal=goal)
    assert indicator.target_value == Decimal("1234.5") and indicator.q4 == Decimal("1234.5")
    assert indicator.target_kind == TargetKind.NUMBER and indicator.in_pk
    assert "data-target>1.234,5<" in body(response)
    assert f'<tr id="indicator-{indicator.pk}" class="editor-row">' in body(response)


def test_a_percentage_typed_as_85_percent(plan, op_client):
    goal = fill_plan(plan, per_goal=0).goals.get()
    op_client.post(
        url("editor_row_new", "indicator"), indicator_data(goal, target_value="85%"), **HX
    )
    indicator = Indicator.objects.get(goal=goal)
    assert indicator.target_kind == TargetKind.PERCENT and indicator.target_value == 85


def test_range_and_qualitative_targets(plan, op_client):
    goal = fill_plan(plan, per_goal=0).goals.get()
    op_client.post(
        url("editor_row_new", "indicator"),
        indicator_data(
            goal,
            code="R",
            target_kind="range",
            target_min="80",
            target_max="90,5",
            target_value="99",
        ),
        **HX,
    )
    ranged = Indicator.objects.get(code="R")
    assert (ranged.target_min, ranged.target_max, ranged.target_value) == (
        80,
        Decimal("90.5"),
        None,
    )
    op_client.post(
        url("editor_row_new", "indicator"),
        indicator_data(
            goal, code="Q", name="Opini BPK", target_kind="qualitative", target_text="WTP"
        ),
        **HX,
    )
    assert Indicator.objects.get(code="Q").target_text == "WTP"
    page = body(op_client.get(detail_url(plan)))
    assert "data-target>80–90,5<" in page and "data-target>WTP<" in page
    # A value outside the maintained list is refused, with the choice kept for correction.
    response = op_client.post(
        url("editor_row_new", "indicator"),
        indicator_data(goal, code="X", target_kind="qualitative", target_text="Luar biasa"),
        **HX,
    )
    # judged by the one validator of every path, with its message
    assert "is not on the list of qualitative target values" in body(response)
    assert not Indicator.objects.filter(code="X").exists()


def test_add_activity_with_rupiah_budget_and_an_output(plan, op_client):
    response = op_client.post(
        url("editor_row_new", "activity"),
        {
            "kind": "activity",
            "code": "K1",
            "name": "Penyusunan laporan",
            "budget": "1.500.000",
            "notes": "",
        },
        **HX,
    )
    activity = Activity.objects.get(plan=plan)
    assert activity.budget == Decimal(1_500_000)
    assert "Rp1.500.000" in body(response)
    assert f'id="activity-{activity.pk}-outputs"' in body(response)
    form = op_client.get(url("editor_row_new", "output") + f"?parent={activity.pk}", **HX)
    assert f'name="activity" value="{activity.pk}"' in body(form)
    response = op_client.post(
        url("editor_row_new", "output"),
        {
            "activity": activity.pk,
            "name": "Laporan kinerja",
            "measure": "Dokumen",
            "target_kind": "number",
            "target_value": "4",
        },
        **HX,
    )
    output = ActivityIndicator.objects.get(activity=activity)
    assert output.target_value == 4 and f'id="output-{output.pk}"' in body(response)
    # The budget total and the checks refresh through the checks panel.
    panel = body(op_client.get(url("plan_checks"), **HX))
    assert '<span id="budget-total" hx-swap-oob="true">Rp1.500.000</span>' in panel


def test_edit_form_shows_numbers_the_indonesian_way(plan, op_client):
    goal = fill_plan(plan, per_goal=0).goals.get()
    activity = Activity.objects.create(plan=plan, name="Kegiatan", budget=Decimal("2500000"))
    indicator = Indicator.objects.create(
        plan=plan, goal=goal, name="I", target_value=Decimal("1234.5"), q2=Decimal("0.25")
    )
    form = body(op_client.get(url("editor_row_edit", "indicator", indicator.pk), **HX))
    assert 'value="1.234,5"' in form and 'value="0,25"' in form
    form = body(op_client.get(url("editor_row_edit", "activity", activity.pk), **HX))
    assert 'value="2.500.000"' in form


# --- Errors keep what was typed -----------------------------------------------------------


def test_text_in_a_number_cell_comes_back_with_the_input(plan, op_client):
    goal = fill_plan(plan, per_goal=0).goals.get()
    data = indicator_data(goal, name="Nama yang saya ketik", target_value="delapan puluh")
    response = op_client.post(url("editor_row_new", "indicator"), data, **HX)
    page = body(response)
    assert response.status_code == 200 and is_fragment(response)
    assert "is not a number" in page
    assert 'value="delapan puluh"' in page and "Nama yang saya ketik" in page
    assert 'class="form-control is-invalid"' in page or "is-invalid" in page
    assert not Indicator.objects.exists()


def test_edit_errors_keep_input_and_leave_the_row_unchanged(plan, op_client):
    fill_plan(plan)
    indicator = plan.indicators.get()
    data = indicator_data(
        indicator.goal, name="Nama baru", q1="1,23456", revision=indicator.revision
    )
    response = op_client.post(url("editor_row_edit", "indicator", indicator.pk), data, **HX)
    assert "Use at most 4 decimal places" in body(response)
    assert "Nama baru" in body(response)
    indicator.refresh_from_db()
    assert indicator.name == "Indikator 1.1"


def test_service_errors_show_on_the_form(plan, op_client):
    goal = fill_plan(plan, per_goal=0).goals.get()
    data = indicator_data(goal, target_kind="percent", target_value="1500")
    response = op_client.post(url("editor_row_new", "indicator"), data, **HX)
    assert "A percentage lies between 0 and 1000" in body(response)
    assert 'value="1500"' in body(response)
    response = op_client.post(
        url("editor_row_new", "goal"), {"text": "  ", "level": "strategic"}, **HX
    )
    assert "This value is required." in body(response)
    response = op_client.post(
        url("editor_row_new", "activity"),
        {"kind": "activity", "name": "K", "budget": "-5"},
        **HX,
    )
    assert "cannot be below" in body(response)


# --- Without JavaScript -------------------------------------------------------------------


def test_without_javascript_the_same_endpoints_are_pages_and_redirects(plan, op_client):
    fill_plan(plan)
    indicator = plan.indicators.get()
    edit = url("editor_row_edit", "indicator", indicator.pk)
    page = op_client.get(edit)
    assert "<html" in body(page) and "hx-post" not in body(page)
    assert '<datalist id="measure-units">' in body(page)
    data = indicator_data(indicator.goal, name="Diubah tanpa JS", revision=indicator.revision)
    response = op_client.post(edit, data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(plan) + f"#indicator-{indicator.pk}"
    indicator.refresh_from_db()
    assert indicator.name == "Diubah tanpa JS"
    # An error: the whole page again, with the typed values.
    bad = indicator_data(
        indicator.goal, name="Lagi", target_value="x1", revision=indicator.revision
    )
    response = op_client.post(edit, bad)
    assert response.status_code == 200 and "<html" in body(response)
    assert 'value="x1"' in body(response) and "Lagi" in body(response)
    # Add and delete as plain posts too.
    response = op_client.get(url("editor_row_new", "goal"))
    assert "<html" in body(response)
    response = op_client.post(url("editor_row_new", "goal"), {"text": "G2", "level": "program"})
    goal = Goal.objects.get(text="G2")
    assert response["Location"].endswith(f"#goal-{goal.pk}")
    response = op_client.post(
        url("editor_row_delete", "goal", goal.pk), {"revision": goal.revision}
    )
    assert response.status_code == 302 and not Goal.objects.filter(pk=goal.pk).exists()
    # A read-only row requested without htmx leads back to the page.
    response = op_client.get(url("editor_row", "indicator", indicator.pk))
    assert response["Location"].endswith(f"#indicator-{indicator.pk}")
    assert op_client.get(url("plan_checks"))["Location"].endswith("#checks")


def test_new_indicator_needs_a_goal_of_this_plan(plan, op_client):
    assert op_client.get(url("editor_row_new", "indicator"), **HX).status_code == 404
    assert (
        op_client.get(url("editor_row_new", "indicator") + "?parent=999", **HX).status_code == 404
    )


# --- Stale edits --------------------------------------------------------------------------


def test_stale_edit_is_a_conflict_and_nothing_is_lost(plan, operator, role_users, client_for):
    fill_plan(plan)
    indicator = plan.indicators.get()
    stale_revision = indicator.revision
    # Someone else (the unit head) saves first.
    services.update_row(
        actor=role_users["unit_head"],
        row=indicator,
        revision=stale_revision,
        name="Nama dari kepala",
        target_value=Decimal(95),
    )
    client = client_for(operator)
    edit = url("editor_row_edit", "indicator", indicator.pk)
    mine = indicator_data(
        indicator.goal, name="Nama dari operator", target_value="70", revision=stale_revision
    )
    response = client.post(edit, mine, **HX)
    page = body(response)
    assert "Someone saved this indicator after you opened it" in page
    assert "Nama dari kepala" in page and "Nama dari operator" in page  # theirs and mine
    assert re.search(r"<td data-theirs>95</td><td data-yours>70</td>", page)
    assert f'name="revision" value="{stale_revision}"' in page  # a blind resave conflicts again
    indicator.refresh_from_db()
    assert indicator.name == "Nama dari kepala" and indicator.target_value == 95
    again = client.post(edit, mine, **HX)
    assert "Someone saved this indicator" in body(again)
    # The user decides to keep their version, knowing the other.
    overwrite = re.search(r'name="overwrite_revision" value="(\d+)"', page).group(1)
    response = client.post(edit, {**mine, "overwrite_revision": overwrite}, **HX)
    assert response["HX-Trigger"] == "plan-changed"
    indicator.refresh_from_db()
    assert indicator.name == "Nama dari operator" and indicator.target_value == 70


def test_a_move_meanwhile_is_not_a_conflict(plan, op_client, operator):
    """Reordering bumps the siblings' revisions but changes nobody's text: no conflict."""
    fill_plan(plan, per_goal=3)
    second = plan.indicators.get(code="IK1.2")
    form = body(op_client.get(url("editor_row_edit", "indicator", second.pk), **HX))
    seen = re.search(r'name="seen" value="(\w+)"', form).group(1)
    first = plan.indicators.get(code="IK1.1")
    services.move_row(actor=operator, row=first, direction="down")
    data = indicator_data(second.goal, name="Tetap tersimpan", revision=second.revision, seen=seen)
    response = op_client.post(url("editor_row_edit", "indicator", second.pk), data, **HX)
    assert "data-conflict" not in body(response)
    second.refresh_from_db()
    assert second.name == "Tetap tersimpan"


def test_stale_edit_without_javascript(plan, op_client, role_users):
    fill_plan(plan)
    goal = plan.goals.get()
    services.update_row(actor=role_users["staff"], row=goal, revision=goal.revision, text="Baru")
    response = op_client.post(
        url("editor_row_edit", "goal", goal.pk),
        {"text": "Punya saya", "level": "strategic", "revision": 1},
    )
    assert response.status_code == 200 and "<html" in body(response)
    assert "Someone saved this goal" in body(response) and "Punya saya" in body(response)
    goal.refresh_from_db()
    assert goal.text == "Baru"


def test_editing_a_row_deleted_meanwhile(plan, op_client, role_users):
    fill_plan(plan)
    indicator = plan.indicators.get()
    edit = url("editor_row_edit", "indicator", indicator.pk)
    op_client.get(edit, **HX)
    data = indicator_data(indicator.goal, name="Teks berharga", revision=indicator.revision)
    services.delete_row(actor=role_users["unit_head"], row=indicator, revision=indicator.revision)
    response = op_client.post(edit, data, **HX)
    page = body(response)
    assert "Someone deleted this indicator meanwhile" in page and "Teks berharga" in page
    assert 'hx-post="/plans/E1.A/2027/indicator/new/"' in page  # saving adds it again
    response = op_client.post(url("editor_row_new", "indicator"), data, **HX)
    assert Indicator.objects.get(plan=plan).name == "Teks berharga"


def test_stale_delete_is_refused(plan, op_client, role_users):
    fill_plan(plan)
    indicator = plan.indicators.get()
    services.update_row(
        actor=role_users["unit_head"], row=indicator, revision=indicator.revision, name="Baru"
    )
    response = op_client.post(
        url("editor_row_delete", "indicator", indicator.pk), {"revision": 1}, **HX
    )
    assert "it was not deleted" in body(response) and "Baru" in body(response)
    assert Indicator.objects.filter(pk=indicator.pk).exists()


# --- Delete and reorder -------------------------------------------------------------------


def test_delete_in_place(plan, op_client):
    fill_plan(plan, goals=2, per_goal=2)
    indicator = plan.indicators.order_by("id").first()
    response = op_client.post(
        url("editor_row_delete", "indicator", indicator.pk), {"revision": indicator.revision}, **HX
    )
    assert response.status_code == 200 and body(response) == ""
    assert response["HX-Trigger"] == "plan-changed"
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    goal = plan.goals.order_by("position").last()
    op_client.post(url("editor_row_delete", "goal", goal.pk), {"revision": goal.revision}, **HX)
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert Indicator.objects.filter(plan=plan).count() == 1
    page = body(op_client.get(detail_url(plan)))
    assert 'hx-confirm="Delete this goal and all its indicators?"' in page


def test_reorder_goals_and_indicators(plan, op_client):
    fill_plan(plan, goals=3, per_goal=3)
    third = plan.goals.get(code="S3")
    response = op_client.post(url("editor_row_move", "goal", third.pk), {"direction": "up"}, **HX)
    assert list(plan.goals.order_by("position").values_list("code", flat=True)) == [
        "S1",
        "S3",
        "S2",
    ]
    page = body(response)
    assert page.index(f'id="goal-{third.pk}"') < page.index("Sasaran 2")
    first_goal = plan.goals.get(code="S1")
    top = first_goal.indicators.get(code="IK1.1")
    response = op_client.post(
        url("editor_row_move", "indicator", top.pk), {"direction": "down"}, **HX
    )
    order = list(first_goal.indicators.order_by("position").values_list("code", flat=True))
    assert order == ["IK1.2", "IK1.1", "IK1.3"]
    rows = re.findall(r'<tr id="indicator-(\d+)"', body(response))
    assert [Indicator.objects.get(pk=pk).code for pk in rows] == order
    # The first cannot go further up; nothing changes.
    op_client.post(url("editor_row_move", "goal", first_goal.pk), {"direction": "up"}, **HX)
    assert plan.goals.order_by("position").first().code == "S1"
    # Without JavaScript: a redirect back to the row.
    response = op_client.post(url("editor_row_move", "goal", third.pk), {"direction": "down"})
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{third.pk}")
    assert (
        op_client.post(url("editor_row_move", "goal", third.pk), {"direction": "x"}).status_code
        == 400
    )


def test_moving_an_indicator_to_another_goal(plan, op_client):
    fill_plan(plan, goals=2, per_goal=1)
    indicator = plan.indicators.get(code="IK1.1")
    other = plan.goals.get(code="S2")
    data = indicator_data(other, name=indicator.name, revision=indicator.revision)
    response = op_client.post(url("editor_row_edit", "indicator", indicator.pk), data, **HX)
    assert response["HX-Retarget"] == "#goals-list"
    indicator.refresh_from_db()
    assert indicator.goal_id == other.pk


def test_cancel_returns_the_read_only_row(plan, op_client):
    fill_plan(plan)
    goal = plan.goals.get()
    response = op_client.get(url("editor_row", "goal", goal.pk), **HX)
    assert f'id="goal-row-{goal.pk}"' in body(response) and "<form" in body(response)
    assert "hx-post" in body(response) and 'name="text"' not in body(response)


# --- PK parties ---------------------------------------------------------------------------


def test_parties_are_suggested_and_saved(plan, op_client, officials):
    view = body(op_client.get(detail_url(plan)))
    assert "suggested: Budi Santoso" in view
    form = body(op_client.get(url("editor_parties_edit"), **HX))
    assert f'<option value="{officials["head"].pk}" selected>' in form
    assert f'<option value="{officials["superior"].pk}" selected>' in form
    plan.refresh_from_db()
    response = op_client.post(
        url("editor_parties_edit"),
        {
            "first_party": officials["head"].pk,
            "first_party_acting": "Plt",
            "second_party": officials["superior"].pk,
            "second_party_acting": "",
            "revision": plan.revision,
        },
        **HX,
    )
    assert response["HX-Trigger"] == "plan-changed"
    assert "Plt</span>" in body(response) and "Siti Rahma" in body(response)
    plan.refresh_from_db()
    assert plan.first_party == officials["head"] and plan.first_party_acting == "Plt"


def test_parties_saved_after_other_edits_of_the_plan(plan, op_client, officials, operator):
    form = body(op_client.get(url("editor_parties_edit"), **HX))
    revision = re.search(r'name="revision" value="(\d+)"', form).group(1)
    seen = re.search(r'name="seen" value="(\w+)"', form).group(1)
    services.create_row(actor=operator, model=Goal, plan=plan, text="Sasaran lain")  # revision+1
    data = {
        "first_party": officials["head"].pk,
        "second_party": officials["superior"].pk,
        "revision": revision,
        "seen": seen,
    }
    response = op_client.post(url("editor_parties_edit"), data, **HX)
    assert "data-conflict" not in body(response)
    plan.refresh_from_db()
    assert plan.second_party == officials["superior"]


def test_parties_must_be_two_people_and_conflicts_are_shown(plan, op_client, officials, role_users):
    plan.refresh_from_db()
    same = {
        "first_party": officials["head"].pk,
        "second_party": officials["head"].pk,
        "revision": plan.revision,
    }
    response = op_client.post(url("editor_parties_edit"), same, **HX)
    assert "must be another person" in body(response)
    services.set_parties(
        actor=role_users["unit_head"],
        plan=plan,
        revision=plan.revision,
        first_party=officials["superior"],
        second_party=officials["head"],
    )
    stale = {**same, "second_party": officials["superior"].pk, "first_party": officials["head"].pk}
    response = op_client.post(url("editor_parties_edit"), stale, **HX)
    assert "Someone changed this plan meanwhile" in body(response)
    assert "data-theirs" in body(response)
    plan.refresh_from_db()
    assert plan.first_party == officials["superior"]


def test_a_unit_operator_chooses_parties_from_their_unit_and_above(
    plan, op_client, officials, units
):
    from rkpk.organisation.models import Official

    Official.objects.create(
        name="Orang Biro B", nip="198001012000031005", position="Staf", unit=units["b"]
    )
    form = body(op_client.get(url("editor_parties_edit"), **HX))
    assert "Budi Santoso" in form and "Siti Rahma" in form and "Orang Biro B" not in form


# --- Locked plans -------------------------------------------------------------------------


def test_nothing_changes_on_a_submitted_plan(plan, op_client, officials, operator):
    fill_plan(plan, parties=officials)
    services.submit(actor=operator, plan=plan)
    goal = plan.goals.get()
    assert op_client.get(url("editor_row_new", "goal"), **HX).status_code == 403
    assert op_client.post(url("editor_row_new", "goal"), {"text": "x"}, **HX).status_code == 403
    response = op_client.post(
        url("editor_row_delete", "goal", goal.pk), {"revision": goal.revision}
    )
    assert response.status_code == 302
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert op_client.get(url("editor_parties_edit"), **HX).status_code == 403
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.SUBMITTED


def test_staff_may_edit_a_draft(plan, role_users, client_for):
    fill_plan(plan)
    goal = plan.goals.get()
    client = client_for(role_users["staff"])
    response = client.post(
        url("editor_row_edit", "goal", goal.pk),
        {"text": "Dientri biro", "level": "strategic", "revision": goal.revision},
        **HX,
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.text == "Dientri biro"
