"""Money and numbers counted once (issue 12 point 5): roll-up lines and repeated indicators."""

from decimal import Decimal

import pytest
from django.urls import reverse

from rkpk.analysis import compilation as comp
from rkpk.analysis import services as analysis_services
from rkpk.analysis.tests.compilation_factories import accepted_plan, map_all, period_with_goals
from rkpk.organisation.models import Role
from rkpk.plans.models import Activity, Goal, Indicator, UnitPlan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]
M = Decimal(1_000_000)


def _root_plan_lines(plan, units, *, marked=True, a_amount=None):
    """The Eselon I plan as real ones are written: one program, one line per child unit
    carrying that unit's total (1,5 M each in the factories' plans)."""
    Activity.objects.filter(plan=plan).delete()
    Activity.objects.create(plan=plan, position=1, kind="program",
                            name="Program Dukungan Manajemen", budget=3 * M)  # fmt: skip
    Activity.objects.create(
        plan=plan, position=2, kind="activity", name="Dukungan manajemen Biro A",
        budget=a_amount or Decimal("1.5") * M, rolls_up=units["a"] if marked else None,
    )  # fmt: skip
    Activity.objects.create(
        plan=plan, position=3, kind="activity", name="Dukungan manajemen Biro B",
        budget=Decimal("1.5") * M, rolls_up=units["b"] if marked else None,
    )  # fmt: skip


@pytest.fixture
def organisation(units, role_users, make_user):
    """E1 with roll-up lines and a repeated indicator (the sum of its children's), A and B."""
    _period, goals = period_with_goals()
    staff = role_users["staff"]
    a = accepted_plan(units["a"], staff, role_users["unit_operator"])
    b = accepted_plan(units["b"], staff, role_users["operator_b"])
    root_operator = make_user("op_root", (Role.UNIT_OPERATOR, units["root"]))
    root = accepted_plan(units["root"], staff, root_operator, indicators=1)
    _root_plan_lines(root, units)
    # The parent repeats its children's figure: 4 × 85 = 340.
    Indicator.objects.filter(plan=root).update(target_kind="number", target_value=340)
    for plan in (a, b, root):
        map_all(plan, goals[0], staff)
    return {"goals": goals, "root": root, "a": a, "b": b, "staff": staff}


def _figures(version):
    mi = version.data["goals"][0]["ministry_indicators"][0]
    return Decimal(version.data["budget_total"]), Decimal(mi["value"]), mi


def test_plans_of_different_depths_give_the_same_totals(organisation):
    staff = organisation["staff"]
    deep = analysis_services.compile_year(actor=staff, year=2027)
    budget, total, mi = _figures(deep)
    assert budget == 3 * M  # A and B once each; not 6 M (the double count)
    assert total == 340  # A's and B's 4 indicators; the root's repeated 340 set aside
    assert mi["count"] == 4 and mi["repeated"] == ["E1"] and mi["repeated_count"] == 1
    units = {u["code"]: u for u in deep.data["units"]}
    assert Decimal(units["E1"]["budget"]) == 0 and Decimal(units["E1"]["plan_total"]) == 3 * M
    [rec] = deep.data["reconciliation"]
    assert rec["code"] == "E1" and rec["differences"] == 0 and rec["suspects"] == 0
    assert [(line["unit_code"], line["status"]) for line in rec["lines"]] == [
        ("E1.A", "ok"),
        ("E1.B", "ok"),
    ]
    assert Decimal(deep.data["rolled_up_total"]) == 3 * M

    # The same organisation with its Eselon II plans only.
    UnitPlan.objects.filter(pk=organisation["root"].pk).update(status=UnitPlan.Status.DRAFT)
    shallow = analysis_services.compile_year(actor=staff, year=2027)
    assert _figures(shallow)[:2] == (budget, total)
    assert shallow.data["reconciliation"] == []


def test_a_line_that_differs_from_the_childs_plan_is_flagged(organisation, units):
    Activity.objects.filter(plan=organisation["root"], rolls_up=units["a"]).update(
        budget=Decimal("1.2") * M
    )
    Activity.objects.filter(plan=organisation["root"], kind="program").update(
        budget=Decimal("2.7") * M
    )
    version = analysis_services.compile_year(actor=organisation["staff"], year=2027)
    [rec] = version.data["reconciliation"]
    line = rec["lines"][0]
    assert line["status"] == "differs" and Decimal(line["difference"]["value"]) == -300_000
    assert any("differ" in w and "E1" in w for w in version.warnings)
    assert Decimal(version.data["budget_total"]) == 3 * M  # still each rupiah once


def test_unmarked_rollup_lines_are_flagged_as_probable_double_counting(organisation, units):
    _root_plan_lines(organisation["root"], units, marked=False)
    version = analysis_services.compile_year(actor=organisation["staff"], year=2027)
    [rec] = version.data["reconciliation"]
    assert rec["suspects"] == 2 and rec["lines"] == []
    assert [s["unit_code"] for s in rec["suspect_lines"]] == ["E1.A", "E1.B"]
    assert any("probable double counting" in w for w in version.warnings)


def test_a_line_naming_a_unit_with_another_amount_is_not_suspected(organisation, units):
    _root_plan_lines(organisation["root"], units, marked=False, a_amount=Decimal(7))
    version = analysis_services.compile_year(actor=organisation["staff"], year=2027)
    [rec] = version.data["reconciliation"]
    assert [s["unit_code"] for s in rec["suspect_lines"]] == ["E1.B"]


def test_sum_takes_a_descendants_figure_once_two_levels_down(organisation, units, make_user):
    """A grandchild, its parent and the Eselon I all contribute: only the grandchild and the
    units with no contributing descendant count."""
    from rkpk.organisation.models import Unit

    staff = organisation["staff"]
    sub = Unit.objects.create(code="E1.A.1", name="Bagian A1", level=3, parent=units["a"])
    op = make_user("op_sub", (Role.UNIT_OPERATOR, sub))
    plan = accepted_plan(sub, staff, op, indicators=1)
    map_all(plan, organisation["goals"][0], staff)
    version = analysis_services.compile_year(actor=staff, year=2027)
    _budget, total, mi = _figures(version)
    assert mi["repeated"] == ["E1", "E1.A"]
    assert total == 85 + 2 * 85  # the grandchild's and B's two; A and E1 repeat them


def test_the_page_shows_the_reconciliation_and_the_rule(organisation, role_users, client_for):
    analysis_services.compile_year(actor=organisation["staff"], year=2027)
    page = client_for(role_users["staff"]).get(
        reverse("analysis:compilation_detail", args=[2027, 1])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="reconciliation"' in html and "E1.A" in html
    assert "counted once" in html
    assert "the plan's total with its roll-up lines is Rp3.000.000" in html


def test_rollups_excluded_from_budget_by_program():
    activities = [
        {"kind": "program", "name": "P", "budget": 3 * M, "rolls_up": None},
        {"kind": "activity", "name": "x", "budget": M, "rolls_up": 5},
        {"kind": "activity", "name": "y", "budget": 2 * M, "rolls_up": None},
    ]
    assert comp._program_budgets(activities) == [("P", 2 * M)]


def test_goal_kept(organisation):
    # The repeated indicator stays listed under its goal (nothing hidden), only not added.
    version = analysis_services.compile_year(actor=organisation["staff"], year=2027)
    listed = {e["unit_code"] for e in version.data["goals"][0]["unit_indicators"]}
    assert listed == {"E1", "E1.A", "E1.B"}
    assert Goal.objects.filter(plan=organisation["root"]).exists()


def test_consolidated_documents_count_once_and_reconcile(organisation, units):
    import io

    import openpyxl

    from rkpk.analysis import consolidated_documents as documents

    Activity.objects.filter(plan=organisation["root"], rolls_up=units["b"]).update(rolls_up=None)
    version = analysis_services.compile_year(actor=organisation["staff"], year=2027)
    context = documents.document_context(version, doc="rk")
    assert context["budget_total_amount"] == version.data["budget_total"]
    assert "tidak dijumlahkan lagi" in context["budget_note"]
    states = [(r["unit"], r["state"]) for r in context["reconciliation"]]
    assert states[0] == ("E1.A Biro A", "sesuai")
    assert states[1][0] == "E1.B Biro B" and states[1][1].startswith("kemungkinan dihitung ganda")
    html = documents.render_html(context)
    assert 'id="reconciliation"' in html and "Rekonsiliasi" in html
    book = openpyxl.load_workbook(io.BytesIO(documents.render_xlsx(context)))
    sheet = book["Rekonsiliasi"]
    assert [c.value for c in sheet[3]][3:5] == [1_500_000, 1_500_000]
    docx = documents.render_docx(context)
    assert docx[:2] == b"PK"


def test_an_imported_eselon_i_plan_is_not_counted_twice(organisation, units, role_users):
    """The issue's 1.99×: Eselon I lines carrying their units' totals, unmarked in the
    workbook. The import recognises them, so the compilation adds each rupiah once."""
    from rkpk.plans.excel import build_workbook, import_workbook

    root = organisation["root"]
    _root_plan_lines(root, units, marked=False)
    UnitPlan.objects.filter(pk=root.pk).update(status=UnitPlan.Status.DRAFT)
    root.refresh_from_db()
    result = import_workbook(actor=None, plan=root, data=build_workbook(root), filename="e1.xlsx")
    assert result.ok and [r["unit_code"] for r in result.rollups] == ["E1.A", "E1.B"]
    UnitPlan.objects.filter(pk=root.pk).update(status=UnitPlan.Status.ACCEPTED)
    version = analysis_services.compile_year(actor=organisation["staff"], year=2027)
    assert Decimal(version.data["budget_total"]) == 3 * M
    own = sum(Decimal(u["budget"]) for u in version.data["units"])
    assert own == 3 * M and not any("double counting" in w for w in version.warnings)


def test_a_line_rolling_up_a_unit_without_accepted_plan(organisation, units):
    UnitPlan.objects.filter(pk=organisation["b"].pk).update(status=UnitPlan.Status.DRAFT)
    version = analysis_services.compile_year(actor=organisation["staff"], year=2027)
    [rec] = version.data["reconciliation"]
    assert [line["status"] for line in rec["lines"]] == ["ok", "no_plan"]
    assert any("not accepted yet" in w for w in version.warnings)
    assert any("E1.B" in w for w in version.warnings)  # listed as missing too
    assert Decimal(version.data["budget_total"]) == Decimal("1.5") * M  # A's own only
