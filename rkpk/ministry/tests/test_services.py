"""The draft and the review chain of the ministry RK-PK (steps 7–9): versions, anchored
comments, returns with required changes, separation of duties, acting officials, outdated
versions and skipped reviews."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.correspondence.models import Document
from rkpk.ministry import services
from rkpk.ministry.models import MinistryPlan, PlanVersion, ReviewComment
from rkpk.ministry.tables import anchors
from rkpk.ministry.tests.factories import ready_for_drafting
from rkpk.organisation.models import ActingAssignment, Role
from rkpk.procedure.models import CycleStep

Status = MinistryPlan.Status


pytestmark = pytest.mark.usefixtures("unit_head_approval_off")


@pytest.fixture
def cycle(role_users, units):
    return ready_for_drafting(role_users, units)


@pytest.fixture
def plan(role_users, cycle):
    return services.create_plan(actor=role_users["head_of_section"], cycle=cycle)


def steps(cycle) -> dict[int, str]:
    return dict(CycleStep.objects.filter(cycle=cycle).values_list("number", "status"))


def edit(actor, plan, key: str, text: str):
    section = plan.sections.get(key=key)
    return services.update_section(
        actor=actor, section=section, revision=section.revision, text=text
    )


def test_draft_is_generated_from_the_compilation_and_the_analysis(plan):
    assert plan.status == Status.DRAFTING
    keys = list(plan.sections.values_list("key", flat=True))
    assert keys == ["pendahuluan", "analisis", "program", "penutup"]
    # The approved analysis's text opens the analysis chapter.
    assert plan.sections.get(key="analisis").text == "Analisis."
    content = services.freeze(plan)
    goals = content["tables"]["goals"]
    assert [g["code"] for g in goals] == ["SS-01", "SS-02", "SS-03"]
    assert goals[0]["indicators"][0]["target"]  # the ministry target of the year
    rows = anchors(content)["row"]
    assert "goal:SS-01" in rows and "indicator:IKU-1" in rows


def test_drafting_needs_an_approved_analysis(role_users, units):
    from rkpk.procedure.tests.factories import cycle_done_through

    cycle = cycle_done_through(6, year=2030)
    with pytest.raises(ValidationError, match="analysis"):
        services.create_plan(actor=role_users["head_of_section"], cycle=cycle)


def test_only_the_drafters_write(role_users, cycle, plan):
    for role in ("head_of_bureau", "deputy", "minister", "viewer", "unit_operator", "admin"):
        with pytest.raises(PermissionDenied):
            edit(role_users[role], plan, "pendahuluan", "x")
    with pytest.raises(ValidationError, match="already"):
        services.create_plan(actor=role_users["staff"], cycle=cycle)


def test_stale_section_save_is_a_conflict(role_users, plan):
    section = plan.sections.get(key="pendahuluan")
    services.update_section(
        actor=role_users["staff"], section=section, revision=section.revision, text="A"
    )
    with pytest.raises(services.ConflictError):
        services.update_section(
            actor=role_users["head_of_section"], section=section, revision=1, text="B"
        )
    section.refresh_from_db()
    assert section.text == "A"


def test_whole_review_chain_completes_steps_7_to_9_and_produces_the_memos(role_users, cycle, plan):
    hos, head, deputy = (role_users[r] for r in ("head_of_section", "head_of_bureau", "deputy"))
    v1 = services.submit(actor=hos, plan=plan)
    assert (v1.number, plan.__class__.objects.get().status) == (1, Status.BUREAU_REVIEW)
    assert steps(cycle)[7] == "done" and steps(cycle)[8] == "in_progress"
    # Anchored comments: a section and a table row; unknown anchors refused.
    services.comment(
        actor=head, plan=plan, version_number=1, text="Perjelas.", anchor_type="section",
        anchor="pendahuluan", required=True,
    )  # fmt: skip
    row = services.comment(
        actor=head, plan=plan, version_number=1, text="Target terlalu rendah.",
        anchor_type="row", anchor="indicator:IKU-1",
    )  # fmt: skip
    assert row.anchor_label.startswith("IKU-1")
    with pytest.raises(ValidationError):
        services.comment(
            actor=head, plan=plan, version_number=1, text="x", anchor_type="row", anchor="nope"
        )
    services.return_for_revision(
        actor=head, plan=plan, version_number=1, changes="Tambahkan data dukung.\n"
    )
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    required = set(v1.comments.filter(required=True).values_list("text", flat=True))
    assert required == {"Perjelas.", "Tambahkan data dukung."}

    edit(role_users["staff"], plan, "pendahuluan", "Pendahuluan yang diperjelas.")
    v2 = services.submit(actor=hos, plan=plan)
    assert sorted(v2.authors) == sorted([hos.pk, role_users["staff"].pk])
    services.approve(actor=head, plan=plan, version_number=2)
    plan.refresh_from_db()
    assert plan.status == Status.DEPUTY_REVIEW
    assert steps(cycle)[8] == "done" and steps(cycle)[9] == "in_progress"
    memo = Document.objects.get(cycle=cycle, purpose="step8-bureau-to-deputy")
    assert memo.status == Document.Status.SIGNED and memo.signed_by == head
    assert "versi 2" in memo.body

    # The deputy returns; the revision goes through the head of bureau again.
    services.return_for_revision(
        actor=deputy, plan=plan, version_number=2, changes=["Selaraskan dengan Renstra."]
    )
    edit(hos, plan, "penutup", "Penutup baru.")
    v3 = services.submit(actor=role_users["staff"], plan=plan)
    with pytest.raises(PermissionDenied):  # not the deputy's turn yet
        services.approve(actor=deputy, plan=plan, version_number=3)
    services.approve(actor=head, plan=plan, version_number=3)
    services.approve(actor=deputy, plan=plan, version_number=3)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert steps(cycle)[9] == "done"
    to_minister = Document.objects.get(cycle=cycle, purpose="step10-deputy-to-minister")
    assert to_minister.status == Document.Status.SIGNED and to_minister.signed_by == deputy
    v3.refresh_from_db()
    assert (v3.bureau_decision, v3.deputy_decision) == ("approved", "approved")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "ministry_plan.created",
        "ministry_plan.submitted",
        "ministry_plan.commented",
        "ministry_plan.returned_by_bureau",
        "ministry_plan.returned_by_deputy",
        "ministry_plan.approved_by_bureau",
        "ministry_plan.approved_by_deputy",
    } <= actions


def test_approving_an_outdated_version_is_refused(role_users, plan):
    hos, head = role_users["head_of_section"], role_users["head_of_bureau"]
    services.submit(actor=hos, plan=plan)
    services.return_for_revision(actor=head, plan=plan, version_number=1, changes="Ubah.")
    services.submit(actor=hos, plan=plan)
    with pytest.raises(services.ConflictError, match="version 2"):
        services.approve(actor=head, plan=plan, version_number=1)
    with pytest.raises(services.ConflictError):
        services.return_for_revision(actor=head, plan=plan, version_number="x", changes="a")
    plan.refresh_from_db()
    assert plan.status == Status.BUREAU_REVIEW
    assert not PlanVersion.objects.filter(bureau_decision="approved").exists()


def test_skipping_the_head_of_bureau_is_refused(role_users, plan):
    """Even when the deputy's turn is forced, a version the head of bureau did not approve
    cannot be approved by the deputy."""
    services.submit(actor=role_users["head_of_section"], plan=plan)
    with pytest.raises(PermissionDenied):
        services.approve(actor=role_users["deputy"], plan=plan, version_number=1)
    MinistryPlan.objects.filter(pk=plan.pk).update(status=Status.DEPUTY_REVIEW)
    with pytest.raises(ValidationError, match="skip"):
        services.approve(actor=role_users["deputy"], plan=plan, version_number=1)
    plan.refresh_from_db()
    assert plan.status == Status.DEPUTY_REVIEW
    assert not Document.objects.filter(purpose="step10-deputy-to-minister").exists()


def test_nobody_approves_a_version_they_drafted(role_users, make_user, plan):
    """A head of bureau who also drafts (holding head_of_section too) cannot approve it."""
    both = make_user("kabag_karo", Role.HEAD_OF_SECTION, Role.HEAD_OF_BUREAU)
    edit(both, plan, "pendahuluan", "Ditulis sendiri.")
    services.submit(actor=role_users["staff"], plan=plan)
    with pytest.raises(PermissionDenied, match="wrote"):
        services.approve(actor=both, plan=plan, version_number=1)
    # Another head of bureau may.
    services.approve(actor=role_users["head_of_bureau"], plan=plan, version_number=1)


def test_return_needs_the_changes_listed(role_users, plan):
    services.submit(actor=role_users["head_of_section"], plan=plan)
    with pytest.raises(ValidationError, match="changes"):
        services.return_for_revision(
            actor=role_users["head_of_bureau"], plan=plan, version_number=1, changes=["", "  "]
        )
    plan.refresh_from_db()
    assert plan.status == Status.BUREAU_REVIEW


def test_no_editing_while_in_review(role_users, plan):
    services.submit(actor=role_users["head_of_section"], plan=plan)
    with pytest.raises(ValidationError, match="cannot be changed"):
        edit(role_users["staff"], plan, "pendahuluan", "x")
    with pytest.raises(ValidationError):
        services.submit(actor=role_users["staff"], plan=plan)


def test_an_acting_deputy_reviews_and_the_memo_says_so(role_users, make_user, plan):
    plh = make_user("plh_deputi", Role.HEAD_OF_SECTION)
    ActingAssignment.objects.create(
        user=plh,
        role=Role.DEPUTY,
        kind="Plh",
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=1),
        reason="Deputi dinas luar.",
    )
    services.submit(actor=role_users["head_of_section"], plan=plan)
    services.approve(actor=role_users["head_of_bureau"], plan=plan, version_number=1)
    note = services.comment(actor=plh, plan=plan, version_number=1, text="Setuju.")
    assert note.acting == "Plh" and note.stage == ReviewComment.Stage.DEPUTY
    version = services.approve(actor=plh, plan=plan, version_number=1)
    assert version.deputy_acting == "Plh"
    memo = Document.objects.get(purpose="step10-deputy-to-minister")
    assert memo.signed_acting == "Plh" and memo.signed_by == plh


def test_an_expired_acting_assignment_gives_no_power(role_users, make_user, plan):
    former = make_user("mantan_plt", Role.STAFF)
    ActingAssignment.objects.create(
        user=former,
        role=Role.HEAD_OF_BUREAU,
        kind="Plt",
        starts_on=today() - timedelta(days=30),
        ends_on=today() - timedelta(days=1),
        reason="Selesai.",
    )
    services.submit(actor=role_users["head_of_section"], plan=plan)
    with pytest.raises(PermissionDenied):
        services.approve(actor=former, plan=plan, version_number=1)


def test_sign_is_refused_before_the_deputy_approved(role_users, plan):
    services.submit(actor=role_users["head_of_section"], plan=plan)
    with pytest.raises(ValidationError, match="after the deputy"):
        services.sign(actor=role_users["minister"], plan=plan, version_number=1)
    for role in ("deputy", "head_of_bureau", "staff", "admin"):
        with pytest.raises(PermissionDenied):
            services.sign(actor=role_users[role], plan=plan, version_number=1)
