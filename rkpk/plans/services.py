"""Writes of unit plans: content edits (with revision checks), PK parties, copying last
year's plan, and the submission lifecycle.

Edits carry the revision the editor saw; a stale revision is refused with
`ConflictError`, so a slower editor never overwrites a newer save.
"""

import hashlib
import secrets
import zipfile
from io import BytesIO

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.notifications.services import notify
from rkpk.organisation.models import Role, RoleAssignment, Unit, User
from rkpk.plans import checks, lists, rollups, validation
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Attachment,
    Goal,
    Indicator,
    Message,
    ReturnReason,
    Submission,
    UnitPlan,
)
from rkpk.plans.snapshot import plan_snapshot

Status = UnitPlan.Status


# What a user refused a change of a plan reads.
REFUSED = gettext_lazy("You may not do this with this plan.")


class ConflictError(ValidationError):
    """Someone saved this row after the editor loaded it."""


def require_editable(plan: UnitPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("The plan is %(status)s and cannot be changed now.")
            % {"status": plan.get_status_display().lower()}
        )


def touch(plan: UnitPlan, actor) -> None:
    UnitPlan.objects.filter(pk=plan.pk).update(
        revision=F("revision") + 1, updated_by=actor, updated_at=timezone.now()
    )


def locked_plan(plan_id: int) -> UnitPlan:
    return UnitPlan.objects.select_for_update().select_related("unit").get(pk=plan_id)


# --- Plans ---------------------------------------------------------------------------------


@transaction.atomic
def get_or_create_plan(*, actor, unit: Unit, year: int) -> UnitPlan:
    """The unit's plan for the year, started (as a draft) when there is none yet.

    A user needs `plans.edit_plan` on the unit to start one; the system (actor None: a
    command without --user) may always. A deactivated unit cannot start a plan.
    """
    plan = UnitPlan.objects.filter(unit=unit, year=year).first()
    if plan is not None:
        return plan
    if actor is not None:
        require(actor, "plans.edit_plan", unit, message=REFUSED)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("Give a plan year between 2000 and 2100."))
    if not unit.is_active:
        raise ValidationError(
            _("The unit %(unit)s is deactivated; it cannot start a plan.") % {"unit": unit}
        )
    plan = UnitPlan.objects.create(unit=unit, year=year, updated_by=actor)
    audit.record(
        actor=actor, action="plan.created", obj=plan, after={"unit": unit.code, "year": year}
    )
    return plan


@transaction.atomic
def set_parties(
    *,
    actor,
    plan: UnitPlan,
    revision: int,
    first_party,
    second_party,
    first_party_acting: str = "",
    second_party_acting: str = "",
) -> UnitPlan:
    plan = locked_plan(plan.pk)
    require(actor, "plans.edit_plan", plan, message=REFUSED)
    require_editable(plan)
    if plan.revision != revision:
        raise ConflictError(_("Someone changed this plan meanwhile. Reload to see their change."))
    if first_party is not None and second_party is not None and first_party.pk == second_party.pk:
        raise ValidationError({"second_party": _("The second party must be another person.")})
    before = audit.snapshot(
        plan, ["first_party", "first_party_acting", "second_party", "second_party_acting"]
    )
    plan.first_party, plan.second_party = first_party, second_party
    plan.first_party_acting, plan.second_party_acting = first_party_acting, second_party_acting
    plan.save(
        update_fields=["first_party", "second_party", "first_party_acting", "second_party_acting"]
    )
    touch(plan, actor)
    audit.record(
        actor=actor,
        action="plan.parties_set",
        obj=plan,
        before=before,
        after=audit.snapshot(
            plan, ["first_party", "first_party_acting", "second_party", "second_party_acting"]
        ),
    )
    plan.refresh_from_db()
    return plan


# --- Content rows --------------------------------------------------------------------------

GOAL_FIELDS = ["code", "text", "level"]
INDICATOR_FIELDS = [
    "goal",
    "code",
    "name",
    "definition",
    "formula",
    "measure",
    "polarity",
    "data_source",
    "indicator_type",
    "target_kind",
    "target_value",
    "target_min",
    "target_max",
    "target_text",
    "q1",
    "q2",
    "q3",
    "q4",
    "in_pk",
]
ACTIVITY_FIELDS = ["kind", "code", "name", "budget", "notes", "rolls_up"]
ACTIVITY_INDICATOR_FIELDS = [
    "name",
    "measure",
    "target_kind",
    "target_value",
    "target_min",
    "target_max",
    "target_text",
]
CONTENT = {
    Goal: GOAL_FIELDS,
    Indicator: INDICATOR_FIELDS,
    Activity: ACTIVITY_FIELDS,
    ActivityIndicator: ACTIVITY_INDICATOR_FIELDS,
}


def plan_of(row) -> UnitPlan:
    if isinstance(row, ActivityIndicator):
        return row.activity.plan
    return row.plan


CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def _clean_texts(values: dict) -> dict:
    """Drop control characters (NUL and the like) that no document or database should hold."""
    return {
        k: v.translate(CONTROL_CHARACTERS) if isinstance(v, str) else v for k, v in values.items()
    }


def _validate(model, values: dict, plan: UnitPlan) -> dict:
    """The row judged by the one validator every path uses (rkpk.plans.validation): returns
    the values cleaned, or raises ValidationError naming the fields."""
    values = validation.clean_row(model, values, plan=plan, keep=lists.values_held_by(plan))
    if model is Activity:
        rollups.validate_rolls_up(
            plan=plan, rolls_up=values.get("rolls_up"), kind=values.get("kind") or "activity"
        )
    return values


@transaction.atomic
def create_row(*, actor, model, plan: UnitPlan, activity: Activity | None = None, **values):
    """Add a goal, indicator, activity or activity indicator at the end of its list."""
    plan = locked_plan(plan.pk)
    require(actor, "plans.edit_plan", plan, message=REFUSED)
    require_editable(plan)
    values = _clean_texts({k: v for k, v in values.items() if k in CONTENT[model]})
    values = _validate(model, values, plan)
    if model is ActivityIndicator:
        if activity is None or activity.plan_id != plan.pk:
            raise ValidationError(_("Choose an activity of this plan."))
        siblings = ActivityIndicator.objects.filter(activity=activity)
        row = ActivityIndicator(activity=activity, **values)
    elif model is Indicator:
        if values.get("goal") is None:
            raise ValidationError({"goal": _("Choose the goal the indicator serves.")})
        siblings = Indicator.objects.filter(goal=values["goal"])
        row = Indicator(plan=plan, **values)
    else:
        siblings = model.objects.filter(plan=plan)
        row = model(plan=plan, **values)
    row.position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
    row.save()
    touch(plan, actor)
    label = model._meta.model_name
    audit.record(
        actor=actor,
        action=f"plan.{label}_added",
        obj=row,
        after=audit.snapshot(row, CONTENT[model]),
    )
    return row


def _locked_row(model, row):
    locked = model.objects.select_for_update().get(pk=row.pk)
    return locked, locked_plan(plan_of(locked).pk)


def _check_revision(row, revision) -> None:
    if revision is None or int(revision) != row.revision:
        raise ConflictError(
            _(
                "Someone saved this %(what)s after you opened it. Your text is kept below; "
                "reload to see theirs, then apply your change again."
            )
            % {"what": row._meta.verbose_name}
        )


@transaction.atomic
def update_row(*, actor, row, revision: int, **values):
    model = type(row)
    row, plan = _locked_row(model, row)
    require(actor, "plans.edit_plan", plan, message=REFUSED)
    require_editable(plan)
    _check_revision(row, revision)
    values = _clean_texts({k: v for k, v in values.items() if k in CONTENT[model]})
    merged = {name: getattr(row, name) for name in CONTENT[model]} | values
    merged = _validate(model, merged, plan)
    before = audit.snapshot(row, CONTENT[model])
    moved_goal = model is Indicator and "goal" in values and values["goal"].pk != row.goal_id
    # The cleaned row: the values sent, and the target parts their kind no longer uses.
    for name, value in merged.items():
        setattr(row, name, value)
    if moved_goal:  # an indicator moved to another goal goes to the end of that goal's list
        last = Indicator.objects.filter(goal=row.goal).aggregate(m=Max("position"))["m"]
        row.position = (last or 0) + 1
    row.revision += 1
    row.save()
    touch(plan, actor)
    audit.record(
        actor=actor,
        action=f"plan.{model._meta.model_name}_changed",
        obj=row,
        before=before,
        after=audit.snapshot(row, CONTENT[model]),
    )
    return row


@transaction.atomic
def delete_row(*, actor, row, revision: int) -> None:
    model = type(row)
    row, plan = _locked_row(model, row)
    require(actor, "plans.edit_plan", plan, message=REFUSED)
    require_editable(plan)
    _check_revision(row, revision)
    before = audit.snapshot(row, CONTENT[model])
    if model is Goal:
        before["indicators"] = list(row.indicators.values_list("name", flat=True))
    audit.record(
        actor=actor, action=f"plan.{model._meta.model_name}_deleted", obj=row, before=before
    )
    row.delete()
    touch(plan, actor)


@transaction.atomic
def move_row(*, actor, row, direction: str) -> None:
    """Swap a row with its neighbour above ("up") or below ("down") in its own list."""
    model = type(row)
    row, plan = _locked_row(model, row)
    require(actor, "plans.edit_plan", plan, message=REFUSED)
    require_editable(plan)
    if model is Indicator:
        siblings = Indicator.objects.filter(goal_id=row.goal_id)
    elif model is ActivityIndicator:
        siblings = ActivityIndicator.objects.filter(activity_id=row.activity_id)
    else:
        siblings = model.objects.filter(plan=plan)
    ordered = list(siblings.order_by("position", "id"))
    index = next(i for i, r in enumerate(ordered) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    # Only the order changes: the rows' content, and so their revisions, stay as they are.
    for position, item in enumerate(ordered, start=1):
        item.position = position
    model.objects.bulk_update(ordered, ["position"])
    touch(plan, actor)
    audit.record(
        actor=actor,
        action=f"plan.{model._meta.model_name}_moved",
        obj=row,
        after={"direction": direction, "position": ordered.index(row) + 1},
    )


@transaction.atomic
def mark_rollups(*, actor, plan: UnitPlan, pairs: list[tuple[int, int | None]]) -> list[Activity]:
    """Mark activities of `plan` as rolling up a unit's plan: `pairs` of (activity id, unit
    id), e.g. the proposals of a workbook import the user confirmed; a unit id None clears
    the mark (the undo of an import's marks). Each change is validated and audited like an
    edit in the editor; one wrong pair refuses them all."""
    plan = locked_plan(plan.pk)
    require(actor, "plans.edit_plan", plan, message=REFUSED)
    require_editable(plan)
    rows = {
        a.pk: a
        for a in Activity.objects.select_for_update().filter(
            plan=plan, pk__in=[a for a, _u in pairs]
        )
    }
    units = Unit.objects.in_bulk([u for _a, u in pairs if u is not None])
    changed = []
    for activity_id, unit_id in pairs:
        row, unit = rows.get(activity_id), units.get(unit_id)
        if row is None or (unit_id is not None and unit is None):
            raise ValidationError(_("That activity or unit is no longer there; import again."))
        rollups.validate_rolls_up(plan=plan, rolls_up=unit, kind=row.kind)
        if row.rolls_up_id == unit_id:
            continue
        before = audit.snapshot(row, ACTIVITY_FIELDS)
        row.rolls_up = unit
        row.revision += 1
        row.save(update_fields=["rolls_up", "revision"])
        audit.record(
            actor=actor,
            action="plan.activity_changed",
            obj=row,
            before=before,
            after=audit.snapshot(row, ACTIVITY_FIELDS),
        )
        changed.append(row)
    if changed:
        touch(plan, actor)
    return changed


# --- Submission lifecycle ------------------------------------------------------------------


def unit_people(unit_id: int):
    return User.objects.filter(
        is_active=True,
        role_assignments__unit_id=unit_id,
        role_assignments__role__in=[Role.UNIT_OPERATOR, Role.UNIT_HEAD],
    ).distinct()


def bureau_people():
    """The bureau's people who handle submissions and clarifications."""
    return User.objects.filter(
        is_active=True, role_assignments__role__in=[Role.STAFF, Role.HEAD_OF_SECTION]
    ).distinct()


def plan_url(plan: UnitPlan) -> str:
    return f"/plans/{plan.unit.code}/{plan.year}/"


def _latest_submission(plan: UnitPlan) -> Submission | None:
    return plan.submissions.select_for_update().order_by("-number").first()


@transaction.atomic
def submit(*, actor, plan: UnitPlan) -> Submission:
    """Freeze the plan as a new version and send it to the bureau; errors in the checks block.

    When the organisation asks for the unit head's approval, only the head submits (and so
    approves); an operator sends the plan to the head (`services_approval.request_approval`).
    """
    from rkpk.plans import head_approval

    plan = locked_plan(plan.pk)
    require(actor, "plans.submit_plan", plan, message=REFUSED)
    require_editable(plan)
    required = head_approval.approval_required()
    if required:
        head_approval.require_approver(actor, plan, submitting=True)
    return submit_to_bureau(actor=actor, plan=plan, approved_by_head=required)


def checked_snapshot(plan: UnitPlan) -> tuple[dict, list]:
    """The plan's content as a version freezes it, and its check results; refused while a
    blocking check fails."""
    snapshot = plan_snapshot(plan)
    # The regulated wording of the PK statement is frozen with the version, like the parties.
    from rkpk.plans.documents import active_statement_template

    title, body = active_statement_template()
    snapshot["statement_template"] = {"title": title, "body": body}
    results = checks.run_checks(snapshot)
    failing = checks.blocking(results)
    if failing:
        raise ValidationError(
            [_("The plan cannot be submitted while these checks fail:")]
            + [f"{r['title']}: {'; '.join(r['problems'][:3])}" for r in failing]
        )
    return snapshot, results


def submit_to_bureau(*, actor, plan: UnitPlan, approved_by_head: bool = False) -> Submission:
    """The submission itself, for a plan locked and checked by the caller (`submit`, or the
    head's approval): a new version, the plan awaiting the bureau, the bureau told."""
    snapshot, results = checked_snapshot(plan)
    previous = _latest_submission(plan)
    before_status = plan.status
    now = timezone.now()
    submission = Submission.objects.create(
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        snapshot=snapshot,
        checks=results,
        submitted_by=actor,
        submitted_at=now,
    )
    answered_clarification = (
        previous is not None and previous.decision == Submission.Decision.CLARIFICATION
    )
    if previous is not None and previous.decision == Submission.Decision.PENDING:
        previous.decision = Submission.Decision.SUPERSEDED
        previous.save(update_fields=["decision"])
    # A plan answering the bureau's clarification is a resubmission, also when it went
    # through the unit head's approval on the way.
    plan.status = Status.RESUBMITTED if answered_clarification else Status.SUBMITTED
    plan.save(update_fields=["status"])
    touch(plan, actor)
    after = {"status": plan.status, "version": submission.number}
    if approved_by_head:
        after["approved_by_head"] = True
    audit.record(
        actor=actor,
        action="plan.submitted",
        obj=plan,
        before={"status": before_status},
        after=after,
    )
    notify(
        recipients=bureau_people(),
        event="plan.submitted",
        title=_("%(unit)s submitted RK-PK %(year)s (version %(n)s)")
        % {"unit": plan.unit.name, "year": plan.year, "n": submission.number},
        url=plan_url(plan),
    )
    return submission


def _reason_texts(codes: list[str]) -> list[str]:
    known = dict(ReturnReason.objects.filter(code__in=codes).values_list("code", "text_id"))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError(
            {"reasons": _("Unknown reason(s): %(c)s") % {"c": ", ".join(unknown)}}
        )
    inactive = ReturnReason.objects.filter(code__in=codes, is_active=False)
    if inactive.exists():
        raise ValidationError(
            {
                "reasons": _("Deactivated reason(s) cannot be given any more: %(c)s")
                % {"c": ", ".join(inactive.values_list("code", flat=True))}
            }
        )
    return [known[c] for c in codes]


def _decide(
    *, actor, plan, decision: str, new_status: str, reasons=(), remarks: str = "", version=None
):
    plan = locked_plan(plan.pk)
    require(actor, "plans.review_plan", plan, message=REFUSED)
    if plan.status not in UnitPlan.AWAITING_BUREAU:
        raise ValidationError(
            _("Only a plan awaiting the bureau can be decided; this one is %(status)s.")
            % {"status": plan.get_status_display().lower()}
        )
    submission = _latest_submission(plan)
    if version is not None and submission.number != int(version):
        raise ConflictError(
            _("Version %(new)s arrived while you were reading version %(old)s; decide on it.")
            % {"new": submission.number, "old": version}
        )
    reasons = list(dict.fromkeys(reasons or []))
    texts = _reason_texts(reasons)
    remarks = (remarks or "").strip()
    if decision != Submission.Decision.ACCEPTED and not (reasons or remarks):
        raise ValidationError({"reasons": _("Pick at least one reason or write a remark.")})
    if decision == Submission.Decision.ACCEPTED and submission.submitted_by_id == actor.pk:
        raise PermissionDenied(_("You submitted this version; someone else must accept it."))
    before = {"status": plan.status, "decision": submission.decision}
    submission.decision = decision
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.reasons, submission.remarks = reasons, remarks
    submission.save(update_fields=["decision", "decided_by", "decided_at", "reasons", "remarks"])
    plan.status = new_status
    plan.save(update_fields=["status"])
    touch(plan, actor)
    if texts or remarks:
        Message.objects.create(
            plan=plan,
            submission=submission,
            author=actor,
            body="\n".join([*(f"• {t}" for t in texts), remarks]).strip(),
        )
    audit.record(
        actor=actor,
        action=f"plan.{decision}",
        obj=plan,
        before=before,
        after={
            "status": plan.status,
            "version": submission.number,
            "reasons": reasons,
            "remarks": remarks,
        },
    )
    notify(
        recipients=unit_people(plan.unit_id),
        event=f"plan.{decision}",
        title=_("RK-PK %(year)s version %(n)s: %(decision)s")
        % {
            "year": plan.year,
            "n": submission.number,
            "decision": submission.get_decision_display(),
        },
        body="\n".join([*texts, remarks]).strip(),
        url=plan_url(plan),
    )
    return submission


@transaction.atomic
def request_clarification(
    *, actor, plan: UnitPlan, reasons=(), remarks: str = "", version: int | None = None
) -> Submission:
    return _decide(
        actor=actor,
        plan=plan,
        decision=Submission.Decision.CLARIFICATION,
        new_status=Status.CLARIFICATION,
        reasons=reasons,
        remarks=remarks,
        version=version,
    )


@transaction.atomic
def return_plan(
    *, actor, plan: UnitPlan, reasons=(), remarks: str = "", version: int | None = None
) -> Submission:
    return _decide(
        actor=actor,
        plan=plan,
        decision=Submission.Decision.RETURNED,
        new_status=Status.RETURNED,
        reasons=reasons,
        remarks=remarks,
        version=version,
    )


@transaction.atomic
def accept(*, actor, plan: UnitPlan, remarks: str = "", version: int | None = None) -> Submission:
    return _decide(
        actor=actor,
        plan=plan,
        decision=Submission.Decision.ACCEPTED,
        new_status=Status.ACCEPTED,
        remarks=remarks,
        version=version,
    )


# --- Clarification messages ----------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_ATTACHMENTS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def check_attachment(name: str, data: bytes) -> str:
    """The content type of an upload judged by its bytes; refuses anything not allowed."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 10 MB.") % {"name": name}, code="attachment_too_large"
        )
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_ATTACHMENTS:
        raise ValidationError(
            _("%(name)s is not a PDF, Word, Excel, PNG or JPEG file (judged by its content).")
            % {"name": name},
            code="attachment_type",
        )
    if mime.endswith("sheet") or mime.endswith("document"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = archive.namelist()
                unpacked = sum(i.file_size for i in archive.infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
            raise ValidationError(
                _("%(name)s is damaged and cannot be read.") % {"name": name},
                code="attachment_damaged",
            ) from error
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ValidationError(
                _("%(name)s contains macros, which are not accepted.") % {"name": name},
                code="attachment_macro",
            )
        if unpacked > 20 * MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                _("%(name)s unpacks to too much data.") % {"name": name},
                code="attachment_bomb",
            )
    return mime


@transaction.atomic
def post_message(*, actor, plan: UnitPlan, body: str, files=()) -> Message:
    """Add a message (with attachments) to the plan's thread and tell the other side."""
    plan = locked_plan(plan.pk)
    require(actor, "plans.post_message", plan, message=REFUSED)
    body = (body or "").translate(CONTROL_CHARACTERS).strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    checked = []
    for upload in files:
        name = (getattr(upload, "name", "") or "lampiran").rsplit("/", 1)[-1][:200]
        if (getattr(upload, "size", 0) or 0) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": name})
        data = upload.read()
        checked.append((name, data, check_attachment(name, data)))
    latest = plan.submissions.order_by("-number").first()
    message = Message.objects.create(plan=plan, submission=latest, author=actor, body=body)
    for name, data, mime in checked:
        attachment = Attachment(
            message=message,
            original_name=name,
            content_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        # A random stored name: the user's file name never becomes a path.
        attachment.file.save(
            f"{secrets.token_hex(16)}.{ALLOWED_ATTACHMENTS[mime]}", ContentFile(data), save=False
        )
        attachment.save()
    audit.record(
        actor=actor,
        action="plan.message_posted",
        obj=plan,
        after={"message": message.pk, "attachments": [n for n, _d, _m in checked]},
    )
    from_unit = plan.unit_id in set(
        RoleAssignment.objects.filter(user=actor).values_list("unit_id", flat=True)
    )
    notify(
        recipients=bureau_people() if from_unit else unit_people(plan.unit_id),
        event="plan.message",
        title=_("New clarification message on RK-PK %(year)s — %(unit)s")
        % {"year": plan.year, "unit": plan.unit.name},
        body=body[:500],
        url=plan_url(plan),
    )
    return message
