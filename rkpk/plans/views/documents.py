"""Downloads of a unit's RK and PK as DOCX and PDF: /plans/<unit>/<year>/documents/<doc>.<fmt>."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from rkpk.plans import documents, selectors
from rkpk.plans.views.common import get_plan


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
    content = documents.render_plan_document(source, doc=doc, fmt=fmt)
    response = HttpResponse(content, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=fmt != "pdf",
        filename=documents.document_filename(plan, doc=doc, fmt=fmt, version=version),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
