"""The meeting's agenda and its notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import flash_errors, run_action
from rkpk.meetings import services
from rkpk.meetings.forms import AgendaItemForm
from rkpk.meetings.models import AgendaItem, Meeting
from rkpk.meetings.views.common import detail_context, detail_url, meeting_for, show_errors


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_add(request, pk: int):
    meeting = meeting_for(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_agenda_item(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, _("Agenda item added."))
            return redirect(detail_url(meeting, "agenda"))
    context = detail_context(request, meeting, agenda_form=form)
    return render(request, "meetings/meeting_detail.html", context, status=422)


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_save(request, pk: int, item_id: int):
    meeting = meeting_for(request, pk)
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
        flash_errors(request, error)
        meeting = meeting_for(request, pk)
        context = detail_context(
            request, meeting, conflict={"pk": item.pk, "title": title, "notes": notes}
        )
        return render(request, "meetings/meeting_detail.html", context, status=409)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Agenda item saved."))
    return redirect(detail_url(meeting, f"item-{item.pk}"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_move(request, pk: int, item_id: int):
    meeting = meeting_for(request, pk)
    item = _item(meeting, item_id)
    run_action(
        request,
        services.move_agenda_item,
        _("Agenda reordered."),
        item=item,
        direction=request.POST.get("direction", ""),
    )
    return redirect(detail_url(meeting, "agenda"))


@login_required
@permission_required(services.EDIT, raise_exception=True)
@require_POST
def agenda_delete(request, pk: int, item_id: int):
    meeting = meeting_for(request, pk)
    item = _item(meeting, item_id)
    run_action(request, services.delete_agenda_item, _("Agenda item deleted."), item=item)
    return redirect(detail_url(meeting, "agenda"))
