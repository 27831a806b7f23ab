"""The writes of the analysis draft of a year (step 5): the bureau creates and edits it and
submits it to the head of bureau, who comments per section and approves or returns it.
Every submission freezes a version; approval completes step 5 of the cycle.

Keyword-only, actor first, one transaction, checked by the named rules, audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.analysis import drafts, selectors
from rkpk.analysis.drafts import ANALYSIS_STEP, EDIT, EDITABLE, MAX_TEXT, REVIEW, Status
from rkpk.analysis.models import (
    AnalysisDraft,
    AnalysisSection,
    AnalysisVersion,
    Compilation,
    SectionComment,
    StrategicGoal,
)
from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.plans import services as plan_services


class ConflictError(plan_services.ConflictError):
    """Someone saved the section after the editor loaded it (answered with 409 by the API)."""


@transaction.atomic
def create_or_refresh_draft(*, actor, year: int) -> AnalysisDraft:
    """Create the year's draft, or bring an editable one up to date: the latest compilation,
    a section for every goal added since. Text already written is kept."""
    require(actor, EDIT, message=_("Only the bureau writes the analysis."))
    year = int(year)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a plan year between 2000 and 2100.")})
    compilation = Compilation.objects.filter(year=year).order_by("-number").first()
    draft = AnalysisDraft.objects.select_for_update().filter(year=year).first()
    created = draft is None
    if draft is None:
        draft = AnalysisDraft.objects.create(
            year=year, compilation=compilation, created_by=actor, version=0
        )
    elif draft.status not in EDITABLE:
        raise ValidationError(
            _("The analysis is %(status)s; it cannot be changed now.")
            % {"status": draft.get_status_display().lower()}
        )
    else:
        draft.compilation = compilation
        draft.save(update_fields=["compilation"])
    period = selectors.period_for_year(year)
    goals = list(StrategicGoal.objects.filter(period=period)) if period else []
    tables = drafts.generate_tables(year, compilation)
    wanted = drafts.default_sections(year, tables, goals)
    have = {s.key: s for s in draft.sections.all()}
    new = []
    for position, spec in enumerate(wanted):
        section = have.get(spec["key"])
        if section is None:
            new.append(AnalysisSection(draft=draft, position=position, **spec))
        elif section.position != position:
            section.position = position
            section.save(update_fields=["position"])
    # Sections no longer in the list (a goal removed) move to the end; nothing is deleted.
    AnalysisSection.objects.bulk_create(new)
    audit.record(
        actor=actor,
        action="analysis_draft.created" if created else "analysis_draft.refreshed",
        obj=draft,
        after={
            "year": year,
            "compilation": compilation.number if compilation else None,
            "sections_added": [s.key for s in new],
        },
    )
    return draft


def _editable(draft: AnalysisDraft) -> None:
    if draft.status not in EDITABLE:
        raise ValidationError(
            _("The analysis is %(status)s; it cannot be edited now.")
            % {"status": draft.get_status_display().lower()}
        )


@transaction.atomic
def update_section(
    *, actor, section: AnalysisSection, revision: int, text: str, title: str | None = None
) -> AnalysisSection:
    """Save a section's text; `revision` is the one the editor loaded (stale: ConflictError)."""
    require(actor, EDIT, message=_("Only the bureau writes the analysis."))
    draft = AnalysisDraft.objects.select_for_update().get(pk=section.draft_id)
    _editable(draft)
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("A section has at most 100,000 characters.")})
    before = AnalysisSection.objects.select_for_update().get(pk=section.pk)
    if revision is None or int(revision) != before.revision:
        raise ConflictError(
            _(
                "Someone saved this section meanwhile. Your text is kept below; "
                "reload to see their change and merge."
            )
        )
    values = {"text": text, "revision": F("revision") + 1}
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("A section needs a title.")})
        values["title"] = title[:200]
    updated = AnalysisSection.objects.filter(pk=section.pk, revision=before.revision).update(
        **values
    )
    if not updated:  # pragma: no cover - the row lock above makes this unreachable
        raise ConflictError(_("Someone saved this section meanwhile."))
    section.refresh_from_db()
    audit.record(
        actor=actor,
        action="analysis_section.updated",
        obj=section,
        before={"title": before.title, "text": before.text, "revision": before.revision},
        after={"title": section.title, "text": section.text, "revision": section.revision},
    )
    return section


@transaction.atomic
def submit(*, actor, draft: AnalysisDraft) -> AnalysisVersion:
    """Freeze the sections and tables as the next version and send it to the head of bureau."""
    require(actor, EDIT, message=_("Only the bureau submits the analysis."))
    draft = AnalysisDraft.objects.select_for_update().get(pk=draft.pk)
    _editable(draft)
    content = drafts.freeze(draft)
    if not any(s["text"].strip() for s in content["sections"]):
        raise ValidationError(_("Write the analysis before submitting it."))
    number = (draft.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = AnalysisVersion.objects.create(
        draft=draft, number=number, content=content, submitted_by=actor
    )
    before = draft.status
    draft.status, draft.version = Status.SUBMITTED, number
    draft.save(update_fields=["status", "version"])
    audit.record(
        actor=actor,
        action="analysis_draft.submitted",
        obj=draft,
        before={"status": before},
        after={"status": draft.status, "version": number},
    )
    return version


def _current_version(draft: AnalysisDraft) -> AnalysisVersion:
    version = draft.versions.order_by("-number").first()
    if version is None or draft.status != Status.SUBMITTED:
        raise ValidationError(_("The analysis has not been submitted for review."))
    return version


@transaction.atomic
def comment(*, actor, version: AnalysisVersion, section_key: str, text: str) -> SectionComment:
    """The head of bureau's comment on one section of a submitted version."""
    require(actor, REVIEW, message=_("Only the head of bureau reviews the analysis."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    keys = {s["key"] for s in version.content.get("sections", [])}
    if section_key not in keys:
        raise ValidationError({"section_key": _("This version has no such section.")})
    if version.decision:
        raise ValidationError(_("This version has been decided; comment on the next one."))
    note = SectionComment.objects.create(
        version=version, section_key=section_key, author=actor, text=text
    )
    audit.record(
        actor=actor,
        action="analysis_section.commented",
        obj=note,
        after={"version": version.number, "section": section_key, "text": text},
    )
    return note


def _decide(actor, draft: AnalysisDraft, decision: str) -> tuple[AnalysisDraft, AnalysisVersion]:
    require(actor, REVIEW, message=_("Only the head of bureau reviews the analysis."))
    draft = AnalysisDraft.objects.select_for_update().get(pk=draft.pk)
    version = _current_version(draft)
    if version.submitted_by_id == actor.pk:
        raise PermissionDenied(_("You submitted this version; another person must review it."))
    version.decision, version.decided_by, version.decided_at = decision, actor, timezone.now()
    version.save(update_fields=["decision", "decided_by", "decided_at"])
    return draft, version


@transaction.atomic
def approve(*, actor, draft: AnalysisDraft) -> AnalysisDraft:
    """Approve the submitted version; completes step 5 of the year's cycle (started first
    when needed). Refused, with nothing changed, when the cycle cannot move."""
    draft, version = _decide(actor, draft, "approved")
    draft.status = Status.APPROVED
    draft.save(update_fields=["status"])
    step_done = _complete_analysis_step(actor, draft.year)
    audit.record(
        actor=actor,
        action="analysis_draft.approved",
        obj=draft,
        before={"status": Status.SUBMITTED},
        after={"status": draft.status, "version": version.number, "cycle_step": step_done},
    )
    return draft


def _complete_analysis_step(actor, year: int) -> int | None:
    from rkpk.procedure.models import Cycle
    from rkpk.procedure.services import complete_step

    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        return None
    done = complete_step(
        actor=actor,
        cycle=cycle,
        number=ANALYSIS_STEP,
        reason=_("Analysis approved by the head of bureau."),
    )
    return ANALYSIS_STEP if done else None


@transaction.atomic
def return_draft(*, actor, draft: AnalysisDraft, reason: str) -> AnalysisDraft:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what must be revised.")})
    draft, version = _decide(actor, draft, "returned")
    draft.status = Status.RETURNED
    draft.save(update_fields=["status"])
    SectionComment.objects.create(version=version, section_key="", author=actor, text=reason)
    audit.record(
        actor=actor,
        action="analysis_draft.returned",
        obj=draft,
        before={"status": Status.SUBMITTED},
        after={"status": draft.status, "version": version.number, "reason": reason},
    )
    return draft
