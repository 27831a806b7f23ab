"""Downloads of a unit's RK and PK as DOCX and PDF: /plans/<unit>/<year>/documents/<doc>.<fmt>."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import re_path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from rkpk.plans import documents
from rkpk.plans.selectors import plans_for

UNIT_CODE = r"(?P<unit_code>[A-Za-z0-9][A-Za-z0-9._-]*)"


@login_required
@require_GET
def download(request, unit_code: str, year: str, doc: str, fmt: str):
    """The plan's document; ?submission=N prints that submitted (frozen) version."""
    plan = plans_for(request.user).filter(unit__code=unit_code, year=int(year)).first()
    if plan is None or not request.user.has_perm("plans.view_plan", plan):
        raise Http404
    source, version = plan, None
    number = request.GET.get("submission")
    if number is not None:
        if not number.isdigit():
            raise Http404
        source = plan.submissions.filter(number=int(number)).first()
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


urlpatterns = [
    re_path(
        rf"^{UNIT_CODE}/(?P<year>[0-9]{{4}})/documents/(?P<doc>rkpk|rk|pk)\.(?P<fmt>docx|pdf)$",
        download,
        name="documents_download",
    ),
]
