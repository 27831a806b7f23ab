"""Pages of the ministry RK-PK (steps 7–13): the index of years, the plan page (drafting,
review, the minister's signature, the final documents), a version, the comparison of two
versions, and the downloads.

Thin views: the reads are in `selectors`, the writes and their rules in `services`. A
write that the services refuse answers with the plan page again, the user's input kept and
the reason shown: 422 (not valid now), 403 (not allowed) or 409 (a stale revision or an
outdated version). The section editor also answers htmx requests with the section alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rkpk.core.actions import error_texts, require
from rkpk.core.cache import render_shared
from rkpk.core.downloads import stored_file_response
from rkpk.core.selectors import paginate
from rkpk.ministry import selectors, services
from rkpk.ministry.forms import SectionForm
from rkpk.ministry.models import FinalDocument, MinistryPlan
from rkpk.procedure.models import Cycle

Status = MinistryPlan.Status


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def plan_url(plan: MinistryPlan, anchor: str = "") -> str:
    url = reverse("ministry:plan", args=[plan.year])
    return f"{url}#{anchor}" if anchor else url


def _status_of(error: Exception) -> int:
    if isinstance(error, services.ConflictError):
        return 409
    if isinstance(error, PermissionDenied):
        return 403
    return 422


# --- The index -----------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    rows = selectors.index_rows(request.user)
    cycle = selectors.running_cycle()
    start = None
    if (
        cycle is not None
        and request.user.has_perm("ministry.draft")
        and not any(r.plan is not None and r.cycle.pk == cycle.pk for r in rows)
    ):
        start = {"cycle": cycle, "problems": selectors.start_problems(cycle)}
    return render(
        request,
        "ministry/index.html",
        {
            "page": paginate(request, rows, per_page=20),
            "start": start,
            "inside": selectors.sees_drafts(request.user),
        },
    )


@login_required
@require_POST
def start(request, year: int):
    if not request.user.has_perm("ministry.draft"):
        raise PermissionDenied(_("The head of section and the bureau's staff draft the RK-PK."))
    cycle = get_object_or_404(Cycle, year=year)
    try:
        plan = services.create_plan(actor=request.user, cycle=cycle)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("ministry:index")
    messages.success(
        request,
        _("The draft RK-PK %(year)s was started from compilation %(n)s.")
        % {"year": plan.year, "n": plan.compilation.number},
    )
    return redirect(plan_url(plan))


# --- The plan page -------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request, year: int):
    plan = selectors.get_plan(request.user, year)
    context = selectors.plan_page(request.user, plan)
    if context.get("inside"):
        context["tables_html"] = _tables_html(request, context)
    return render(request, "ministry/plan_detail.html", context)


def _tables_html(request, context: dict) -> str:
    """The tables with their comments (and, for the reviewer, a comment form per row):
    the longest part of the page, the same for everyone inside the ministry who reviews
    or not, so rendered once per plan, shown version, reviewing or not and language (the
    data version renews it after each comment). Only the form token is the reader's own."""
    plan, version, shown = context["plan"], context["version"], context["shown"]
    reviewing = bool(context["reviewing"])
    parts = (
        "ministry.tables_html",
        plan.pk,
        plan.status,
        shown.pk if shown and not plan.is_editable else None,
        version.number if version else None,
        reviewing,
        get_language(),
    )
    shared = {
        "plan": plan,
        "version": version,
        "content": context["content"],
        "reviewing": reviewing,
        "annotate": version,
    }
    return render_shared(parts, "ministry/_tables.html", lambda: shared, request)


def _refused(request, plan, error, *, keep=None):
    """The plan page again, with the reason and the user's input."""
    return render(
        request,
        "ministry/plan_detail.html",
        selectors.plan_page(request.user, plan, keep=keep, errors=error_texts(error)),
        status=_status_of(error),
    )


def _act(request, year: int, func, success, *, keep=None, go_to: str = "", **kwargs):
    plan = selectors.get_plan(request.user, year)
    try:
        result = func(actor=request.user, plan=plan, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, plan, error, keep=keep)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(plan_url(plan, go_to))


@login_required
@require_POST
def refresh(request, year: int):
    return _act(
        request,
        year,
        services.refresh_tables,
        lambda plan: (
            _("The tables now come from compilation %(n)s.") % {"n": plan.compilation.number}
        ),
        go_to="tables",
    )


@login_required
@require_POST
def submit(request, year: int):
    return _act(
        request,
        year,
        services.submit,
        lambda version: _("Version %(n)s was sent to the head of bureau.") % {"n": version.number},
    )


@login_required
@require_POST
def comment(request, year: int):
    post = request.POST
    keep = {
        "form": "comment",
        "anchor_type": post.get("anchor_type", "general"),
        "anchor": post.get("anchor", ""),
        "text": post.get("text", ""),
        "required": bool(post.get("required")),
    }
    dom_id = post.get("dom_id", "")
    return _act(
        request,
        year,
        services.comment,
        _("Comment saved."),
        keep=keep,
        go_to=dom_id if dom_id.replace("-", "").isalnum() else "",
        version_number=post.get("version_number"),
        text=post.get("text", ""),
        anchor_type=post.get("anchor_type", "general"),
        anchor=post.get("anchor", ""),
        required=bool(post.get("required")),
    )


@login_required
@require_POST
def approve(request, year: int):
    return _act(
        request,
        year,
        services.approve,
        lambda version: (
            _(
                "Version %(n)s is approved. The memorandum was produced and signed; the bureau "
                "registers and dispatches it."
            )
            % {"n": version.number}
        ),
        go_to="memos",
        version_number=request.POST.get("version_number"),
    )


@login_required
@require_POST
def return_for_revision(request, year: int):
    changes = request.POST.get("changes", "")
    return _act(
        request,
        year,
        services.return_for_revision,
        lambda version: (
            _("Version %(n)s was returned to the head of section.") % {"n": version.number}
        ),
        keep={"form": "return", "changes": changes},
        version_number=request.POST.get("version_number"),
        changes=changes,
    )


@login_required
@require_POST
def sign(request, year: int):
    return _act(
        request,
        year,
        services.sign,
        _("The RK-PK is approved and signed. The final RK and PK have been issued."),
        go_to="final",
        version_number=request.POST.get("version_number"),
    )


# --- The section editor (htmx in place, or a plain form post) --------------------------------


def _section_response(request, plan, key, *, status=200, conflict=None, errors=(), saved=False):
    version = services.current_version(plan)
    content = selectors.content_view(selectors.live_content(plan), selectors.comments_of(version))
    section = next((s for s in content["sections"] if s["key"] == key), None)
    if section is None:
        raise Http404
    if conflict:
        section["conflict"] = conflict
    return render(
        request,
        "ministry/_section.html",
        {
            "plan": plan,
            "section": section,
            "editable": plan.is_editable and request.user.has_perm("ministry.draft"),
            "errors": list(errors),
            "saved": saved,
        },
        status=status,
    )


@login_required
@require_POST
def section_save(request, year: int, key: str):
    plan = selectors.get_plan(request.user, year)
    section = get_object_or_404(plan.sections.select_related("plan"), key=key)
    form = SectionForm(request.POST)
    text = request.POST.get("text", "")
    title = request.POST.get("title")
    typed = {"key": key, "title": title if title is not None else section.title, "text": text}
    try:
        # Who may not draft is refused before their input is judged.
        require(request.user, services.DRAFT, message=services.DRAFT_REFUSED)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[n].label}: {e}" for n, es in form.errors.items() for e in es]
            )
        services.update_section(
            actor=request.user,
            section=section,
            revision=form.cleaned_data["revision"],
            text=form.cleaned_data["text"],
            title=form.cleaned_data["title"],
        )
    except (ValidationError, PermissionDenied) as error:
        status = _status_of(error)
        typed["message"] = " ".join(error_texts(error))
        typed["is_conflict"] = status == 409
        if is_htmx(request):
            return _section_response(request, plan, key, status=status, conflict=typed)
        return render(
            request,
            "ministry/plan_detail.html",
            selectors.plan_page(request.user, plan, conflict=typed, errors=error_texts(error)),
            status=status,
        )
    if is_htmx(request):
        return _section_response(request, plan, key, saved=True)
    messages.success(request, _("Section saved."))
    dom_id = next(
        (
            s["dom_id"]
            for s in selectors.content_view(selectors.live_content(plan))["sections"]
            if s["key"] == key
        ),
        "",
    )
    return redirect(plan_url(plan, dom_id))


# --- Versions, comparison, downloads --------------------------------------------------------


def _inside_plan(request, year: int) -> MinistryPlan:
    """Versions are drafts: only the bureau and the leadership read them."""
    plan = selectors.get_plan(request.user, year)
    if not selectors.sees_drafts(request.user):
        raise Http404
    return plan


@login_required
@require_GET
def version_detail(request, year: int, number: int):
    plan = _inside_plan(request, year)
    version = selectors.get_version(plan, number)
    return render(
        request,
        "ministry/version_detail.html",
        {
            "plan": plan,
            "version": version,
            "content": selectors.content_view(version.content, selectors.comments_of(version)),
            "versions": list(plan.versions.order_by("number").values_list("number", flat=True)),
        },
    )


@login_required
@require_GET
def version_file(request, year: int, number: int, fmt: str):
    from rkpk.ministry import documents

    plan = _inside_plan(request, year)
    version = selectors.get_version(plan, number)
    if fmt not in documents.FORMATS:
        raise Http404
    data = documents.render_version(version, fmt=fmt)
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.version_filename(version, fmt)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def compare(request, year: int):
    plan = _inside_plan(request, year)
    versions = list(plan.versions.order_by("number"))
    by_number = {v.number: v for v in versions}
    a = by_number.get(_number(request.GET.get("a"))) or (
        versions[-2] if len(versions) > 1 else None
    )
    b = by_number.get(_number(request.GET.get("b"))) or (versions[-1] if versions else None)
    result = selectors.compare_versions(a, b) if a and b and a != b else None
    return render(
        request,
        "ministry/compare.html",
        {"plan": plan, "versions": versions, "a": a, "b": b, "result": result},
    )


@login_required
@require_GET
def final_file(request, year: int, kind: str):
    if kind not in FinalDocument.Kind.values:
        raise Http404
    plan = selectors.get_plan(request.user, year)
    document = selectors.final_document(request.user, plan, kind)
    return stored_file_response(
        document.pdf,
        original_name=document.pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
