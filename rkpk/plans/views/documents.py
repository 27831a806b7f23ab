"""Downloads of a unit's RK and PK as DOCX and PDF: /plans/<unit>/<year>/documents/<doc>.<fmt>.

A PDF is never rendered here (WeasyPrint would hold this web worker for seconds): the
stored rendering of the current content is sent from disk, or the background worker is
asked for it and the user gets a waiting page that asks again (rkpk.plans.rendered).
"""

from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rkpk.core.actions import run_action
from rkpk.plans import document_tasks, documents, rendered, selectors
from rkpk.plans.views.common import get_plan, is_htmx, plan_url

# How often the waiting page asks again, in seconds.
POLL_SECONDS = 2


def _headers(response, plan, *, doc: str, fmt: str, version: int | None):
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=fmt != "pdf",
        filename=documents.document_filename(plan, doc=doc, fmt=fmt, version=version),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def download(request, unit_code: str, year: str, doc: str, fmt: str):
    """The plan's document; ?submission=N prints that submitted (frozen) version."""
    plan = get_plan(request.user, unit_code, int(year))
    source, version = plan, None
    number = request.GET.get("submission")
    if number is not None:
        if not number.isdigit():
            raise Http404
        source = selectors.submission_of(plan, int(number))
        if source is None:
            raise Http404
        version = source.number
    if fmt == "pdf":
        return _pdf(request, plan, source, doc=doc, version=version)
    content = documents.render_plan_document(source, doc=doc, fmt=fmt)
    response = HttpResponse(content, content_type=documents.CONTENT_TYPES[fmt])
    return _headers(response, plan, doc=doc, fmt=fmt, version=version)


def _pdf(request, plan, source, *, doc: str, version: int | None):
    if doc not in documents.DOCS:
        raise Http404
    rendering, path = rendered.find(plan, source, doc=doc)
    own_url = request.path + (f"?submission={version}" if version else "")
    if path is not None:
        if is_htmx(request):
            # The waiting page asked: it goes to the document itself.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = own_url
            return response
        response = FileResponse(path.open("rb"), content_type=documents.CONTENT_TYPES["pdf"])
        return _headers(response, plan, doc=doc, fmt="pdf", version=version)
    wait = document_tasks.request_pdf(rendering, retry=request.GET.get("retry") == "1")
    if is_htmx(request) and request.GET.get("shown") == wait.state:
        return HttpResponse(status=204)  # nothing new to show or to announce
    context = {
        "plan": plan,
        "plan_page": plan_url(plan),
        "doc_name": documents.DOCS[doc],
        "version": version,
        "wait": wait,
        "own_url": own_url,
        "poll_url": own_url,
        "retry_url": own_url + ("&" if version else "?") + "retry=1",
        "poll_seconds": POLL_SECONDS,
    }
    if is_htmx(request):
        return render(request, "plans/documents/_waiting_status.html", context)
    response = render(request, "plans/documents/waiting.html", context, status=202)
    response["Cache-Control"] = "private, no-store"
    return response


# --- every unit's PK of a year, in one ZIP ------------------------------------------------


def _cycle_context(request, year: int) -> dict:
    path = rendered.cycle_zip_path(year)
    archive = None
    if path.is_file():
        stat = path.stat()
        archive = {
            "prepared_at": datetime.fromtimestamp(stat.st_mtime, tz=UTC),
            "size": stat.st_size,
            "url": reverse("plans:cycle_documents_zip", args=[year]),
        }
    return {
        "year": year,
        "archive": archive,
        "job": document_tasks.cycle_job(year),
        "may_prepare": request.user.has_perm("plans.review_plan"),
        "page_url": reverse("plans:cycle_documents", args=[year]),
        "poll_seconds": POLL_SECONDS * 2,
    }


@login_required
@permission_required("plans.view_all_plans", raise_exception=True)
@require_http_methods(["GET", "POST"])
def cycle_documents(request, year: int):
    """The ZIP of every unit's PK of the year: its state, its download, and (for the bureau)
    the button that prepares it again in the background."""
    if request.method == "POST":
        if not request.user.has_perm("plans.review_plan"):
            raise PermissionDenied
        run_action(
            request,
            document_tasks.request_cycle_zip,
            _("Every unit's PK is being prepared; this page shows how far it is."),
            year=year,
        )
        return redirect("plans:cycle_documents", year=year)
    context = _cycle_context(request, year)
    if is_htmx(request):
        job = context["job"]
        if request.GET.get("shown") == (job.state if job else "done") and not (
            job and job.state == document_tasks.RUNNING
        ):
            return HttpResponse(status=204)
        return render(request, "plans/documents/_cycle_status.html", context)
    return render(request, "plans/documents/cycle.html", context)


@login_required
@permission_required("plans.view_all_plans", raise_exception=True)
@require_GET
def cycle_documents_zip(request, year: int):
    """The prepared ZIP, sent from disk in chunks."""
    path = rendered.cycle_zip_path(year)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
