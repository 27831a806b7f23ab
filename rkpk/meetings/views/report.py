"""The invitation letter, the meeting report (preview, downloads) and its filing."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import run_action
from rkpk.meetings import documents, selectors, services
from rkpk.meetings.models import Meeting
from rkpk.meetings.views.common import meeting_for


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def invitation_create(request, pk: int):
    meeting = meeting_for(request, pk)
    ok, document = run_action(
        request,
        services.create_invitation,
        _("The invitation is drafted; review, sign, register and dispatch it from here."),
        meeting=meeting,
    )
    if ok:
        from rkpk.correspondence.dispatch import document_url

        return redirect(document_url(document))
    return redirect("meetings:detail", pk=meeting.pk)


def _readable_report(request, pk: int) -> Meeting:
    """The meeting whose report the user may read: the ministry's roles always (a draft
    before filing); an invited unit's people only the filed report."""
    meeting = meeting_for(request, pk)
    if not selectors.may_read_details(request.user, meeting):
        raise PermissionDenied(_("The report is available once it has been filed."))
    return meeting


@login_required
def report_preview(request, pk: int):
    meeting = _readable_report(request, pk)
    report, draft = documents.current_report(meeting)
    return render(
        request,
        "meetings/report_preview.html",
        {
            "meeting": meeting,
            "report": report,
            "draft": draft,
            "problems": services.filing_problems(meeting) if draft else [],
            "can_file": request.user.has_perm(services.FILE) and meeting.is_editable,
        },
    )


@login_required
def report_download(request, pk: int, fmt: str):
    if fmt not in documents.FORMATS:
        raise Http404
    meeting = _readable_report(request, pk)
    data, draft = documents.render(meeting, fmt)
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    name = documents.filename(meeting, fmt, draft=draft)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required(services.FILE, raise_exception=True)
@require_POST
def report_file(request, pk: int):
    meeting = meeting_for(request, pk)
    filed, _result = run_action(
        request,
        services.file_report,
        _("The meeting report is filed; step 6 is complete."),
        meeting=meeting,
    )
    if not filed:
        return redirect("meetings:report", pk=meeting.pk)
    return redirect("meetings:detail", pk=meeting.pk)
