"""Roll-up lines in a plan: an activity standing for the whole plan of a unit below
(editor, services, API, snapshot, copy to the next year)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from rkpk.api.tests.conftest import API
from rkpk.core.models import AuditEvent
from rkpk.organisation.models import Unit
from rkpk.plans import rollups, services, services_content
from rkpk.plans.models import Activity, UnitPlan
from rkpk.plans.snapshot import own_budget, plan_snapshot, total_budget
from rkpk.plans.tests.factories import complete_plan

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sub(units):
    """A unit below Biro A (whose operator is role_users["unit_operator"])."""
    return Unit.objects.create(code="E1.A.1", name="Bagian Umum A", short_name="BUA", level=3,
                               parent=units["a"])  # fmt: skip


@pytest.fixture
def plan(units, sub):
    return complete_plan(units["a"])


def _activity(plan):
    return Activity.objects.get(plan=plan, kind="activity")


def test_units_below_and_names_unit(units, sub):
    assert set(rollups.units_below(units["root"])) == {units["a"], units["b"], sub}
    assert list(rollups.units_below(units["a"])) == [sub]
    assert not rollups.units_below(units["b"]).exists()
    assert rollups.names_unit("Dukungan manajemen Bagian Umum A.", sub)
    assert rollups.names_unit("Rekap (bua)", sub)
    assert rollups.names_unit("Kegiatan E1.A.1", sub)
    assert not rollups.names_unit("Bagian Umum Anggaran", sub)


def test_service_sets_validates_and_audits(plan, role_users, sub, units):
    operator = role_users["unit_operator"]
    row = _activity(plan)
    row = services.update_row(actor=operator, row=row, revision=row.revision, rolls_up=sub)
    assert row.rolls_up == sub
    event = AuditEvent.objects.filter(action="plan.activity_changed").latest("seq")
    assert event.before["rolls_up_id"] is None and event.after["rolls_up_id"] == sub.pk
    with pytest.raises(ValidationError) as refused:
        services.update_row(actor=operator, row=row, revision=row.revision, rolls_up=units["b"])
    assert "not below" in str(refused.value.message_dict["rolls_up"])
    program = Activity.objects.get(plan=plan, kind="program")
    with pytest.raises(ValidationError) as refused:
        services.update_row(actor=operator, row=program, revision=program.revision, rolls_up=sub)
    assert "Only an activity" in str(refused.value.message_dict["rolls_up"])
    row.refresh_from_db()
    assert row.rolls_up == sub  # refused changes leave the row as it was


def test_editor_offers_only_units_below_and_refuses_others(plan, role_users, client_for, sub):
    client = client_for(role_users["unit_operator"])
    row = _activity(plan)
    edit = reverse("plans:editor_row_edit", args=["E1.A", plan.year, "activity", row.pk])
    form = client.get(edit, **HX).content.decode()
    assert 'name="rolls_up"' in form and "E1.A.1 · Bagian Umum A" in form
    assert "E1.B" not in form
    data = {"kind": "activity", "code": "", "name": row.name, "budget": "1.500.000",
            "notes": "", "revision": row.revision}  # fmt: skip
    response = client.post(edit, {**data, "rolls_up": sub.pk}, **HX)
    assert response.status_code == 200
    assert "Rolls up the plan of Bagian Umum A" in response.content.decode()
    row.refresh_from_db()
    assert row.rolls_up == sub
    # A unit outside the list is refused by the form, with the field named.
    response = client.post(
        edit, {**data, "revision": row.revision, "rolls_up": Unit.objects.get(code="E1.B").pk}, **HX
    )
    assert "is-invalid" in response.content.decode()
    row.refresh_from_db()
    assert row.rolls_up == sub


def test_api_sets_and_clears_by_unit_code(plan, role_users, sub):
    client = Client()
    client.force_login(role_users["unit_operator"])
    base = f"{API}/plans/E1.A/{plan.year}"
    row = _activity(plan)
    answer = client.patch(f"{base}/rows/activities/{row.pk}",
                          {"revision": row.revision, "rolls_up": "E1.A.1"},
                          content_type="application/json")  # fmt: skip
    assert answer.status_code == 200, answer.content
    detail = client.get(base).json()
    line = next(a for a in detail["content"]["activities"] if a["id"] == row.pk)
    assert line["rolls_up"] == {"id": sub.pk, "code": "E1.A.1", "name": "Bagian Umum A"}
    for code, status in (("NOPE", 422), ("E1.B", 422)):
        refused = client.patch(f"{base}/rows/activities/{row.pk}",
                               {"revision": answer.json()["revision"], "rolls_up": code},
                               content_type="application/json")  # fmt: skip
        assert refused.status_code == status and "rolls_up" in refused.content.decode()
    cleared = client.patch(f"{base}/rows/activities/{row.pk}",
                           {"revision": answer.json()["revision"], "rolls_up": ""},
                           content_type="application/json")  # fmt: skip
    assert cleared.status_code == 200
    row.refresh_from_db()
    assert row.rolls_up is None


def test_snapshot_totals_and_copy_to_next_year(plan, role_users, sub):
    row = _activity(plan)
    Activity.objects.filter(pk=row.pk).update(rolls_up=sub)
    snapshot = plan_snapshot(plan)
    assert Decimal(snapshot["budget_total"]) == 1_500_000  # the document total, as printed
    assert Decimal(snapshot["own_budget_total"]) == 0  # what the compilation adds
    assert total_budget(snapshot["activities"]) == 1_500_000
    assert own_budget(snapshot["activities"]) == 0
    later = UnitPlan.objects.create(unit=plan.unit, year=plan.year + 1)
    services_content.copy_previous_year(actor=role_users["unit_operator"], plan=later)
    assert Activity.objects.get(plan=later, kind="activity").rolls_up == sub


def test_mark_rollups_service(plan, role_users, sub, units):
    operator = role_users["unit_operator"]
    row = _activity(plan)
    changed = services.mark_rollups(actor=operator, plan=plan, pairs=[(row.pk, sub.pk)])
    assert [r.pk for r in changed] == [row.pk]
    assert AuditEvent.objects.filter(action="plan.activity_changed", object_id=str(row.pk)).exists()
    with pytest.raises(ValidationError):
        services.mark_rollups(actor=operator, plan=plan, pairs=[(row.pk, units["b"].pk)])
    row.refresh_from_db()
    assert row.rolls_up == sub


def test_documents_print_the_remark_and_the_diff_names_the_unit(plan, sub):
    from rkpk.plans import diff, documents

    old = plan_snapshot(plan)
    row = _activity(plan)
    Activity.objects.filter(pk=row.pk).update(rolls_up=sub, notes="Sesuai DIPA")
    new = plan_snapshot(plan)
    context = documents.document_context(new, doc="rk")
    line = next(r for r in context["rk"]["activities"] if not r["is_program"])
    assert line["notes"] == "Rekapitulasi Bagian Umum A; Sesuai DIPA"
    assert "Rekapitulasi Bagian Umum A" in documents.render_html(context)
    changes = diff.compare_snapshots(old, new).changes
    fields = {f.name: (f.old, f.new) for c in changes for f in c.fields}
    assert fields["rolls_up"] == ("", "E1.A.1 Bagian Umum A")
    # Snapshots frozen before roll-ups existed still compare.
    for activity in old["activities"]:
        activity.pop("rolls_up")
    assert diff.compare_snapshots(old, old).is_empty


def test_the_checks_warn_about_unmarked_and_mismatched_rollups(plan, sub):
    from rkpk.plans import checks

    def problems():
        results = checks.run_checks(plan_snapshot(plan))
        return next(r for r in results if r["code"] == "ROLLUPS_MARKED")["problems"]

    assert problems() == []  # the unit below has no plan yet
    child = complete_plan(sub)
    Activity.objects.filter(plan=plan, kind="activity").update(name="Dukungan BUA")
    [warning] = problems()
    assert "names Bagian Umum A" in warning and "counts it twice" in warning
    Activity.objects.filter(plan=plan, kind="activity").update(rolls_up=sub)
    assert problems() == []
    Activity.objects.filter(plan=child, kind="program").update(budget=2_000_000)
    Activity.objects.filter(plan=child, kind="activity").update(budget=2_000_000)
    [warning] = problems()
    assert "whose total is now Rp2.000.000" in warning
    Activity.objects.create(plan=plan, position=9, kind="activity", name="Lagi", budget=0,
                            rolls_up=sub)  # fmt: skip
    assert "rolled up by more than one line" in problems()[-1]
    outputs = next(
        r for r in checks.run_checks(plan_snapshot(plan)) if r["code"] == "ACTIVITY_OUTPUTS"
    )
    assert outputs["passed"] or all("Dukungan BUA" not in p for p in outputs["problems"])


def test_the_submitted_version_shows_the_rollup(plan, role_users, client_for, sub):
    Activity.objects.filter(plan=plan, kind="activity").update(rolls_up=sub)
    services.submit(actor=role_users["unit_operator"], plan=plan)
    page = client_for(role_users["staff"]).get(
        reverse("plans:review_submission", args=["E1.A", plan.year, 1])
    )
    assert page.status_code == 200
    assert "Rolls up the plan of Bagian Umum A" in page.content.decode()


def test_a_unit_with_nothing_below_sees_no_rollup_field(role_users, client_for, units):
    plan = complete_plan(units["b"])
    client = client_for(role_users["operator_b"])
    row = _activity(plan)
    edit = reverse("plans:editor_row_edit", args=["E1.B", plan.year, "activity", row.pk])
    form = client.get(edit, **HX).content.decode()
    assert 'type="hidden" name="rolls_up"' in form and "Rolls up the plan of" not in form
