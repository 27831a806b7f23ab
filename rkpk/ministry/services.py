"""Writes of the ministry RK-PK: the draft (step 7), the review chain of the head of bureau
(step 8) and the deputy (step 9), the minister's signature (step 11) and the publication
(step 13). Every function takes keyword arguments, runs in one transaction, checks who may
act and audits what changed.

Rules kept here, whatever the caller:
- only an editable plan (being drafted or returned) changes; a signed one never does;
- every version is reviewed by the head of bureau and then by the deputy, in that order;
- a decision names the version it is about: a decision on an outdated version is refused;
- nobody approves a version they wrote (edited or submitted);
- an acting official (Plt/Plh by an acting assignment) reviews or signs for the holder,
  and the record and the documents say so;
- only the minister (or their Plt/Plh) signs, and only the version the deputy approved,
  after the deputy's memorandum reached the minister (step 10).
"""

import hashlib
import json
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.analysis.models import AnalysisDraft, AnalysisVersion, Compilation
from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.ministry import rules, signals  # noqa: F401  (rules registers the permissions)
from rkpk.ministry.models import (
    FinalDocument,
    MinistryPlan,
    PlanSection,
    PlanVersion,
    ReviewComment,
)
from rkpk.ministry.tables import DEFAULT_SECTIONS, anchors, generate_tables
from rkpk.organisation import profile as organisation_profile
from rkpk.organisation import roles
from rkpk.organisation.models import Role, User
from rkpk.plans import services as plan_services
from rkpk.procedure.models import Cycle, CycleStep
from rkpk.procedure.services import complete_step

Status = MinistryPlan.Status
Decision = PlanVersion.Decision
Stage = ReviewComment.Stage
DRAFT_STEP, BUREAU_STEP, DEPUTY_STEP, TO_MINISTER_STEP, SIGN_STEP = 7, 8, 9, 10, 11
MAX_TEXT = 100_000
DRAFT = "ministry.draft"
DRAFT_REFUSED = gettext_lazy("The head of section and the bureau's staff draft the RK-PK.")


class ConflictError(plan_services.ConflictError):
    """A stale save or a decision on an outdated version (answered with 409 by the API)."""


def _locked(plan: MinistryPlan) -> MinistryPlan:
    return MinistryPlan.objects.select_for_update().get(pk=plan.pk)


def _editable(plan: MinistryPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("The ministry RK-PK is %(status)s; it cannot be changed now.")
            % {"status": plan.get_status_display().lower()},
            code="not_editable",
        )


def _notify(*, roles_to_tell, title: str, body: str, plan: MinistryPlan, event: str) -> None:
    from django.urls import reverse

    from rkpk.notifications.services import notify

    notify(
        recipients=User.objects.filter(
            role_assignments__role__in=roles_to_tell, is_active=True
        ).distinct(),
        event=event,
        title=title,
        body=body,
        url=reverse("ministry:plan", args=[plan.year]),
    )


# --- The draft (step 7) ----------------------------------------------------------------------


def _approved_analysis(year: int) -> AnalysisVersion:
    draft = AnalysisDraft.objects.filter(year=year).first()
    if draft is None or draft.status != AnalysisDraft.Status.APPROVED:
        raise ValidationError(
            _("The analysis of %(year)s has not been approved by the head of bureau (step 5).")
            % {"year": year},
            code="no_analysis",
        )
    return draft.versions.order_by("-number").first()


def _latest_compilation(year: int) -> Compilation:
    compilation = Compilation.objects.filter(year=year).order_by("-number").first()
    if compilation is None:
        raise ValidationError(
            _("The unit plans of %(year)s have not been compiled yet (step 4).") % {"year": year},
            code="no_compilation",
        )
    return compilation


def readiness(year: int) -> list[str]:
    """Why the year's draft cannot start yet (empty: it can)."""
    problems = []
    for check in (_approved_analysis, _latest_compilation):
        try:
            check(year)
        except ValidationError as error:
            problems.extend(error.messages)
    return problems


@transaction.atomic
def create_plan(*, actor, cycle: Cycle) -> MinistryPlan:
    """The draft of the cycle's ministry RK-PK, from the latest compilation and the approved
    analysis, with the standard narrative sections pre-filled."""
    require(actor, DRAFT, message=DRAFT_REFUSED)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if MinistryPlan.objects.filter(cycle=cycle).exists():
        raise ValidationError(
            _("The RK-PK %(year)s has already been drafted.") % {"year": cycle.year},
            code="exists",
        )
    analysis = _approved_analysis(cycle.year)
    compilation = _latest_compilation(cycle.year)
    second_party = organisation_profile.second_party()
    plan = MinistryPlan.objects.create(
        cycle=cycle,
        year=cycle.year,
        compilation=compilation,
        analysis_version=analysis,
        created_by=actor,
        second_party_name=second_party["name"],
        second_party_position=second_party["position"],
    )
    tables = generate_tables(compilation)
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, position=position, updated_by=None, **spec)
        for position, spec in enumerate(DEFAULT_SECTIONS(plan.year, tables, analysis))
    )
    audit.record(
        actor=actor,
        action="ministry_plan.created",
        obj=plan,
        after={
            "year": plan.year,
            "compilation": compilation.number,
            "analysis_version": analysis.number if analysis else None,
        },
    )
    return plan


@transaction.atomic
def refresh_tables(*, actor, plan: MinistryPlan) -> MinistryPlan:
    """Use the latest compilation (after a unit plan was corrected and recompiled)."""
    require(actor, DRAFT, message=DRAFT_REFUSED)
    plan = _locked(plan)
    _editable(plan)
    compilation = _latest_compilation(plan.year)
    before = plan.compilation.number
    plan.compilation = compilation
    plan.save(update_fields=["compilation"])
    audit.record(
        actor=actor,
        action="ministry_plan.tables_refreshed",
        obj=plan,
        before={"compilation": before},
        after={"compilation": compilation.number},
    )
    return plan


@transaction.atomic
def update_section(
    *, actor, section: PlanSection, revision: int, text: str, title: str | None = None
) -> PlanSection:
    """Save a section; `revision` is the one the editor loaded (stale: ConflictError)."""
    require(actor, DRAFT, message=DRAFT_REFUSED)
    plan = _locked(section.plan)
    _editable(plan)
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("A section has at most 100,000 characters.")})
    before = PlanSection.objects.select_for_update().get(pk=section.pk)
    try:
        loaded = int(revision)
    except (TypeError, ValueError):
        loaded = None
    if loaded != before.revision:
        raise ConflictError(
            _(
                "Someone saved this section meanwhile. Your text is kept below; "
                "reload to see their change and merge."
            )
        )
    values = {"text": text, "revision": F("revision") + 1, "updated_by": actor}
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("A section needs a title.")})
        values["title"] = title[:200]
    PlanSection.objects.filter(pk=section.pk).update(**values)
    section.refresh_from_db()
    audit.record(
        actor=actor,
        action="ministry_section.updated",
        obj=section,
        before={"title": before.title, "text": before.text, "revision": before.revision},
        after={"title": section.title, "text": section.text, "revision": section.revision},
    )
    return section


def _authors_since_last_version(plan: MinistryPlan, actor) -> list[int]:
    """Who wrote the version: the submitter and everyone whose section edits since the
    previous version the audit trail records."""
    from rkpk.core.models import AuditEvent

    last = plan.versions.order_by("-number").first()
    events = AuditEvent.objects.filter(
        action="ministry_section.updated",
        object_type=PlanSection._meta.label_lower,
        object_id__in=[str(pk) for pk in plan.sections.values_list("pk", flat=True)],
    )
    if last is not None:
        events = events.filter(at__gt=last.submitted_at)
    ids = set(events.exclude(actor=None).values_list("actor_id", flat=True))
    ids.add(actor.pk)
    return sorted(ids)


def freeze(plan: MinistryPlan) -> dict:
    """The content of a version: the sections and the generated tables."""
    return {
        "year": plan.year,
        "compilation": plan.compilation.number,
        "sections": [
            {"key": s.key, "title": s.title, "text": s.text}
            for s in plan.sections.order_by("position", "pk")
        ],
        "tables": generate_tables(plan.compilation),
        "second_party": {
            "name": plan.second_party_name,
            "position": plan.second_party_position,
        },
        # What the documents print of the organisation, as it stood when this was submitted.
        "organisation": organisation_profile.frozen_values(),
    }


def content_hash(content: dict) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


@transaction.atomic
def submit(*, actor, plan: MinistryPlan) -> PlanVersion:
    """Freeze the draft as the next version and send it to the head of bureau.

    The first version completes step 7 ("first draft exists") and starts step 8."""
    require(actor, DRAFT, message=DRAFT_REFUSED)
    plan = _locked(plan)
    _editable(plan)
    content = freeze(plan)
    if not any(s["text"].strip() for s in content["sections"]):
        raise ValidationError(_("Write the narrative sections before submitting the draft."))
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        content=content,
        content_hash=content_hash(content),
        submitted_by=actor,
        authors=_authors_since_last_version(plan, actor),
    )
    before = plan.status
    plan.status = Status.BUREAU_REVIEW
    plan.save(update_fields=["status"])
    moved = []
    if number == 1 and complete_step(
        actor=actor,
        cycle=plan.cycle,
        number=DRAFT_STEP,
        reason=_("The first draft of the ministry RK-PK was submitted."),
    ):
        moved.append(DRAFT_STEP)
    _start_step(actor, plan.cycle, BUREAU_STEP)
    audit.record(
        actor=actor,
        action="ministry_plan.submitted",
        obj=plan,
        before={"status": before},
        after={"status": plan.status, "version": number, "steps_completed": moved},
    )
    _notify(
        roles_to_tell=[Role.HEAD_OF_BUREAU],
        title=_("The draft RK-PK %(year)s (version %(n)s) awaits your review")
        % {"year": plan.year, "n": number},
        body=_("Comment on sections or table rows, then approve or return it."),
        plan=plan,
        event="ministry.submitted",
    )
    return version


def _start_step(actor, cycle: Cycle, number: int) -> None:
    from rkpk.procedure.services import Action, advance, may_act_on

    step = CycleStep.objects.select_related("standard_step").get(cycle=cycle, number=number)
    if step.status == CycleStep.Status.NOT_STARTED and may_act_on(actor, step):
        advance(actor=actor, step=step, action=Action.START)


# --- Reviews (steps 8 and 9) -----------------------------------------------------------------


def current_version(plan: MinistryPlan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


def stage_of(plan: MinistryPlan) -> str | None:
    return {Status.BUREAU_REVIEW: Stage.BUREAU, Status.DEPUTY_REVIEW: Stage.DEPUTY}.get(plan.status)


STAGE_ROLE = {Stage.BUREAU: Role.HEAD_OF_BUREAU, Stage.DEPUTY: Role.DEPUTY}


def may_review(user, plan: MinistryPlan) -> bool:
    return user.has_perm("ministry.review", plan)


def _reviewing(actor, plan: MinistryPlan, version_number) -> tuple[PlanVersion, str, str]:
    """(version, stage, acting) of a decision or comment; refuses outdated versions and
    people who may not review at this stage."""
    stage = stage_of(plan)
    version = current_version(plan)
    if stage is None or version is None:
        raise ValidationError(
            _("The RK-PK is %(status)s: there is nothing to review now.")
            % {"status": plan.get_status_display().lower()},
            code="not_in_review",
        )
    if not actor.has_perm("ministry.review", plan):
        raise PermissionDenied(
            _("Version %(n)s is with the %(role)s.")
            % {"n": version.number, "role": Role(STAGE_ROLE[stage]).label.lower()}
        )
    try:
        number = int(version_number)
    except (TypeError, ValueError):
        number = None
    if number != version.number:
        raise ConflictError(
            _(
                "You are looking at version %(old)s, but version %(new)s has been submitted "
                "since. Open the current version and decide on it."
            )
            % {"old": version_number, "new": version.number}
        )
    return version, stage, roles.printed_acting_kind(actor, STAGE_ROLE[stage])


@transaction.atomic
def comment(
    *,
    actor,
    plan: MinistryPlan,
    version_number: int,
    text: str,
    anchor_type: str = ReviewComment.Anchor.GENERAL,
    anchor: str = "",
    required: bool = False,
) -> ReviewComment:
    """A reviewer's comment on the version under review, on a section, a table row or the
    whole draft."""
    plan = _locked(plan)
    version, stage, acting = _reviewing(actor, plan, version_number)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if len(text) > 10_000:
        raise ValidationError({"text": _("A comment has at most 10,000 characters.")})
    if anchor_type not in ReviewComment.Anchor.values:
        raise ValidationError(
            {"anchor_type": _("Anchor a comment to a section, a row or the whole.")}
        )
    label = ""
    if anchor_type == ReviewComment.Anchor.GENERAL:
        anchor = ""
    else:
        known = anchors(version.content)[anchor_type]
        if anchor not in known:
            raise ValidationError({"anchor": _("This version has no such section or row.")})
        label = known[anchor]
    note = ReviewComment.objects.create(
        version=version,
        stage=stage,
        anchor_type=anchor_type,
        anchor=anchor,
        anchor_label=label[:300],
        text=text,
        required=bool(required),
        author=actor,
        acting=acting,
    )
    audit.record(
        actor=actor,
        action="ministry_plan.commented",
        obj=plan,
        after={
            "version": version.number,
            "stage": stage,
            "anchor": f"{anchor_type}:{anchor}",
            "text": text,
            "required": note.required,
            "acting": acting,
        },
    )
    return note


def _refuse_own_work(actor, version: PlanVersion) -> None:
    if actor.pk in (version.authors or []) or actor.pk == version.submitted_by_id:
        raise PermissionDenied(
            _("You wrote version %(n)s; someone who did not draft it must review it.")
            % {"n": version.number}
        )


def _record_decision(version: PlanVersion, stage: str, decision: str, actor, acting: str):
    """The stage's decision on the version: bureau_* or deputy_* fields."""
    values = {"decision": decision, "by": actor, "acting": acting, "at": timezone.now()}
    for name, value in values.items():
        setattr(version, f"{stage}_{name}", value)
    version.save(update_fields=[f"{stage}_{name}" for name in values])


def _memo_values(plan: MinistryPlan, version: PlanVersion) -> dict:
    from rkpk.ministry.procedure_documents import template_values

    return {**template_values(plan.cycle), "version": version.number}


def _produce_memo(*, actor, plan: MinistryPlan, version: PlanVersion, key: str, addressee: str):
    from rkpk.correspondence import services as correspondence
    from rkpk.correspondence.models import LetterTemplate

    template = LetterTemplate.objects.filter(key=key, is_active=True).first()
    if template is None:
        raise ValidationError(
            _("The template %(key)s is missing or inactive; an administrator restores it.")
            % {"key": key}
        )
    return correspondence.produce_signed(
        actor=actor,
        template=template,
        values={**_memo_values(plan, version), "recipients": addressee},
        addressee=addressee,
        cycle=plan.cycle,
        purpose=key,
    )


@transaction.atomic
def approve(*, actor, plan: MinistryPlan, version_number: int) -> PlanVersion:
    """The head of bureau (step 8) or the deputy (step 9) approves the version under review.

    The approval completes its step and produces, signed by the approver, the memorandum
    to the next: head of bureau → deputy, deputy → minister (step 10's memorandum)."""
    from rkpk.ministry.procedure_documents import TO_MINISTER

    plan = _locked(plan)
    version, stage, acting = _reviewing(actor, plan, version_number)
    _refuse_own_work(actor, version)
    before = plan.status
    if stage == Stage.BUREAU:
        _record_decision(version, stage, Decision.APPROVED, actor, acting)
        plan.status = Status.DEPUTY_REVIEW
        step, key, addressee = BUREAU_STEP, "step8-bureau-to-deputy", _deputy_title()
        reason = _("The head of bureau approved version %(n)s and sent it to the deputy.")
        tell, next_role = [Role.DEPUTY], Role.DEPUTY
    else:
        if version.bureau_decision != Decision.APPROVED:
            raise ValidationError(
                _(
                    "Version %(n)s has not been approved by the head of bureau; "
                    "it cannot skip that review."
                )
                % {"n": version.number},
                code="review_skipped",
            )
        _record_decision(version, stage, Decision.APPROVED, actor, acting)
        plan.status = Status.APPROVED
        step, key, addressee = DEPUTY_STEP, TO_MINISTER, minister_position()
        reason = _("The deputy approved version %(n)s.")
        tell, next_role = [Role.STAFF, Role.MINISTER], Role.MINISTER
    plan.save(update_fields=["status"])
    memo = _produce_memo(actor=actor, plan=plan, version=version, key=key, addressee=addressee)
    complete_step(actor=actor, cycle=plan.cycle, number=step, reason=reason % {"n": version.number})
    if stage == Stage.BUREAU:
        _start_step(actor, plan.cycle, DEPUTY_STEP)
    audit.record(
        actor=actor,
        action=f"ministry_plan.approved_by_{stage}",
        obj=plan,
        before={"status": before},
        after={
            "status": plan.status,
            "version": version.number,
            "acting": acting,
            "memo": memo.pk,
            "step_completed": step,
        },
    )
    _notify(
        roles_to_tell=tell,
        title=_("RK-PK %(year)s version %(n)s approved; next: %(who)s")
        % {"year": plan.year, "n": version.number, "who": Role(next_role).label.lower()},
        body=_("The memorandum was produced and signed; the bureau registers and sends it."),
        plan=plan,
        event=f"ministry.approved_by_{stage}",
    )
    return version


@transaction.atomic
def return_for_revision(
    *, actor, plan: MinistryPlan, version_number: int, changes: list[str] | str = ()
) -> PlanVersion:
    """Send the version back to the head of section with the changes required: the lines
    given here plus the comments marked required. At least one is needed."""
    plan = _locked(plan)
    version, stage, acting = _reviewing(actor, plan, version_number)
    if isinstance(changes, str):
        changes = changes.splitlines()
    lines = [line.strip() for line in changes if line and line.strip()]
    for line in lines:
        ReviewComment.objects.create(
            version=version,
            stage=stage,
            anchor_type=ReviewComment.Anchor.GENERAL,
            text=line[:10_000],
            required=True,
            author=actor,
            acting=acting,
        )
    required = list(
        version.comments.filter(stage=stage, required=True).values_list("text", flat=True)
    )
    if not required:
        raise ValidationError(
            {"changes": _("List the changes required (one per line) or mark comments as required.")}
        )
    _record_decision(version, stage, Decision.RETURNED, actor, acting)
    before = plan.status
    plan.status = Status.RETURNED
    plan.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=f"ministry_plan.returned_by_{stage}",
        obj=plan,
        before={"status": before},
        after={
            "status": plan.status,
            "version": version.number,
            "changes": required,
            "acting": acting,
        },
    )
    _notify(
        roles_to_tell=[Role.HEAD_OF_SECTION, Role.STAFF]
        + ([Role.HEAD_OF_BUREAU] if stage == Stage.DEPUTY else []),
        title=_("RK-PK %(year)s version %(n)s returned for revision")
        % {"year": plan.year, "n": version.number},
        body="\n".join(required),
        plan=plan,
        event=f"ministry.returned_by_{stage}",
    )
    return version


# --- Signature (step 11) and publication (step 13) ------------------------------------------


def _deputy_title() -> str:
    return organisation_profile.title("deputy_title")


def minister_position() -> str:
    """The minister's title, from the organisation profile."""
    return organisation_profile.title("minister_title")


def _signable_version(plan: MinistryPlan, version_number) -> PlanVersion:
    """The version the minister may sign: the plan approved by the deputy, the version
    named is the current one, and the deputy's memorandum reached the minister (step 10)."""
    if plan.status in (Status.SIGNED, Status.PUBLISHED):
        raise ValidationError(_("The RK-PK has already been signed."), code="signed")
    if plan.status != Status.APPROVED:
        raise ValidationError(
            _("The RK-PK is %(status)s: the minister signs it after the deputy approved it.")
            % {"status": plan.get_status_display().lower()},
            code="not_approved",
        )
    version = current_version(plan)
    try:
        number = int(version_number)
    except (TypeError, ValueError):
        number = None
    if number != version.number:
        raise ConflictError(
            _("Version %(old)s is outdated; the deputy approved version %(new)s.")
            % {"old": version_number, "new": version.number}
        )
    step10 = CycleStep.objects.get(cycle=plan.cycle, number=TO_MINISTER_STEP)
    if step10.status != CycleStep.Status.DONE:
        raise ValidationError(
            _(
                "The deputy's memorandum with the RK-PK has not been delivered to the minister "
                "yet (step 10): the bureau registers and dispatches it first."
            ),
            code="not_delivered",
        )
    return version


def _record_signature(plan: MinistryPlan, version: PlanVersion, actor, acting: str) -> None:
    """Mark the plan signed, with the signer's name, NIP and title as printed."""
    official = getattr(actor, "official", None)
    plan.signed_version = version
    plan.signed_by, plan.signed_at = actor, timezone.now()
    plan.signed_name = official.name if official else actor.get_full_name() or actor.username
    plan.signed_nip = (official.nip or "") if official else ""  # none for a pejabat negara
    plan.signed_position = (version.content or {}).get("organisation", {}).get(
        "minister_title"
    ) or minister_position()
    plan.signed_acting = acting
    plan.status = Status.SIGNED
    plan.save()


def _issue_final_documents(plan: MinistryPlan) -> dict:
    """Render, sign and keep the final RK and PK PDFs; return their SHA-256 by kind."""
    from rkpk.correspondence import signing
    from rkpk.correspondence.rendering import verification_url
    from rkpk.ministry import documents

    signer = signing.get_signer()
    issued = {}
    for kind in (FinalDocument.Kind.RK, FinalDocument.Kind.PK):
        token = secrets.token_urlsafe(24)
        pdf = documents.render_final(plan, kind=kind, verification_url=verification_url(token))
        pdf = signing.off_event_loop(
            lambda pdf=pdf, kind=kind: signer.sign(
                pdf,
                reason=f"{'Rencana' if kind == 'rk' else 'Penetapan'} Kinerja {plan.year}",
                signer_name=plan.signed_name,
            )
        )
        final = FinalDocument(
            plan=plan,
            kind=kind,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            verification_token=token,
        )
        final.pdf.save(documents.final_filename(plan, kind), ContentFile(pdf), save=False)
        final.save()
        issued[kind] = final.pdf_sha256
    return issued


@transaction.atomic
def sign(*, actor, plan: MinistryPlan, version_number: int) -> MinistryPlan:
    """The minister approves and signs the version the deputy approved: the final RK and PK
    PDFs are made, signed through the signer interface, and kept with their SHA-256 and
    verification tokens. Completes step 11."""
    if not actor.has_perm("ministry.sign_for_minister"):
        raise PermissionDenied(_("Only the minister (or their Plt./Plh.) signs the RK-PK."))
    acting = roles.printed_acting_kind(actor, Role.MINISTER)
    plan = _locked(plan)
    version = _signable_version(plan, version_number)
    _record_signature(plan, version, actor, acting)
    issued = _issue_final_documents(plan)
    complete_step(
        actor=actor,
        cycle=plan.cycle,
        number=SIGN_STEP,
        reason=_("The minister signed the RK-PK %(year)s.") % {"year": plan.year},
    )
    audit.record(
        actor=actor,
        action="ministry_plan.signed",
        obj=plan,
        before={"status": Status.APPROVED},
        after={
            "status": plan.status,
            "version": version.number,
            "content_hash": version.content_hash,
            "acting": acting,
            "pdf_sha256": issued,
        },
    )
    _notify(
        roles_to_tell=[Role.STAFF, Role.HEAD_OF_BUREAU],
        title=_("The minister signed the RK-PK %(year)s") % {"year": plan.year},
        body=_("Next: the memorandum to Biro Umum requesting the binding (step 12)."),
        plan=plan,
        event="ministry.signed",
    )
    return plan


@transaction.atomic
def publish(*, actor, cycle: Cycle) -> MinistryPlan | None:
    """Publish the signed RK-PK read-only to every unit (called when the distribution
    memorandum is dispatched). Twice: no change."""
    plan = MinistryPlan.objects.select_for_update().filter(cycle=cycle).first()
    if plan is None or plan.status != Status.SIGNED:
        return None
    plan.status, plan.published_at = Status.PUBLISHED, timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        action="ministry_plan.published",
        obj=plan,
        before={"status": Status.SIGNED},
        after={"status": plan.status},
    )
    _notify(
        roles_to_tell=[Role.UNIT_OPERATOR, Role.UNIT_HEAD, Role.VIEWER],
        title=_("The ministry's RK-PK %(year)s has been published") % {"year": plan.year},
        body=_("The signed RK and PK are available to every unit."),
        plan=plan,
        event="ministry.published",
    )
    signals.plan_published.send(sender=MinistryPlan, plan=plan, cycle=cycle, actor=actor)
    return plan
