"""The analysis draft pages: sections edited in place (plain forms; the user's text is kept
on a conflict), submit, the head of bureau's review, versions and their comparison."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.analysis import drafts, selectors, services_drafts
from rkpk.analysis.models import AnalysisDraft, AnalysisSection
from rkpk.core.actions import flash_errors, run_action
from rkpk.core.calendar import today


def _draft_context(request, draft, year, conflict=None):
    sections = list(draft.sections.all()) if draft else []
    tables = drafts.generate_tables(year, draft.compilation if draft else None)
    versions = list(draft.versions.select_related("submitted_by")) if draft else []
    latest = versions[-1] if versions else None
    comments = {}
    if latest:
        for note in latest.comments.select_related("author"):
            comments.setdefault(note.section_key, []).append(note)
    for section in sections:
        section.rows = tables["goals"].get(section.key)
        section.notes = comments.get(section.key, [])
        if conflict and conflict["pk"] == section.pk:
            section.conflict_text = conflict["text"]
    return {
        "year": year,
        "draft": draft,
        "sections": sections,
        "tables": tables,
        "versions": versions,
        "latest": latest,
        "general_notes": comments.get("", []),
        "editable": draft is not None
        and draft.status in drafts.EDITABLE
        and request.user.has_perm(drafts.EDIT),
        "can_edit": request.user.has_perm(drafts.EDIT),
        "can_review": request.user.has_perm(drafts.REVIEW)
        and draft is not None
        and draft.status == AnalysisDraft.Status.SUBMITTED,
    }


def _year(request, year):
    return int(year or request.GET.get("year") or today().year + 1)


@login_required
@permission_required("analysis.view_drafts", raise_exception=True)
def draft_detail(request, year: int | None = None):
    year = _year(request, year)
    draft = selectors.draft_of(year)
    return render(request, "analysis/draft_detail.html", _draft_context(request, draft, year))


@login_required
@permission_required("analysis.edit_drafts", raise_exception=True)
@require_POST
def draft_create(request, year: int):
    run_action(
        request,
        services_drafts.create_or_refresh_draft,
        _("The analysis is up to date."),
        year=year,
    )
    return redirect("analysis:draft_detail", year=year)


@login_required
@permission_required("analysis.edit_drafts", raise_exception=True)
@require_POST
def draft_section_save(request, section_id: int):
    section = get_object_or_404(AnalysisSection.objects.select_related("draft"), pk=section_id)
    text = request.POST.get("text", "")
    try:
        services_drafts.update_section(
            actor=request.user, section=section, revision=request.POST.get("revision"), text=text
        )
        messages.success(request, _("Section saved."))
    except services_drafts.ConflictError as error:
        messages.error(request, error.messages[0])
        draft = section.draft
        context = _draft_context(request, draft, draft.year, {"pk": section.pk, "text": text})
        return render(request, "analysis/draft_detail.html", context, status=409)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(
        reverse("analysis:draft_detail", args=[section.draft.year]) + f"#section-{section.key}"
    )


@login_required
@permission_required("analysis.edit_drafts", raise_exception=True)
@require_POST
def draft_submit(request, year: int):
    draft = get_object_or_404(AnalysisDraft, year=year)
    run_action(request, services_drafts.submit, _("Sent to the head of bureau."), draft=draft)
    return redirect("analysis:draft_detail", year=year)


@login_required
@permission_required("analysis.review_drafts", raise_exception=True)
@require_POST
def draft_review(request, year: int):
    draft = get_object_or_404(AnalysisDraft, year=year)
    action = request.POST.get("action")
    try:
        if action == "comment":
            version = draft.versions.order_by("-number").first()
            if version is None:
                raise ValidationError(_("The analysis has not been submitted for review."))
            services_drafts.comment(
                actor=request.user,
                version=version,
                section_key=request.POST.get("section_key", ""),
                text=request.POST.get("text", ""),
            )
            messages.success(request, _("Comment saved."))
        elif action == "approve":
            services_drafts.approve(actor=request.user, draft=draft)
            messages.success(request, _("The analysis is approved."))
        elif action == "return":
            services_drafts.return_draft(
                actor=request.user, draft=draft, reason=request.POST.get("reason")
            )
            messages.success(request, _("The analysis was returned for revision."))
        else:
            raise ValidationError(_("Unknown action."))
    except (PermissionDenied, ValidationError) as error:
        flash_errors(request, error)
    return redirect("analysis:draft_detail", year=year)


@login_required
@permission_required("analysis.view_drafts", raise_exception=True)
def draft_compare(request, year: int):
    draft = get_object_or_404(AnalysisDraft, year=year)
    versions = list(draft.versions.all())
    by_number = {v.number: v for v in versions}
    a = by_number.get(int(request.GET.get("a") or 0)) or (
        versions[-2] if len(versions) > 1 else None
    )
    b = by_number.get(int(request.GET.get("b") or 0)) or (versions[-1] if versions else None)
    rows = drafts.compare_versions(a, b) if a and b else []
    return render(
        request,
        "analysis/draft_compare.html",
        {"draft": draft, "versions": versions, "a": a, "b": b, "rows": rows},
    )
