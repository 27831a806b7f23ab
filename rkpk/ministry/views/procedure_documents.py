"""The procedure's documents of a cycle (web pages). Their URL names stay in the
"correspondence" namespace, under /correspondence/ (rkpk.ministry.correspondence_urls):

  documents/<pk>/confirm-binding/   Biro Umum confirms the binding (POST)
  cycles/<year>/                    the cycle's procedure documents
  cycles/<year>/drafts/             create a draft (POST key=… or key=all)
  cycles/<year>/sync/               complete the steps the documents allow (POST)
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import flash_errors
from rkpk.correspondence import dispatch as dispatching
from rkpk.ministry import procedure_documents
from rkpk.procedure.models import Cycle


def _notes(request, notes) -> None:
    for note in notes or ():
        messages.warning(request, note)


def _cycle_page(year: int) -> str:
    return reverse("correspondence:dispatch_cycle", args=[year])


@login_required
@require_POST
def dispatch_confirm_binding(request, pk: int):
    document = dispatching.get_visible(request.user, pk)
    if not request.user.has_perm("ministry.confirm_binding"):
        raise PermissionDenied
    try:
        notes = procedure_documents.confirm_binding(actor=request.user, document=document)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Binding confirmed."))
        _notes(request, notes)
    if document.cycle_id:
        return redirect(_cycle_page(document.cycle.year))
    return redirect(dispatching.document_url(document) + "#expedition")


def _cycle(request, year: int) -> Cycle:
    if not request.user.has_perm("procedure.view_cycle"):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle, year=year)
    if not request.user.has_perm("ministry.view_procedure_documents"):
        raise PermissionDenied
    return cycle


@login_required
def dispatch_cycle(request, year: int):
    cycle = _cycle(request, year)
    user = request.user
    context = {
        "cycle": cycle,
        "rows": procedure_documents.rows(cycle),
        "may_draft": user.has_perm("ministry.draft_procedure_documents"),
        "may_sync": user.has_perm("ministry.sync_procedure_documents"),
        "may_dispatch": dispatching.may_dispatch(user),
        "is_general_bureau": user.has_perm("ministry.confirm_binding"),
    }
    return render(request, "ministry/dispatch_cycle.html", context)


@login_required
@require_POST
def dispatch_cycle_drafts(request, year: int):
    cycle = _cycle(request, year)
    if not request.user.has_perm("ministry.draft_procedure_documents"):
        raise PermissionDenied
    key = request.POST.get("key", "")
    try:
        if key == "all":
            made = procedure_documents.create_missing(actor=request.user, cycle=cycle)
            messages.success(request, _("%(n)s drafts created.") % {"n": len(made)})
        else:
            procedure_documents.create_draft(actor=request.user, cycle=cycle, key=key)
            messages.success(request, _("Draft created."))
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(_cycle_page(year))


@login_required
@require_POST
def dispatch_cycle_sync(request, year: int):
    cycle = _cycle(request, year)
    try:
        notes = procedure_documents.sync(actor=request.user, cycle=cycle)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        _notes(request, notes)
        if not notes:
            messages.success(request, _("The cycle's steps are up to date with its documents."))
    return redirect(_cycle_page(year))
