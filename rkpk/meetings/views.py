"""Pages of the discussion meeting (step 6): the list per cycle, the schedule form, the
meeting page (invitees and attendance, agenda and notes, decisions — plain forms that work
without JavaScript), the report preview, its downloads and filing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.meetings import documents, selectors, services
from rkpk.meetings.dates import format_day_date_id, format_time_id
from rkpk.meetings.forms import (
    AgendaItemForm,
    CancelForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
)
from rkpk.meetings.models import AgendaItem, Decision, Invitee, Meeting
from rkpk.procedure.models import Cycle

VIEW = "meetings.view_meetings"
PAGE_SIZE = 20


def _error_messages(request, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or _("You may not do this."))
        return
    for message in error.messages:
        messages.error(request, message)


def _act(request, func, success: str, **kwargs):
    """Run a service; its refusal becomes a message. Returns the result or None."""
    try:
        result = func(actor=request.user, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        _error_messages(request, error)
        return None
    messages.success(request, success)
    return result


def _form_errors(request, error: ValidationError, form=None) -> None:
    """Put a service's field errors on the form when it has those fields, else as messages."""
    if form is not None and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
        return
    _error_messages(request, error)


def _meeting(request, pk: int) -> Meeting:
    return selectors.visible_meeting(request.user, pk)


def _detail_url(meeting, anchor: str = "") -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


# --- List and schedule --------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def meeting_list(request):
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    page = Paginator(selectors.meeting_list(request.user, year=year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "meetings": page.object_list,
            "year": year,
            "years": selectors.years_with_meetings(request.user),
            "query": urlencode({"year": year}) if year else "",
            "can_edit": request.user.has_perm(services.EDIT),
        },
    )


@login_required
@permission_required(services.EDIT, raise_exception=True)
def meeting_create(request):
    initial = {}
    if request.GET.get("cycle"):
        cycle = Cycle.objects.filter(year=request.GET["cycle"]).first()
        if cycle:
            initial["cycle"] = cycle.pk
    form = MeetingForm(request.POST or None, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule(
                actor=request.user, cycle=form.cleaned_data["cycle"], **form.service_values()
            )
        except ValidationError as error:
            _form_errors(request, error, form)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
@permission_required(services.EDIT, raise_exception=True)
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update(
                actor=request.user,
                meeting=meeting,
                revision=form.cleaned_data.get("revision"),
                **form.service_values(),
            )
        except services.ConflictError as error:
            _error_messages(request, error)
            status = 409
        except ValidationError as error:
            _form_errors(request, error, form)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


# --- The meeting page ---------------------------------------------------------------------


def _detail_context(request, meeting: Meeting, **extra) -> dict:
    user = request.user
    can_edit = user.has_perm(services.EDIT) and meeting.is_editable
    invitees = list(meeting.invitees.all())
    items = list(meeting.agenda_items.all())
    conflict = extra.pop("conflict", None)
    for item in items:
        if conflict and conflict["pk"] == item.pk:
            item.conflict_title, item.conflict_notes = conflict["title"], conflict["notes"]
    context = {
        "meeting": meeting,
        "invitees": invitees,
        "agenda_items": items,
        "decisions": list(meeting.decisions.all()),
        "details": selectors.may_read_details(user, meeting),
        "can_edit": can_edit,
        "can_file": user.has_perm(services.FILE) and meeting.is_editable,
        "can_draft_report": user.has_perm("meetings.view_drafts"),
        "attendance_choices": Invitee.Attendance.choices,
        "date_text": format_day_date_id(meeting.starts_at),
        "time_text": format_time_id(meeting.starts_at, meeting.ends_at),
        "invitation_url": _invitation_url(meeting),
    }
    if can_edit:
        context.update(
            {
                "invite_form": extra.pop("invite_form", None) or InviteForm(),
                "agenda_form": extra.pop("agenda_form", None) or AgendaItemForm(),
                "decision_form": extra.pop("decision_form", None) or DecisionForm(meeting=meeting),
                "cancel_form": CancelForm(),
            }
        )
    context.update(extra)
    return context


def _invitation_url(meeting: Meeting) -> str:
    if not meeting.invitation_id:
        return ""
    from rkpk.correspondence.dispatch import document_url

    return document_url(meeting.invitation)


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def meeting_cancel(request, pk: int):
    meeting = _meeting(request, pk)
    _act(
        request,
        services.cancel,
        _("The meeting is cancelled."),
        meeting=meeting,
        reason=request.POST.get("reason", ""),
    )
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def invitee_add(request, pk: int):
    meeting = _meeting(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, meeting, invite_form=form)
        return render(request, "meetings/meeting_detail.html", context, status=422)
    _act(
        request,
        services.invite,
        _("Invited."),
        meeting=meeting,
        units=form.cleaned_data["units"],
        officials=form.cleaned_data["officials"],
        guests=form.guest_names(),
    )
    return redirect(_detail_url(meeting, "invitees"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def invitee_delete(request, pk: int, invitee_id: int):
    meeting = _meeting(request, pk)
    invitee = get_object_or_404(Invitee, pk=invitee_id, meeting=meeting)
    _act(request, services.uninvite, _("Removed from the invitees."), invitee=invitee)
    return redirect(_detail_url(meeting, "invitees"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def attendance_save(request, pk: int):
    meeting = _meeting(request, pk)
    entries = [
        {
            "invitee": invitee_id,
            "attendance": request.POST.get(f"attendance-{invitee_id}", ""),
            "represented_by": request.POST.get(f"represented-{invitee_id}", ""),
        }
        for invitee_id in request.POST.getlist("invitee")
    ]
    _act(
        request,
        services.record_attendance,
        _("Attendance saved."),
        meeting=meeting,
        entries=entries,
    )
    return redirect(_detail_url(meeting, "invitees"))


# --- Agenda -------------------------------------------------------------------------------


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_add(request, pk: int):
    meeting = _meeting(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_agenda_item(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(request, error, form)
        else:
            messages.success(request, _("Agenda item added."))
            return redirect(_detail_url(meeting, "agenda"))
    context = _detail_context(request, meeting, agenda_form=form)
    return render(request, "meetings/meeting_detail.html", context, status=422)


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_save(request, pk: int, item_id: int):
    meeting = _meeting(request, pk)
    item = _item(meeting, item_id)
    title, notes = request.POST.get("title", ""), request.POST.get("notes", "")
    try:
        services.update_agenda_item(
            actor=request.user,
            item=item,
            revision=request.POST.get("revision"),
            title=title,
            notes=notes,
        )
    except services.ConflictError as error:
        _error_messages(request, error)
        meeting = _meeting(request, pk)
        context = _detail_context(
            request, meeting, conflict={"pk": item.pk, "title": title, "notes": notes}
        )
        return render(request, "meetings/meeting_detail.html", context, status=409)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Agenda item saved."))
    return redirect(_detail_url(meeting, f"item-{item.pk}"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_move(request, pk: int, item_id: int):
    meeting = _meeting(request, pk)
    item = _item(meeting, item_id)
    _act(
        request,
        services.move_agenda_item,
        _("Agenda reordered."),
        item=item,
        direction=request.POST.get("direction", ""),
    )
    return redirect(_detail_url(meeting, "agenda"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_delete(request, pk: int, item_id: int):
    meeting = _meeting(request, pk)
    item = _item(meeting, item_id)
    _act(request, services.delete_agenda_item, _("Agenda item deleted."), item=item)
    return redirect(_detail_url(meeting, "agenda"))


# --- Decisions ----------------------------------------------------------------------------


def _decision(meeting: Meeting, decision_id: int) -> Decision:
    return get_object_or_404(Decision, pk=decision_id, meeting=meeting)


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def decision_add(request, pk: int):
    meeting = _meeting(request, pk)
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_decision(actor=request.user, meeting=meeting, **form.service_values())
        except ValidationError as error:
            _form_errors(request, error, form)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(_detail_url(meeting, "decisions"))
    context = _detail_context(request, meeting, decision_form=form)
    return render(request, "meetings/meeting_detail.html", context, status=422)


@login_required
@permission_required(services.EDIT, raise_exception=True)
def decision_edit(request, pk: int, decision_id: int):
    meeting = _meeting(request, pk)
    decision = _decision(meeting, decision_id)
    form = DecisionForm(request.POST or None, meeting=meeting, decision=decision)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision(
                actor=request.user,
                decision=decision,
                revision=form.cleaned_data.get("revision"),
                **form.service_values(),
            )
        except services.ConflictError as error:
            _error_messages(request, error)
            status = 409
        except ValidationError as error:
            _form_errors(request, error, form)
            status = 422
        else:
            messages.success(request, _("Decision saved."))
            return redirect(_detail_url(meeting, "decisions"))
    return render(
        request,
        "meetings/decision_form.html",
        {"form": form, "meeting": meeting, "decision": decision},
        status=status,
    )


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def decision_delete(request, pk: int, decision_id: int):
    meeting = _meeting(request, pk)
    decision = _decision(meeting, decision_id)
    _act(request, services.delete_decision, _("Decision deleted."), decision=decision)
    return redirect(_detail_url(meeting, "decisions"))


# --- Invitation, report, filing -----------------------------------------------------------


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def invitation_create(request, pk: int):
    meeting = _meeting(request, pk)
    document = _act(
        request,
        services.create_invitation,
        _("The invitation is drafted; review, sign, register and dispatch it from here."),
        meeting=meeting,
    )
    if document is not None:
        from rkpk.correspondence.dispatch import document_url

        return redirect(document_url(document))
    return redirect("meetings:detail", pk=meeting.pk)


def _readable_report(request, pk: int) -> Meeting:
    """The meeting whose report the user may read: the ministry's roles always (a draft
    before filing); an invited unit's people only the filed report."""
    meeting = _meeting(request, pk)
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
    meeting = _meeting(request, pk)
    done = _act(
        request,
        services.file_report,
        _("The meeting report is filed; step 6 is complete."),
        meeting=meeting,
    )
    if done is None:
        return redirect("meetings:report", pk=meeting.pk)
    return redirect("meetings:detail", pk=meeting.pk)
