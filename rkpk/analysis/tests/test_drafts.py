from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rkpk.analysis import drafts, services_drafts
from rkpk.analysis.models import AnalysisDraft, Mapping, RenstraPeriod, StrategicGoal
from rkpk.core.calendar import today
from rkpk.organisation.models import Role, Unit
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.factories import complete_plan
from rkpk.procedure import services as procedure
from rkpk.procedure.models import CycleStep

pytestmark = pytest.mark.django_db
YEAR = 2027


@pytest.fixture
def goals():
    period = RenstraPeriod.objects.create(name="Renstra 2025–2029", start_year=2025, end_year=2029)
    return [
        StrategicGoal.objects.create(period=period, code=f"SS-{i:02d}", text=t, sort_order=i)
        for i, t in enumerate(["Meningkatnya kualitas layanan", "Terwujudnya tata kelola"], 1)
    ]


def _map(plan, goal, user):
    for ind in plan.indicators.all():
        Mapping.objects.create(indicator=ind, goal=goal, source="manual", decided_by=user)


def test_draft_has_default_sections_and_tables(role_users, units, goals):
    plan = complete_plan(units["a"], YEAR)
    UnitPlan.objects.filter(pk=plan.pk).update(status=UnitPlan.Status.ACCEPTED)
    _map(plan, goals[0], role_users["staff"])
    draft = services_drafts.create_or_refresh_draft(actor=role_users["staff"], year=YEAR)
    keys = [s.key for s in draft.sections.all()]
    assert keys == ["pendahuluan", "gambaran-umum", "sasaran-ss-01", "sasaran-ss-02", "kesimpulan"]
    tables = drafts.generate_tables(YEAR)
    assert tables["summary"][0]["indicators"] == 2 and tables["summary"][0]["units"] == 1
    assert tables["summary"][1]["indicators"] == 0
    assert "2 indikator" in draft.sections.get(key="sasaran-ss-01").text
    # Refreshing keeps the text written and adds sections of new goals.
    section = draft.sections.get(key="kesimpulan")
    services_drafts.update_section(
        actor=role_users["staff"], section=section, revision=1, text="Hasil."
    )
    StrategicGoal.objects.create(period=goals[0].period, code="SS-03", text="Baru", sort_order=3)
    services_drafts.create_or_refresh_draft(actor=role_users["staff"], year=YEAR)
    assert draft.sections.get(key="kesimpulan").text == "Hasil."
    assert draft.sections.filter(key="sasaran-ss-03").exists()


def test_tables_take_constant_queries(role_users, units, goals):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            drafts.generate_tables(YEAR)
        return len(ctx.captured_queries)

    plan = complete_plan(units["a"], YEAR)
    UnitPlan.objects.filter(pk=plan.pk).update(status=UnitPlan.Status.ACCEPTED)
    _map(plan, goals[0], role_users["staff"])
    small = count()
    for i in range(3):
        unit = Unit.objects.create(
            code=f"E1.X{i}", name=f"Biro X{i}", level=2, parent=units["root"]
        )
        other = complete_plan(unit, YEAR, indicators=4)
        UnitPlan.objects.filter(pk=other.pk).update(status=UnitPlan.Status.ACCEPTED)
        _map(other, goals[1], role_users["staff"])
    assert count() == small


def test_two_analysts_editing_one_section_conflict_without_lost_update(role_users, goals):
    draft = services_drafts.create_or_refresh_draft(actor=role_users["staff"], year=YEAR)
    section = draft.sections.get(key="pendahuluan")
    first = services_drafts.update_section(
        actor=role_users["staff"], section=section, revision=1, text="Teks analis pertama."
    )
    assert first.revision == 2
    with pytest.raises(services_drafts.ConflictError):
        services_drafts.update_section(
            actor=role_users["head_of_section"], section=section, revision=1, text="Teks kedua."
        )
    section.refresh_from_db()
    assert section.text == "Teks analis pertama." and section.revision == 2


def test_unit_people_may_not_write(role_users, goals):
    with pytest.raises(PermissionDenied):
        services_drafts.create_or_refresh_draft(actor=role_users["unit_operator"], year=YEAR)
    with pytest.raises(PermissionDenied):
        services_drafts.create_or_refresh_draft(actor=role_users["admin"], year=YEAR)


@pytest.fixture
def cycle_at_step_5(make_user):
    """A cycle whose steps 1–4 are done."""
    everyone = make_user("all_roles", *[r for r in Role if r not in ("unit_operator", "unit_head")])
    cycle = procedure.start_cycle(
        actor=everyone, year=YEAR, start_date=today() - timedelta(days=60)
    )
    for number in range(1, 5):
        step = CycleStep.objects.get(cycle=cycle, number=number)
        procedure.advance(actor=everyone, step=step, action="start")
        procedure.advance(actor=everyone, step=step, action="complete")
    return cycle


def test_review_cycle_and_approval_completes_step_5(role_users, goals, cycle_at_step_5):
    staff, head = role_users["staff"], role_users["head_of_bureau"]
    draft = services_drafts.create_or_refresh_draft(actor=staff, year=YEAR)
    v1 = services_drafts.submit(actor=staff, draft=draft)
    assert v1.number == 1 and {s["key"] for s in v1.content["sections"]} >= {"pendahuluan"}
    with pytest.raises(ValidationError):  # no edits while under review
        services_drafts.update_section(
            actor=staff, section=draft.sections.first(), revision=1, text="x"
        )
    with pytest.raises(PermissionDenied):  # staff may not review
        services_drafts.approve(actor=role_users["head_of_section"], draft=draft)
    services_drafts.comment(
        actor=head, version=v1, section_key="pendahuluan", text="Perjelas latar."
    )
    with pytest.raises(ValidationError):
        services_drafts.comment(actor=head, version=v1, section_key="tidak-ada", text="x")
    with pytest.raises(ValidationError):
        services_drafts.return_draft(actor=head, draft=draft, reason="")
    services_drafts.return_draft(actor=head, draft=draft, reason="Perbaiki pendahuluan.")
    draft.refresh_from_db()
    assert draft.status == AnalysisDraft.Status.RETURNED
    section = draft.sections.get(key="pendahuluan")
    services_drafts.update_section(
        actor=staff, section=section, revision=1, text="Latar belakang baru."
    )
    v2 = services_drafts.submit(actor=staff, draft=draft)
    diff = {d["key"]: d for d in drafts.compare_versions(v1, v2)}
    assert diff["pendahuluan"]["status"] == "changed"
    assert {"op": "insert", "text": "Latar belakang baru."} in diff["pendahuluan"]["segments"]
    assert diff["kesimpulan"]["status"] == "same"
    services_drafts.approve(actor=head, draft=draft)
    draft.refresh_from_db()
    assert draft.status == AnalysisDraft.Status.APPROVED
    step = CycleStep.objects.get(cycle=cycle_at_step_5, number=5)
    assert step.status == CycleStep.Status.DONE
    v2.refresh_from_db()
    assert v2.decision == "approved" and v2.decided_by == head


def test_the_submitter_may_not_approve(role_users, goals):
    head = role_users["head_of_bureau"]
    draft = services_drafts.create_or_refresh_draft(actor=head, year=YEAR)
    services_drafts.submit(actor=head, draft=draft)
    with pytest.raises(PermissionDenied):
        services_drafts.approve(actor=head, draft=draft)


def test_approval_refused_when_the_cycle_cannot_move(role_users, goals):
    procedure.start_cycle(actor=role_users["staff"], year=YEAR, start_date=today())
    draft = services_drafts.create_or_refresh_draft(actor=role_users["staff"], year=YEAR)
    services_drafts.submit(actor=role_users["staff"], draft=draft)
    with pytest.raises(ValidationError):
        services_drafts.approve(actor=role_users["head_of_bureau"], draft=draft)
    draft.refresh_from_db()
    assert draft.status == AnalysisDraft.Status.SUBMITTED
