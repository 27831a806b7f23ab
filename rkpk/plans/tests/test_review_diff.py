"""Comparing two versions: matching rows, readable old → new values, the compare page."""

from decimal import Decimal

import pytest

from rkpk.organisation.models import Official
from rkpk.plans import services
from rkpk.plans.diff import (
    ADDED,
    CHANGED,
    REMOVED,
    by_code,
    by_id,
    by_name,
    compare_snapshots,
    diff_as_text,
    match,
    word_diff,
)
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan
from rkpk.plans.snapshot import plan_snapshot
from rkpk.plans.tests.test_review_support import make_officials, make_plan, submitted_plan, url

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


@pytest.fixture
def officials(units):
    return make_officials(units)


@pytest.fixture
def plan(units, officials):
    return make_plan(units["a"], officials, indicators=3)


def changes(diff, section):
    return {
        (c.kind, c.label): {f.name: (f.old, f.new) for f in c.fields}
        for c in diff.sections[section]
    }


def test_match_by_id_then_code_then_name():
    old = [
        {"id": 1, "code": "A", "name": "Satu"},
        {"id": 2, "code": "B", "name": "Dua"},
        {"id": 3, "code": "", "name": "Tiga  ekor"},
        {"id": 4, "code": "", "name": "Empat"},
    ]
    new = [
        {"id": 10, "code": "", "name": "tiga, ekor"},  # re-created, no code: by name
        {"id": 1, "code": "A2", "name": "Satu baru"},  # same id, code changed
        {"id": 20, "code": "B", "name": "Dua diganti"},  # re-created: by code
        {"id": 30, "code": "", "name": "Lima"},
    ]
    pairs, removed, added = match(old, new, (by_id, by_code, by_name))
    assert [(o["id"], n["id"]) for o, n in pairs] == [(3, 10), (1, 1), (2, 20)]
    assert [r["id"] for r in removed] == [4]
    assert [a["id"] for a in added] == [30]


def test_identical_versions_have_no_changes(plan):
    snapshot = plan_snapshot(plan)
    diff = compare_snapshots(snapshot, plan_snapshot(plan), old_number=1, new_number=2)
    assert diff.is_empty
    assert "The two versions have the same content." in diff_as_text(diff)


def test_targets_names_and_flags_changed_added_removed(plan):
    before = plan_snapshot(plan)
    ik1, ik2, ik3 = Indicator.objects.filter(plan=plan).order_by("position")
    ik1.target_value, ik1.in_pk, ik1.polarity = Decimal(90), False, "lower"
    ik1.save()
    ik2.delete()
    Indicator.objects.create(
        plan=plan, goal=ik1.goal, position=9, code="IK9", name="Indeks kepuasan layanan",
        measure="Indeks", target_kind="range", target_min=Decimal("3.5"), target_max=Decimal(4),
    )  # fmt: skip
    ik3.q4 = Decimal("83.5")
    ik3.save()
    diff = compare_snapshots(before, plan_snapshot(plan), old_number=1, new_number=2)
    indicators = changes(diff, "indicators")
    label1 = "IK1 Persentase laporan kinerja tepat waktu nomor 1"
    assert indicators[(CHANGED, label1)] == {
        "target": ("81%", "90%"),
        "polarity": ("Higher is better", "Lower is better"),
        "in_pk": ("Yes", "No"),
    }
    assert indicators[(CHANGED, "IK3 Persentase laporan kinerja tepat waktu nomor 3")] == {
        "q4": ("", "83,5")
    }
    added = indicators[(ADDED, "IK9 Indeks kepuasan layanan")]
    assert added["target"] == ("", "3,5–4") and added["measure"] == ("", "Indeks")
    removed = indicators[(REMOVED, "IK2 Persentase laporan kinerja tepat waktu nomor 2")]
    assert removed["target"] == ("82%", "")
    assert diff.counts == {ADDED: 1, REMOVED: 1, CHANGED: 2}
    # The context of an indicator is its goal.
    assert {c.context for c in diff.sections["indicators"]} == {
        "S1 Meningkatnya akuntabilitas kinerja unit"
    }


def test_rows_re_created_by_an_import_pair_up_by_code_then_name(plan):
    before = plan_snapshot(plan)
    goal = plan.goals.get()
    rows = list(Indicator.objects.filter(plan=plan).order_by("position"))
    Indicator.objects.filter(plan=plan).delete()
    Indicator.objects.create(  # same code, new id, new name
        plan=plan, goal=goal, position=1, code="IK1", name="Nama baru IK1", measure="Persen",
        target_kind="percent", target_value=rows[0].target_value,
        definition=rows[0].definition, data_source=rows[0].data_source,
    )  # fmt: skip
    for row in rows[1:]:  # code dropped, same name (different case and punctuation)
        Indicator.objects.create(
            plan=plan, goal=goal, position=row.position, code="", name=row.name.upper() + ".",
            measure=row.measure, target_kind=row.target_kind, target_value=row.target_value,
            definition=row.definition, data_source=row.data_source,
        )  # fmt: skip
    diff = compare_snapshots(before, plan_snapshot(plan), old_number=1, new_number=2)
    kinds = {c.kind for c in diff.sections["indicators"]}
    assert kinds == {CHANGED}, diff_as_text(diff)
    by_label = changes(diff, "indicators")
    assert by_label[(CHANGED, "IK1 Nama baru IK1")] == {
        "name": ("Persentase laporan kinerja tepat waktu nomor 1", "Nama baru IK1")
    }
    assert len(by_label) == 3


def test_a_renamed_goal_is_one_change_a_moved_indicator_another(plan):
    before = plan_snapshot(plan)
    goal = plan.goals.get()
    goal.text = "Meningkatnya kualitas akuntabilitas kinerja unit"
    goal.save()
    second = Goal.objects.create(plan=plan, position=2, code="S2", text="Sasaran kedua")
    Indicator.objects.filter(plan=plan, code="IK3").update(goal=second)
    diff = compare_snapshots(before, plan_snapshot(plan), old_number=1, new_number=2)
    goals = changes(diff, "goals")
    assert goals[(CHANGED, "S1 Meningkatnya kualitas akuntabilitas kinerja unit")] == {
        "text": (
            "Meningkatnya akuntabilitas kinerja unit",
            "Meningkatnya kualitas akuntabilitas kinerja unit",
        )
    }
    assert (ADDED, "S2 Sasaran kedua") in goals
    indicators = changes(diff, "indicators")
    assert list(indicators) == [(CHANGED, "IK3 Persentase laporan kinerja tepat waktu nomor 3")]
    assert indicators[(CHANGED, "IK3 Persentase laporan kinerja tepat waktu nomor 3")] == {
        "goal": ("S1 Meningkatnya akuntabilitas kinerja unit", "S2 Sasaran kedua")
    }


def test_activities_outputs_budget_and_parties(plan, officials, units):
    before = plan_snapshot(plan)
    activity = Activity.objects.get(plan=plan, code="K1")
    activity.budget = Decimal(2_000_000)
    activity.save()
    Activity.objects.filter(plan=plan, code="P1").update(budget=Decimal(2_000_000))
    ActivityIndicator.objects.create(
        activity=activity, position=2, name="Dokumen evaluasi", measure="Dokumen",
        target_kind="number", target_value=1,
    )  # fmt: skip
    ActivityIndicator.objects.filter(activity=activity, name="Laporan kinerja").update(
        target_value=12
    )
    new_superior = Official.objects.create(
        name="Agus Wijaya", nip="197501012000031005", position="Deputi Uji"
    )
    UnitPlan.objects.filter(pk=plan.pk).update(second_party=new_superior, first_party_acting="Plt")
    diff = compare_snapshots(before, plan_snapshot(plan), old_number=1, new_number=2)
    assert changes(diff, "plan")[(CHANGED, "Total budget")] == {
        "budget_total": ("Rp1.500.000", "Rp2.000.000")
    }
    activities = changes(diff, "activities")
    assert activities[(CHANGED, "K1 Penyusunan laporan")] == {
        "budget": ("Rp1.500.000", "Rp2.000.000")
    }
    outputs = changes(diff, "outputs")
    assert outputs[(CHANGED, "Laporan kinerja")] == {"target": ("4", "12")}
    assert outputs[(ADDED, "Dokumen evaluasi")]["target"] == ("", "1")
    assert {c.context for c in diff.sections["outputs"]} == {"K1 Penyusunan laporan"}
    parties = changes(diff, "parties")
    assert parties[(CHANGED, "Second party")] == {
        "name": ("Siti Rahayu", "Agus Wijaya"),
        "nip": ("196801012000032002", "197501012000031005"),
        "position": ("Sekretaris Uji", "Deputi Uji"),
    }
    assert parties[(CHANGED, "First party")] == {"acting": ("Definitive", "Plt (acting)")}
    text = diff_as_text(diff, title="RK-PK 2027")
    assert "~ [changed] Second party" in text
    assert "    Name: Siti Rahayu → Agus Wijaya" in text
    assert "+ [added] Dokumen evaluasi (K1 Penyusunan laporan)" in text


def test_a_removed_party_and_an_added_activity(plan):
    before = plan_snapshot(plan)
    UnitPlan.objects.filter(pk=plan.pk).update(second_party=None)
    Activity.objects.create(plan=plan, position=3, kind="activity", code="K2", name="Monev")
    diff = compare_snapshots(before, plan_snapshot(plan), old_number=1, new_number=2)
    parties = changes(diff, "parties")
    assert parties[(REMOVED, "Second party")]["name"] == ("Siti Rahayu", "")
    assert changes(diff, "activities")[(ADDED, "K2 Monev")]["budget"] == ("", "Rp0")


def test_long_texts_are_compared_word_by_word(plan):
    before = plan_snapshot(plan)
    old_text = "Laporan yang disampaikan sebelum batas waktu"
    new_text = (
        "Laporan kinerja yang disampaikan lengkap sebelum batas waktu yang ditetapkan Menteri"
    )
    Indicator.objects.filter(plan=plan, code="IK1").update(definition=new_text)
    diff = compare_snapshots(before, plan_snapshot(plan), old_number=1, new_number=2)
    (field,) = diff.sections["indicators"][0].fields
    assert (field.old, field.new) == (old_text, new_text)
    assert field.is_long
    inserted = "".join(s.text for s in field.new_segments if s.op == "insert")
    assert "kinerja" in inserted and "lengkap" in inserted and "Menteri" in inserted
    assert all(s.op != "delete" for s in field.new_segments)
    assert "".join(s.text for s in field.old_segments) == old_text
    assert "".join(s.text for s in field.new_segments) == new_text


def test_word_diff_marks_replacements():
    segments = word_diff("target 80 persen", "target 85 persen")
    assert [(s.op, s.text.strip()) for s in segments] == [
        ("equal", "target"),
        ("delete", "80"),
        ("insert", "85"),
        ("equal", "persen"),
    ]


# --- The compare page -----------------------------------------------------------------------


@pytest.fixture
def versions(units, officials, role_users):
    """A plan with two versions: version 2 raised IK1's target and dropped IK2."""
    plan = submitted_plan(units, officials, role_users["unit_operator"])
    services.request_clarification(actor=role_users["staff"], plan=plan, reasons=["TARGET"])
    plan.refresh_from_db()
    ik1 = Indicator.objects.get(plan=plan, code="IK1")
    services.update_row(
        actor=role_users["unit_operator"], row=ik1, revision=ik1.revision, target_value=Decimal(95)
    )
    ik2 = Indicator.objects.get(plan=plan, code="IK2")
    services.delete_row(actor=role_users["unit_operator"], row=ik2, revision=ik2.revision)
    services.submit(actor=role_users["unit_operator"], plan=plan)
    return plan


def test_the_compare_page_shows_the_latest_two_by_default(versions, role_users, client_for):
    response = client_for(role_users["unit_operator"]).get(url("review_compare", versions))
    assert response.status_code == 200
    text = response.content.decode()
    assert "From version 1 to version 2" in text
    assert '<del class="bg-danger-subtle">81%</del>' in text
    assert '<ins class="bg-success-subtle">95%</ins>' in text
    assert "Persentase laporan kinerja tepat waktu nomor 2" in text
    assert "1 removed" in text and "1 changed" in text


def test_the_compare_page_with_chosen_versions_and_as_text(versions, role_users, client_for):
    client = client_for(role_users["staff"])
    text = client.get(url("review_compare", versions), {"a": 2, "b": 1}).content.decode()
    assert "From version 1 to version 2" in text  # given in either order
    response = client.get(url("review_compare", versions), {"a": 1, "b": 2, "format": "text"})
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "RK-PK 2027 — Biro A" in body
    assert "Annual target: 81% → 95%" in body
    assert "- [removed] IK2 Persentase laporan kinerja tepat waktu nomor 2" in body


def test_the_compare_page_refuses_bad_choices(versions, role_users, client_for):
    client = client_for(role_users["staff"])
    response = client.get(url("review_compare", versions), {"a": 1, "b": 1})
    assert response.status_code == 400
    assert "Choose two different versions." in response.content.decode()
    response = client.get(url("review_compare", versions), {"a": 1, "b": 9})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.get(url("review_compare", versions), {"a": "x", "b": "<b>"})
    assert response.status_code == 400


def test_one_version_has_nothing_to_compare(units, officials, role_users, client_for):
    plan = submitted_plan(units, officials, role_users["unit_operator"])
    text = client_for(role_users["staff"]).get(url("review_compare", plan)).content.decode()
    assert "needs at least two submitted versions" in text
