from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from rkpk.core.models import AuditEvent
from rkpk.notifications.models import Notification
from rkpk.plans import services, services_content
from rkpk.plans.checks import run_checks
from rkpk.plans.models import Goal, Indicator, Submission, UnitPlan
from rkpk.plans.snapshot import plan_snapshot
from rkpk.plans.tests.factories import complete_plan

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def plan(units):
    return complete_plan(units["a"])


def test_only_the_unit_and_staff_create_and_edit_plans(role_users, units):
    with pytest.raises(PermissionDenied):
        services.get_or_create_plan(actor=role_users["operator_b"], unit=units["a"], year=2027)
    with pytest.raises(PermissionDenied):
        services.get_or_create_plan(actor=role_users["viewer"], unit=units["a"], year=2027)
    plan = services.get_or_create_plan(
        actor=role_users["unit_operator"], unit=units["a"], year=2027
    )
    assert plan.status == UnitPlan.Status.DRAFT
    goal = services.create_row(actor=role_users["staff"], model=Goal, plan=plan, text="Sasaran 1")
    with pytest.raises(PermissionDenied):
        services.update_row(actor=role_users["operator_b"], row=goal, revision=1, text="X")
    assert Goal.objects.get().text == "Sasaran 1"


def test_a_stale_edit_is_refused_and_the_newer_save_survives(plan, role_users):
    operator, staff = role_users["unit_operator"], role_users["staff"]
    indicator = Indicator.objects.first()
    seen = indicator.revision
    services.update_row(actor=staff, row=indicator, revision=seen, name="Nama baru oleh staf")
    with pytest.raises(services.ConflictError):
        services.update_row(actor=operator, row=indicator, revision=seen, name="Nama lama")
    indicator.refresh_from_db()
    assert indicator.name == "Nama baru oleh staf"
    assert indicator.revision == seen + 1
    with pytest.raises(services.ConflictError):
        services.delete_row(actor=operator, row=indicator, revision=seen)
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_edits_are_audited_with_before_and_after(plan, role_users):
    indicator = Indicator.objects.first()
    services.update_row(
        actor=role_users["unit_operator"],
        row=indicator,
        revision=indicator.revision,
        target_value=Decimal("90"),
    )
    event = AuditEvent.objects.get(action="plan.indicator_changed")
    assert event.before["target_value"] == "85.0000"
    assert event.after["target_value"] == "90"


def test_target_validation(plan, role_users):
    goal = Goal.objects.first()
    operator = role_users["unit_operator"]
    with pytest.raises(ValidationError, match="range"):
        services.create_row(
            actor=operator, model=Indicator, plan=plan, goal=goal, name="X",
            target_kind="range", target_min=Decimal(10), target_max=Decimal(5),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="list"):
        services.create_row(
            actor=operator, model=Indicator, plan=plan, goal=goal, name="Y",
            target_kind="qualitative", target_text="Luar biasa",
        )  # fmt: skip
    row = services.create_row(
        actor=operator, model=Indicator, plan=plan, goal=goal, name="Opini BPK",
        target_kind="qualitative", target_text="WTP", measure="Predikat",
    )  # fmt: skip
    assert row.position == 3


def test_reorder_swaps_neighbours(plan, role_users):
    first, second = Indicator.objects.order_by("position")
    services.move_row(actor=role_users["unit_operator"], row=second, direction="up")
    assert list(Indicator.objects.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_checks_pass_on_a_complete_plan_and_name_what_fails(plan):
    results = {r["code"]: r for r in run_checks(plan_snapshot(plan))}
    blocking = [code for code, r in results.items() if r["severity"] == "error" and not r["passed"]]
    assert blocking == []
    Indicator.objects.filter(code="IK1").update(measure="", target_value=None)
    Goal.objects.create(plan=plan, position=2, text="Sasaran tanpa indikator")
    plan.activities.filter(kind="activity").update(budget=Decimal(1000))
    results = {r["code"]: r for r in run_checks(plan_snapshot(plan))}
    assert not results["INDICATOR_HAS_MEASURE"]["passed"]
    assert "IK1" in results["TARGET_VALID"]["problems"][0]
    assert not results["GOAL_HAS_INDICATOR"]["passed"]
    assert not results["BUDGET_ADDS_UP"]["passed"]
    assert results["PARTIES_SET"]["passed"]


def test_duplicate_indicators_and_missing_parties_fail(plan):
    Indicator.objects.update(name="Indikator sama")
    UnitPlan.objects.filter(pk=plan.pk).update(second_party=None)
    results = {r["code"]: r for r in run_checks(plan_snapshot(plan))}
    assert not results["NO_DUPLICATES"]["passed"]
    assert not results["PARTIES_SET"]["passed"]


def test_lifecycle_submit_clarify_resubmit_accept(plan, role_users):
    operator, staff, head = (
        role_users["unit_operator"],
        role_users["staff"],
        role_users["head_of_bureau"],
    )
    first = services.submit(actor=operator, plan=plan)
    plan.refresh_from_db()
    assert (first.number, plan.status) == (1, UnitPlan.Status.SUBMITTED)
    assert not plan.is_editable
    with pytest.raises(ValidationError):
        services.update_row(actor=operator, row=Indicator.objects.first(), revision=1, name="x")
    with pytest.raises(ValidationError, match="reason"):
        services.request_clarification(actor=staff, plan=plan)
    services.request_clarification(actor=staff, plan=plan, reasons=["TARGET"], remarks="IK2?")
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.CLARIFICATION and plan.is_editable
    assert plan.messages.get().body.startswith("• Target")
    second = services.submit(actor=operator, plan=plan)
    plan.refresh_from_db()
    assert (second.number, plan.status) == (2, UnitPlan.Status.RESUBMITTED)
    services.accept(actor=head, plan=plan)
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.ACCEPTED and not plan.is_editable
    assert Submission.objects.get(number=2).decision == "accepted"
    assert Submission.objects.get(number=1).decision == "clarification"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"plan.submitted", "plan.clarification", "plan.accepted"} <= actions


def test_return_and_submit_again(plan, role_users):
    services.submit(actor=role_users["unit_operator"], plan=plan)
    services.return_plan(actor=role_users["staff"], plan=plan, reasons=["FORM", "OTHER"])
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.RETURNED
    assert services.submit(actor=role_users["unit_operator"], plan=plan).number == 2
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.SUBMITTED


def test_the_submitter_cannot_accept_their_own_version(plan, make_user, units, role_users):
    both = make_user("dual", "staff", ("unit_operator", units["a"]))
    services.submit(actor=both, plan=plan)
    with pytest.raises(PermissionDenied, match="someone else"):
        services.accept(actor=both, plan=plan)
    services.accept(actor=role_users["staff"], plan=plan)


def test_only_reviewers_decide_and_units_cannot_submit_for_others(plan, role_users):
    with pytest.raises(PermissionDenied):
        services.submit(actor=role_users["operator_b"], plan=plan)
    with pytest.raises(PermissionDenied):
        services.submit(actor=role_users["staff"], plan=plan)  # staff enter, the unit submits
    services.submit(actor=role_users["unit_head"], plan=plan)
    for code in ("unit_operator", "viewer", "deputy", "operator_b"):
        with pytest.raises(PermissionDenied):
            services.accept(actor=role_users[code], plan=plan)


def test_failing_checks_block_submission(plan, role_users):
    Indicator.objects.update(target_value=None)
    with pytest.raises(ValidationError, match="valid target"):
        services.submit(actor=role_users["unit_operator"], plan=plan)
    assert not Submission.objects.exists()


def test_parties_are_frozen_into_the_submission(plan, role_users):
    submission = services.submit(actor=role_users["unit_operator"], plan=plan)
    plan.first_party.name = "Nama Baru"
    plan.first_party.save()
    submission.refresh_from_db()
    assert submission.snapshot["parties"]["first"]["name"] == "Kepala E1.A"


def test_copy_previous_year_links_last_years_targets(plan, role_users):
    services.submit(actor=role_users["unit_operator"], plan=plan)
    next_plan = services.get_or_create_plan(
        actor=role_users["unit_operator"], unit=plan.unit, year=2028
    )
    services_content.copy_previous_year(actor=role_users["unit_operator"], plan=next_plan)
    copied = Indicator.objects.filter(plan=next_plan).order_by("position")
    assert copied.count() == 2
    assert all(i.target_value is None and i.previous.plan_id == plan.pk for i in copied)
    snapshot = plan_snapshot(next_plan)
    assert snapshot["goals"][0]["indicators"][0]["previous_target"] == "85%"
    with pytest.raises(ValidationError, match="already has content"):
        services_content.copy_previous_year(actor=role_users["unit_operator"], plan=next_plan)


def test_events_notify_the_other_side(plan, role_users):
    services.submit(actor=role_users["unit_operator"], plan=plan)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "u_staff",
        "u_head_of_section",
    }
    Notification.objects.all().delete()
    services.return_plan(actor=role_users["staff"], plan=plan, reasons=["PARTIES"])
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "u_unit_operator",
        "u_unit_head",
    }


def test_attachments_are_judged_by_content(plan, role_users):
    operator = role_users["unit_operator"]
    fake = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 this is an exe")
    with pytest.raises(ValidationError, match="judged by its content"):
        services.post_message(actor=operator, plan=plan, body="Lampiran", files=[fake])
    assert not plan.messages.exists()
    good = SimpleUploadedFile("../../etc/passwd.pdf", PDF)
    message = services.post_message(actor=operator, plan=plan, body="Lampiran", files=[good])
    attachment = message.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "passwd.pdf"
    assert ".." not in attachment.file.name and attachment.file.name.endswith(".pdf")
    with pytest.raises(PermissionDenied):
        services.post_message(actor=role_users["operator_b"], plan=plan, body="Hai")


def test_budget_total_counts_each_program_once():
    from rkpk.plans.snapshot import total_budget

    rows = [
        {"kind": "activity", "budget": "100"},  # outside any program
        {"kind": "program", "budget": "1000"},
        {"kind": "activity", "budget": "600"},
        {"kind": "activity", "budget": "400"},
        {"kind": "program", "budget": "0"},  # no program total entered: its activities count
        {"kind": "activity", "budget": "50"},
    ]
    assert total_budget(rows) == Decimal(1150)


def test_control_characters_are_dropped_from_text(plan, role_users):
    goal = Goal.objects.first()
    services.update_row(
        actor=role_users["unit_operator"],
        row=goal,
        revision=goal.revision,
        text="Sasaran\x00\x07 baru\n",
    )
    goal.refresh_from_db()
    assert goal.text == "Sasaran baru\n"


def test_the_pk_statement_wording_is_frozen_into_the_submission(plan, role_users):
    from rkpk.plans.documents import document_context, render_html
    from rkpk.plans.models import StatementTemplate

    submission = services.submit(actor=role_users["unit_operator"], plan=plan)
    StatementTemplate.objects.update(title="PERJANJIAN KINERJA TAHUN {year}")
    html = render_html(document_context(submission.snapshot, doc="pk"))
    assert "PENETAPAN KINERJA TAHUN 2027" in html
    assert "PERJANJIAN KINERJA" not in html
