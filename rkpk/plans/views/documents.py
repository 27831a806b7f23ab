"""Downloads of a unit's RK and PK as DOCX and PDF: /plans/<unit>/<year>/documents/<doc>.<fmt>.

A PDF is never rendered here (WeasyPrint would hold this web worker for seconds): the
stored rendering of the current content is sent from disk, or the background worker is
asked for it and the user gets a waiting page that asks again (rkpk.plans.rendered).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

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
    rendering = rendered.prepare(plan, source, doc=doc)
    path = rendered.stored(rendering)
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
