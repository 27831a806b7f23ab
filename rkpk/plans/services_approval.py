"""The unit's own approval: before a unit's plan goes to the bureau, the unit head (the first
party of its PK, or the official acting for them) approves it, or returns it to the operator
with a note. The organisation switches it on or off (`OrganisationProfile.unit_head_approval`,
on by default); when off, the operator submits directly (`services.submit`).

The approval performs the submission itself through `services.submit_to_bureau`, with the
same checks; every transition is audited with the status before and after.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.notifications.services import notify
from rkpk.plans import head_approval, services
from rkpk.plans.models import Submission, UnitPlan

Status = UnitPlan.Status
MAX_NOTE = 2000


def _status_before_head(plan: UnitPlan) -> str:
    """The editable state a plan left for the head's approval, from its last bureau decision:
    a first submission goes back to draft, an answer to the bureau stays one."""
    latest = plan.submissions.order_by("-number").first()
    if latest is None:
        return Status.DRAFT
    return {
        Submission.Decision.CLARIFICATION: Status.CLARIFICATION,
        Submission.Decision.RETURNED: Status.RETURNED,
    }.get(latest.decision, Status.DRAFT)


def _require_awaiting_head(plan: UnitPlan) -> None:
    if plan.status != Status.AWAITING_HEAD:
        raise ValidationError(
            _(
                "Only a plan awaiting the unit head's approval can be approved or returned; "
                "this one is %(status)s."
            )
            % {"status": plan.get_status_display().lower()}
        )


@transaction.atomic
def request_approval(*, actor, plan: UnitPlan) -> UnitPlan:
    """The operator's submission when the organisation asks for the head's approval: the plan
    waits for the head, no longer editable. Refused while a blocking check fails (the head
    would only have to return it) and when the unit has no recorded head."""
    plan = services.locked_plan(plan.pk)
    require(actor, "plans.submit_plan", plan, message=services.REFUSED)
    services.require_editable(plan)
    if not head_approval.approval_required():
        raise ValidationError(
            _("This organisation does not ask for the unit head's approval; submit the plan.")
        )
    if head_approval.recorded_head(plan.unit) is None:
        raise ValidationError(
            _(
                "No head is recorded for %(unit)s, so nobody can approve its plan. Ask the "
                "bureau to record the unit's head (on the unit's page)."
            )
            % {"unit": plan.unit.name}
        )
    services.checked_snapshot(plan)
    before = {"status": plan.status, "head_note": plan.head_note}
    plan.status = Status.AWAITING_HEAD
    plan.head_note, plan.head_note_by, plan.head_note_at = "", None, None
    plan.save(update_fields=["status", "head_note", "head_note_by", "head_note_at"])
    services.touch(plan, actor)
    audit.record(
        actor=actor,
        action="plan.approval_requested",
        obj=plan,
        before=before,
        after={"status": plan.status},
    )
    notify(
        recipients=head_approval.approvers(plan.unit).exclude(pk=actor.pk),
        event="plan.approval_requested",
        title=_("RK-PK %(year)s of %(unit)s awaits your approval")
        % {"year": plan.year, "unit": plan.unit.name},
        url=services.plan_url(plan),
    )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def submit_or_request(*, actor, plan: UnitPlan) -> Submission | UnitPlan:
    """What the unit's "Submit" does: the head (or anyone, when the organisation does not ask
    for the head's approval) submits to the bureau; an operator sends the plan to the head."""
    if head_approval.approval_required() and not actor.has_perm("plans.approve_plan", plan):
        return request_approval(actor=actor, plan=plan)
    return services.submit(actor=actor, plan=plan)


@transaction.atomic
def approve(*, actor, plan: UnitPlan) -> Submission:
    """The head approves: the plan is submitted to the bureau (a new version), with the
    submission's checks; a failing check refuses the approval and leaves the plan waiting."""
    plan = services.locked_plan(plan.pk)
    head_approval.require_approver(actor, plan)
    _require_awaiting_head(plan)
    audit.record(
        actor=actor,
        action="plan.head_approved",
        obj=plan,
        before={"status": plan.status},
        after={"status": "approved"},
    )
    return services.submit_to_bureau(actor=actor, plan=plan, approved_by_head=True)


@transaction.atomic
def return_to_operator(*, actor, plan: UnitPlan, note: str) -> UnitPlan:
    """The head sends the plan back to the operator with a note (required), to the editable
    state it came from."""
    plan = services.locked_plan(plan.pk)
    if not actor.has_perm("plans.view_plan", plan) or not actor.has_perm(
        "plans.approve_plan", plan
    ):
        raise PermissionDenied(
            _("Only the head of the unit (or the official acting for them) returns this plan.")
        )
    _require_awaiting_head(plan)
    note = (note or "").translate(services.CONTROL_CHARACTERS).strip()
    if not note:
        raise ValidationError({"note": _("Write what the operator should change.")})
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": _("Keep the note under %(n)s characters.") % {"n": MAX_NOTE}}
        )
    before = {"status": plan.status}
    plan.status = _status_before_head(plan)
    plan.head_note, plan.head_note_by, plan.head_note_at = note, actor, timezone.now()
    plan.save(update_fields=["status", "head_note", "head_note_by", "head_note_at"])
    services.touch(plan, actor)
    audit.record(
        actor=actor,
        action="plan.head_returned",
        obj=plan,
        before=before,
        after={"status": plan.status, "note": note},
    )
    notify(
        recipients=head_approval.operators(plan.unit).exclude(pk=actor.pk),
        event="plan.head_returned",
        title=_("The unit head returned RK-PK %(year)s of %(unit)s")
        % {"year": plan.year, "unit": plan.unit.name},
        body=note[:500],
        url=services.plan_url(plan),
    )
    plan.refresh_from_db()
    return plan
