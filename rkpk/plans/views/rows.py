"""The rows of a plan's content, edited in place: goals, their indicators, programs and
activities, and their output indicators (new, view, edit, delete, move)."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rkpk.core.actions import error_texts, form_errors
from rkpk.plans import selectors, services
from rkpk.plans.forms import (
    ActivityForm,
    ActivityIndicatorForm,
    GoalForm,
    IndicatorForm,
    fingerprint,
)
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan
from rkpk.plans.views.common import (
    changed,
    editor_context,
    get_editable_plan,
    get_plan,
    is_htmx,
    plan_url,
    posted_revision,
    require_open,
)


@dataclass(frozen=True)
class Kind:
    """One kind of editable row: its model, form and templates."""

    name: str
    model: type
    form: type
    row_template: str
    form_template: str
    wrapper: str  # "tr": a row of a table; "div": a card header

    @property
    def label(self) -> str:
        return {
            "goal": _("goal"),
            "indicator": _("indicator"),
            "activity": _("program/activity"),
            "output": _("output indicator"),
        }[self.name]

    def anchor(self, row) -> str:
        return f"{self.name}-{row.pk}"

    def wrapper_id(self, row) -> str:
        if row is None:
            return ""
        return f"{self.name}-row-{row.pk}" if self.wrapper == "div" else f"{self.name}-{row.pk}"


KINDS = {
    kind.name: kind
    for kind in (
        Kind("goal", Goal, GoalForm, "plans/_goal_row.html", "plans/_goal_form.html", "div"),
        Kind(
            "indicator",
            Indicator,
            IndicatorForm,
            "plans/_indicator_row.html",
            "plans/_indicator_form.html",
            "tr",
        ),
        Kind(
            "activity",
            Activity,
            ActivityForm,
            "plans/_activity_row.html",
            "plans/_activity_form.html",
            "div",
        ),
        Kind(
            "output",
            ActivityIndicator,
            ActivityIndicatorForm,
            "plans/_output_row.html",
            "plans/_output_form.html",
            "tr",
        ),
    )
}


def _row(kind: Kind, plan: UnitPlan, pk: int):
    row = selectors.row_of(kind.model, plan, pk)
    if row is None:
        raise Http404
    return row


def render_row(request, plan, kind: Kind, row, *, notice: str = "", block: bool = False):
    """The read-only row; with `block`, a goal's or activity's whole card (with its list)."""
    context = editor_context(request, plan, kind=kind.name, notice=notice)
    context["ind" if kind.name == "indicator" else kind.name] = row
    if block and kind.name == "goal":
        selectors.with_indicators(row)
        return render(request, "plans/_goal_block.html", context)
    if block and kind.name == "activity":
        selectors.with_indicators(row)
        return render(request, "plans/_activity_block.html", context)
    return render(request, kind.row_template, context)


def _field_display(form: forms.Form, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = form.fields.get(name)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(field.prepare_value(value) if field is not None else value)


def conflict_rows(form: forms.Form, current, typed: dict) -> list[tuple[str, str, str]]:
    """(label, their saved value, the user's value) for every field where they differ."""
    rows = []
    for name, value in typed.items():
        if name in ("revision", "activity") or name not in form.fields:
            continue
        theirs = getattr(current, name, None)
        if theirs == value or (theirs in (None, "") and value in (None, "")):
            continue
        rows.append(
            (
                str(form.fields[name].label),
                _field_display(form, name, theirs),
                _field_display(form, name, value),
            )
        )
    return rows


def _mark_invalid(form: forms.Form) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


def render_form(request, plan, kind: Kind, form, *, row=None, conflict=None, parent=None):
    """The row's form with what the user typed, its errors and any conflict."""
    standalone = not is_htmx(request)
    args = [plan.unit.code, plan.year, kind.name]
    if row is not None:
        action = reverse("plans:editor_row_edit", args=[*args, row.pk])
        view_url = reverse("plans:editor_row", args=[*args, row.pk])
        cancel_url = plan_url(plan, kind.anchor(row))
    else:
        action = reverse("plans:editor_row_new", args=args)
        view_url = ""
        cancel_url = plan_url(
            plan, "activities" if kind.name in ("activity", "output") else "goals"
        )
    _mark_invalid(form)
    context = {
        "plan": plan,
        "kind": kind.name,
        "kind_label": kind.label,
        "form": form,
        "row": row,
        "parent": parent,
        "parent_label": _("Goal") if kind.name == "indicator" else _("Program/activity"),
        "conflict": conflict,
        "standalone": standalone,
        "wrapper": kind.wrapper,
        "wrapper_id": kind.wrapper_id(row),
        "form_template": kind.form_template,
        "action": action,
        "view_url": view_url,
        "cancel_url": cancel_url,
        "measure_units": selectors.measure_unit_names() if standalone else [],
    }
    template = "plans/row_form_page.html" if standalone else "plans/_row_form.html"
    return render(request, template, context)


def _parent_for_new(kind: Kind, plan: UnitPlan, request):
    """The goal of a new indicator, the activity of a new output indicator (from ?parent=)."""
    if kind.name not in ("indicator", "output"):
        return None
    raw = request.GET.get("parent") or request.POST.get(
        "goal" if kind.name == "indicator" else "activity"
    )
    model = Goal if kind.name == "indicator" else Activity
    parent = selectors.row_of(model, plan, raw) if str(raw or "").isdigit() else None
    if parent is None and request.method != "POST":
        raise Http404
    return parent


@login_required
def row_new(request, unit_code, year, kind):
    spec = KINDS[kind]
    plan = get_editable_plan(request.user, unit_code, year)
    require_open(plan)
    parent = _parent_for_new(spec, plan, request)
    if request.method != "POST":
        initial = {}
        if spec.name == "indicator":
            initial["goal"] = parent.pk
        elif spec.name == "output":
            initial["activity"] = parent.pk
        return render_form(
            request, plan, spec, spec.form(plan=plan, initial=initial), parent=parent
        )
    form = spec.form(request.POST, plan=plan)
    if not form.is_valid():
        return render_form(request, plan, spec, form, parent=parent)
    extra = {"activity": form.cleaned_data["activity"]} if spec.name == "output" else {}
    try:
        row = services.create_row(
            actor=request.user, model=spec.model, plan=plan, **extra, **form.values()
        )
    except ValidationError as error:
        form_errors(form, error)
        return render_form(request, plan, spec, form, parent=parent)
    if not is_htmx(request):
        messages.success(request, _("Added."))
        return redirect(plan_url(plan, spec.anchor(row)))
    return changed(render_row(request, plan, spec, _row(spec, plan, row.pk), block=True))


@login_required
@require_GET
def row_view(request, unit_code, year, kind, pk):
    spec = KINDS[kind]
    plan = get_plan(request.user, unit_code, year)
    row = _row(spec, plan, pk)
    if not is_htmx(request):
        return redirect(plan_url(plan, spec.anchor(row)))
    return render_row(request, plan, spec, row)


def _deleted_meanwhile(spec: Kind) -> dict:
    return {
        "message": _(
            "Someone deleted this %(what)s meanwhile. Your text is kept below: "
            "save it to add it again, or cancel."
        )
        % {"what": spec.label},
        "rows": [],
    }


@login_required
def row_edit(request, unit_code, year, kind, pk):
    spec = KINDS[kind]
    plan = get_editable_plan(request.user, unit_code, year)
    require_open(plan)
    row = selectors.row_of(spec.model, plan, pk)
    if row is None and request.method == "POST":
        # Deleted while the user was typing: keep their text in a form that adds it anew.
        form = spec.form(request.POST, plan=plan)
        form.is_valid()
        return render_form(request, plan, spec, form, conflict=_deleted_meanwhile(spec))
    if row is None:
        raise Http404
    if request.method != "POST":
        return render_form(request, plan, spec, spec.form(instance=row, plan=plan), row=row)
    old_goal_id = getattr(row, "goal_id", None)
    form = spec.form(request.POST, instance=row, plan=plan)
    if not form.is_valid():
        return render_form(request, plan, spec, form, row=row)
    try:
        _update_row(request, spec, row, form)
    except services.ConflictError as error:
        current = selectors.current_row(spec.model, row.pk)
        if current is None:
            conflict = _deleted_meanwhile(spec)
        else:
            conflict = {
                "message": " ".join(error_texts(error)),
                "rows": conflict_rows(form, current, form.cleaned_data),
                "revision": current.revision,
            }
        return render_form(request, plan, spec, form, row=row, conflict=conflict)
    except spec.model.DoesNotExist:
        return render_form(request, plan, spec, form, row=row, conflict=_deleted_meanwhile(spec))
    except ValidationError as error:
        form_errors(form, error)
        return render_form(request, plan, spec, form, row=row)
    if not is_htmx(request):
        messages.success(request, _("Saved."))
        return redirect(plan_url(plan, spec.anchor(row)))
    row = _row(spec, plan, row.pk)
    if spec.name == "indicator" and row.goal_id != old_goal_id:
        # The indicator now serves another goal: redraw the goals so it shows there.
        response = _goals_list(request, plan)
        response["HX-Retarget"] = "#goals-list"
        response["HX-Reswap"] = "innerHTML"
        return changed(response)
    return changed(render_row(request, plan, spec, row))


def _update_row(request, spec: Kind, row, form) -> None:
    """Save the row; a stale revision is retried once on the current one when the row's
    content is still what the user saw (only its position moved meanwhile)."""
    values = form.values()
    revision = posted_revision(request, form.cleaned_data.get("revision"))
    try:
        services.update_row(actor=request.user, row=row, revision=revision, **values)
    except services.ConflictError:
        current = selectors.current_row(spec.model, row.pk)
        seen = form.cleaned_data.get("seen")
        if current is None or not seen or seen != fingerprint(current):
            raise
        services.update_row(actor=request.user, row=current, revision=current.revision, **values)


@login_required
@require_POST
def row_delete(request, unit_code, year, kind, pk):
    spec = KINDS[kind]
    plan = get_editable_plan(request.user, unit_code, year)
    row = _row(spec, plan, pk)
    revision = request.POST.get("revision", "")
    try:
        services.delete_row(
            actor=request.user, row=row, revision=int(revision) if revision.isdigit() else None
        )
    except services.ConflictError:
        notice = _(
            "Someone changed this %(what)s after you loaded the page, so it was not deleted. "
            "This is its current content: delete it again if you still want to."
        ) % {"what": spec.label}
        return _row_problem(request, plan, spec, pk, notice)
    except spec.model.DoesNotExist:
        pass  # someone else deleted it meanwhile: what the user wanted
    except ValidationError as error:
        return _row_problem(request, plan, spec, pk, " ".join(error_texts(error)))
    if not is_htmx(request):
        messages.success(request, _("Deleted."))
        return redirect(plan_url(plan, _list_anchor(spec, row)))
    return changed(HttpResponse(""))


def _row_problem(request, plan, spec: Kind, pk: int, notice: str):
    """A refused delete or move: the row as it is now, with the reason."""
    if not is_htmx(request):
        messages.error(request, notice)
        return redirect(plan_url(plan, f"{spec.name}-{pk}"))
    return render_row(request, plan, spec, _row(spec, plan, pk), notice=notice, block=True)


def _list_anchor(spec: Kind, row) -> str:
    if spec.name == "indicator":
        return f"goal-{row.goal_id}"
    if spec.name == "output":
        return f"activity-{row.activity_id}"
    return "goals" if spec.name == "goal" else "activities"


def _goals_list(request, plan):
    plan = selectors.plan_with_content(plan.pk)
    context = editor_context(request, plan, goals=list(plan.goals.all()))
    return render(request, "plans/_goals_list.html", context)


def _list_response(request, plan, spec: Kind, row):
    """After a move: the list the row belongs to, redrawn in its new order."""
    if spec.name == "goal":
        return _goals_list(request, plan)
    if spec.name == "activity":
        plan = selectors.plan_with_content(plan.pk)
        context = editor_context(request, plan, activities=list(plan.activities.all()))
        return render(request, "plans/_activities_list.html", context)
    if spec.name == "indicator":
        items = selectors.goal_indicators(row.goal_id)
        template, name = "plans/_indicator_rows.html", "indicators"
    else:
        items = selectors.activity_outputs(row.activity_id)
        template, name = "plans/_output_rows.html", "outputs"
    context = editor_context(request, plan, **{name: items})
    return render(request, template, context)


@login_required
@require_POST
def row_move(request, unit_code, year, kind, pk):
    spec = KINDS[kind]
    plan = get_editable_plan(request.user, unit_code, year)
    row = _row(spec, plan, pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponse(_("Say up or down."), status=400)
    try:
        services.move_row(actor=request.user, row=row, direction=direction)
    except ValidationError as error:
        return _row_problem(request, plan, spec, pk, " ".join(error_texts(error)))
    if not is_htmx(request):
        return redirect(plan_url(plan, spec.anchor(row)))
    return changed(_list_response(request, plan, spec, row))
