"""The PK parties of a plan: shown on the plan page, edited in place (or on their own page
without JavaScript), with the heads recorded today suggested."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rkpk.core.actions import error_texts, form_errors
from rkpk.organisation.selectors import pk_parties
from rkpk.plans import selectors, services
from rkpk.plans.forms import PARTY_FIELDS, PartiesForm, fingerprint
from rkpk.plans.models import UnitPlan
from rkpk.plans.snapshot import parties_as_printed
from rkpk.plans.views.common import (
    changed,
    get_editable_plan,
    get_plan,
    is_htmx,
    plan_url,
    posted_revision,
    require_open,
)


def party_suggestions(plan: UnitPlan) -> dict:
    """The official heading the unit today (or acting for its head), and the one heading its
    parent (the direct superior; the minister for a unit directly under the minister), with
    "Plt"/"Plh" where they act (`first_acting`, `second_acting`)."""
    first, second = pk_parties(plan.unit)
    return {
        "first": first.official,
        "second": second.official,
        "first_acting": first.acting,
        "second_acting": second.acting,
    }


def _party_display(official, acting) -> str:
    if official is None:
        return "—"
    prefix = f"{acting}. " if acting else ""
    return f"{prefix}{official.name} ({official.position})"


def _parties_response(request, plan, form=None, *, conflict=None, status=200, error=""):
    """Read-only parties block (form None) or the form, as a fragment or a whole page."""
    context = {
        "plan": plan,
        "can_edit": plan.is_editable and request.user.has_perm("plans.edit_plan", plan),
        "form": form,
        "conflict": conflict,
        "error": error,
        "standalone": not is_htmx(request),
        "suggestions": party_suggestions(plan),
        "printed_parties": parties_as_printed(plan),
    }
    if form is None:
        return render(request, "plans/_parties.html", context, status=status)
    template = "plans/parties_page.html" if context["standalone"] else "plans/_parties_form.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def parties_view(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    if not is_htmx(request):
        return redirect(plan_url(plan, "parties"))
    return _parties_response(request, plan)


def _initial_parties(plan: UnitPlan) -> dict:
    """The parties chosen so far; where none is chosen yet, the heads recorded today."""
    suggestions = party_suggestions(plan)
    initial = {}
    for slot in ("first", "second"):
        chosen = getattr(plan, f"{slot}_party_id") is not None
        if chosen:
            initial[f"{slot}_party"] = getattr(plan, f"{slot}_party")
            initial[f"{slot}_party_acting"] = getattr(plan, f"{slot}_party_acting")
        elif suggestions[slot]:
            initial[f"{slot}_party"] = suggestions[slot].pk
            initial[f"{slot}_party_acting"] = suggestions[f"{slot}_acting"]
    return initial


@login_required
def parties_edit(request, unit_code, year):
    plan = get_editable_plan(request.user, unit_code, year)
    require_open(plan)
    officials = selectors.officials_for_parties(request.user, plan)
    if request.method != "POST":
        form = PartiesForm(plan=plan, officials=officials, initial=_initial_parties(plan))
        return _parties_response(request, plan, form)
    form = PartiesForm(request.POST, plan=plan, officials=officials)
    if not form.is_valid():
        return _parties_response(request, plan, form)
    data = form.cleaned_data
    parties = {
        name: data[name]
        for name in ("first_party", "second_party", "first_party_acting", "second_party_acting")
    }
    revision = posted_revision(request, data.get("revision"))
    try:
        try:
            plan = services.set_parties(actor=request.user, plan=plan, revision=revision, **parties)
        except services.ConflictError:
            # Any edit of the plan moves its revision; only a change of the parties conflicts.
            current = selectors.plan_with_parties(plan.pk)
            if not data.get("seen") or data["seen"] != fingerprint(current, PARTY_FIELDS):
                raise
            plan = services.set_parties(
                actor=request.user, plan=current, revision=current.revision, **parties
            )
    except services.ConflictError as error:
        current = selectors.plan_with_parties(plan.pk)
        conflict = {
            "message": " ".join(error_texts(error)),
            "revision": current.revision,
            "rows": [
                (
                    _("First party"),
                    _party_display(current.first_party, current.first_party_acting),
                    _party_display(data["first_party"], data["first_party_acting"]),
                ),
                (
                    _("Second party"),
                    _party_display(current.second_party, current.second_party_acting),
                    _party_display(data["second_party"], data["second_party_acting"]),
                ),
            ],
        }
        return _parties_response(request, plan, form, conflict=conflict)
    except ValidationError as error:
        form_errors(form, error)
        return _parties_response(request, plan, form)
    if not is_htmx(request):
        messages.success(request, _("PK parties saved."))
        return redirect(plan_url(plan, "parties"))
    plan = selectors.plan_with_parties(plan.pk)
    return changed(_parties_response(request, plan))
