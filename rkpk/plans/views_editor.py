"""The plan pages and the in-place editor of a unit's RK-PK.

Every write endpoint answers two kinds of request:
- htmx (header `HX-Request: true`): a fragment to swap into the page, plus the event
  `plan-changed` that refreshes the conformity panel and the budget total;
- a plain form post (no JavaScript): a redirect back to the plan page, or the form page
  again with the errors.
A failed save always comes back with what the user typed; a save on a stale copy comes
back as a conflict showing the other person's values beside the user's.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, register_converter, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rkpk.core.calendar import today
from rkpk.core.selectors import paginate
from rkpk.organisation import roles
from rkpk.organisation.models import Official, Role, Unit
from rkpk.organisation.selectors import ancestors, pk_parties
from rkpk.plans import checks as plan_checks
from rkpk.plans import services
from rkpk.plans.forms import (
    PARTY_FIELDS,
    ActivityForm,
    ActivityIndicatorForm,
    GoalForm,
    IndicatorForm,
    PartiesForm,
    PlanSearchForm,
    StartPlanForm,
    apply_errors,
    fingerprint,
)
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    MeasureUnit,
    Submission,
    UnitPlan,
)
from rkpk.plans.selectors import plan_with_content, plans_for
from rkpk.plans.snapshot import parties_as_printed, plan_snapshot, total_budget

PLAN_CHANGED = "plan-changed"


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def plan_url(plan: UnitPlan, anchor: str = "") -> str:
    url = reverse("plans:plan_detail", args=[plan.unit.code, plan.year])
    return f"{url}#{anchor}" if anchor else url


def get_plan(user, unit_code: str, year: int) -> UnitPlan:
    """The plan if the user may see it; 404 otherwise (its existence is not revealed)."""
    plan = plans_for(user).filter(unit__code=unit_code, year=year).first()
    if plan is None or not user.has_perm("plans.view_plan", plan):
        raise Http404
    return plan


def get_editable_plan(user, unit_code: str, year: int) -> UnitPlan:
    """The plan if the user may edit it: 404 when they may not see it, 403 when only see."""
    plan = get_plan(user, unit_code, year)
    if not user.has_perm("plans.edit_plan", plan):
        raise PermissionDenied(_("You may view this plan but not change it."))
    return plan


def _changed(response: HttpResponse) -> HttpResponse:
    response["HX-Trigger"] = PLAN_CHANGED
    return response


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def row_labels() -> dict:
    """Words every row repeats, translated once per response instead of once per row."""
    return {
        "edit": _("Edit"),
        "delete": _("Delete"),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "delete_goal": _("Delete this goal and all its indicators?"),
        "delete_activity": _("Delete this program/activity and its output indicators?"),
        "delete_indicator": _("Delete this indicator?"),
        "delete_output": _("Delete this output indicator?"),
        "definition": _("Operational definition"),
        "formula": _("Formula"),
        "data_source": _("Data source"),
        "yes": _("yes"),
        "no": _("no"),
    }


def editor_context(request, plan: UnitPlan, **extra) -> dict:
    """What every fragment of the plan page needs: the plan, whether the user may change
    it now, the base of the row URLs, and the repeated labels."""
    return {
        "plan": plan,
        "can_edit": plan.is_editable and request.user.has_perm("plans.edit_plan", plan),
        "row_base": plan_url(plan),
        "labels": row_labels(),
        **extra,
    }


# --- Plan list ----------------------------------------------------------------------------


def _years_to_start() -> list[int]:
    year = today().year
    return [year, year + 1]


@login_required
@permission_required("plans.view_plans", raise_exception=True)
def plan_list(request):
    user = request.user
    own_ids = roles.unit_ids(user)
    context = {}
    if own_ids:
        units = list(Unit.objects.filter(pk__in=own_ids).order_by("sort_order", "code"))
        plans = list(
            plans_for(user)
            .filter(unit_id__in=own_ids)
            .annotate(version=Max("submissions__number"))
            .order_by("unit__sort_order", "unit__code", "-year")
        )
        by_unit = {unit.pk: [] for unit in units}
        for plan in plans:
            by_unit[plan.unit_id].append(plan)
        rows = []
        for unit in units:
            existing = {p.year for p in by_unit[unit.pk]}
            startable = (
                [y for y in _years_to_start() if y not in existing]
                if user.has_perm("plans.edit_plan", unit)
                else []
            )
            rows.append({"unit": unit, "plans": by_unit[unit.pk], "startable": startable})
        context["unit_rows"] = rows
    if roles.sees_whole_ministry(user):
        form = PlanSearchForm(request.GET or None)
        plans = plans_for(user).annotate(version=Max("submissions__number"))
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                plans = plans.filter(
                    Q(unit__code__icontains=data["q"])
                    | Q(unit__name__icontains=data["q"])
                    | Q(unit__short_name__icontains=data["q"])
                )
            if data["year"]:
                plans = plans.filter(year=data["year"])
            if data["status"]:
                plans = plans.filter(status=data["status"])
        plans = plans.order_by("-year", "unit__sort_order", "unit__code")
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "search_form": form,
                "page": paginate(request, plans, 50),
                "query": query.urlencode(),
            }
        )
        if roles.has_role(user, Role.STAFF):
            context["start_form"] = StartPlanForm(
                units=Unit.objects.filter(is_active=True).order_by("sort_order", "code"),
                initial={"year": _years_to_start()[1]},
            )
    return render(request, "plans/plan_list.html", context)


@login_required
@require_POST
def plan_start(request):
    form = StartPlanForm(request.POST, units=Unit.objects.filter(is_active=True))
    if not form.is_valid():
        messages.error(request, _("Choose a unit and a plan year between 2000 and 2100."))
        return redirect("plans:plan_list")
    unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
    if not request.user.has_perm("plans.edit_plan", unit):
        raise PermissionDenied(_("You may not start a plan for this unit."))
    try:
        plan = services.get_or_create_plan(actor=request.user, unit=unit, year=year)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("plans:plan_list")
    return redirect(plan_url(plan))


# --- Plan page ----------------------------------------------------------------------------


def _officials_for_parties(user, plan: UnitPlan):
    """Whom the PK parties may be chosen from.

    The ministry's roles choose from the whole register; a unit's people from the active
    officials of their unit and the units above it (the superior sits there), plus whoever
    is chosen now.
    """
    officials = Official.objects.select_related("unit").order_by("name", "pk")
    chosen = [pk for pk in (plan.first_party_id, plan.second_party_id) if pk]
    # The recorded heads (a Plt. may belong to another unit; the minister to none).
    chosen += [e.official.pk for e in pk_parties(plan.unit) if e.official is not None]
    if roles.sees_whole_ministry(user):
        return officials.filter(Q(is_active=True) | Q(pk__in=chosen))
    unit_ids = [plan.unit_id, *(u.pk for u in ancestors(plan.unit))]
    return officials.filter(Q(is_active=True, unit_id__in=unit_ids) | Q(pk__in=chosen))


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


def run_plan_checks(plan: UnitPlan) -> list[dict]:
    return plan_checks.run_checks(plan_snapshot(plan))


def checks_context(request, plan: UnitPlan, results: list[dict] | None = None) -> dict:
    results = run_plan_checks(plan) if results is None else results
    failing = plan_checks.blocking(results)
    user = request.user
    may_submit = user.has_perm("plans.submit_plan", plan) and plan.is_editable
    from rkpk.plans.head_approval import approval_required

    return {
        # The operator's "submit" sends the plan to the unit head when the organisation asks.
        "sends_to_head": may_submit
        and approval_required()
        and not user.has_perm("plans.approve_plan", plan),
        "plan": plan,
        "checks": results,
        "failing_errors": failing,
        "checks_passed": sum(1 for r in results if r["passed"]),
        "may_submit": may_submit,
        "submit_ready": may_submit and not failing,
    }


def budget_total(activities) -> object:
    """Each program once, plus activities outside a program (the snapshot's rule)."""
    return total_budget([{"kind": a.kind, "budget": a.budget} for a in activities])


def _lock_note(plan: UnitPlan, latest: Submission | None) -> str:
    if plan.is_editable:
        return ""
    status = plan.status
    if status in UnitPlan.AWAITING_BUREAU:
        return _(
            "Version %(n)s was submitted and awaits the bureau. The plan cannot be changed "
            "until the bureau asks for clarification or returns it."
        ) % {"n": latest.number if latest else "?"}
    if status == UnitPlan.Status.AWAITING_HEAD:
        return _(
            "The plan awaits the unit head's approval. It cannot be changed unless the head "
            "returns it."
        )
    if status == UnitPlan.Status.ACCEPTED:
        return _("The bureau accepted version %(n)s. The plan is locked.") % {
            "n": latest.number if latest else "?"
        }
    return _("The plan cannot be changed now.")


def detail_context(request, plan: UnitPlan) -> dict:
    user = request.user
    plan = plan_with_content(plan.pk)
    goals = list(plan.goals.all())
    activities = list(plan.activities.all())
    submissions = list(
        Submission.objects.filter(plan=plan)
        .select_related("submitted_by")
        .defer("snapshot")
        .order_by("-number")
    )
    latest = submissions[0] if submissions else None
    may_edit = user.has_perm("plans.edit_plan", plan)
    can_edit = may_edit and plan.is_editable
    empty = not goals and not activities
    previous_plan = None
    if can_edit and empty:
        previous_plan = UnitPlan.objects.filter(unit=plan.unit, year=plan.year - 1).first()
    context = editor_context(request, plan)
    context.update(
        {
            "goals": goals,
            "activities": activities,
            "indicator_count": sum(len(g.indicators.all()) for g in goals),
            "budget_total": budget_total(activities),
            "submissions": submissions,
            "latest_submission": latest,
            "may_edit": may_edit,
            "lock_note": _lock_note(plan, latest),
            "previous_plan": previous_plan,
            "measure_units": list(
                MeasureUnit.objects.filter(is_active=True).values_list("name", flat=True)
            ),
            "suggestions": party_suggestions(plan)
            if can_edit and not (plan.first_party_id and plan.second_party_id)
            else {},
        }
    )
    snapshot = plan_snapshot(plan)
    # the parties with the post the PK prints (the acted post, "Plt."), from the same snapshot
    context["printed_parties"] = snapshot["parties"]
    context.update(checks_context(request, plan, plan_checks.run_checks(snapshot)))
    from rkpk.plans.views_approval import approval_context

    context.update(approval_context(request, plan))
    return context


@login_required
@require_GET
def plan_detail(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    return render(request, "plans/plan_detail.html", detail_context(request, plan))


@login_required
@require_GET
def plan_checks_panel(request, unit_code, year):
    """The conformity panel (and the budget total), refreshed after every edit."""
    plan = get_plan(request.user, unit_code, year)
    if not is_htmx(request):
        return redirect(plan_url(plan, "checks"))
    plan = plan_with_content(plan.pk)
    context = checks_context(request, plan)
    context["budget_total"] = budget_total(plan.activities.all())
    context["goals"] = list(plan.goals.all())
    context["oob"] = True
    return render(request, "plans/_checks.html", context)


@login_required
@require_POST
def plan_submit(request, unit_code, year):
    plan = get_plan(request.user, unit_code, year)
    if not request.user.has_perm("plans.submit_plan", plan):
        raise PermissionDenied(_("Only the unit's operator or head submits its plan."))
    from rkpk.plans.services_approval import submit_or_request

    try:
        result = submit_or_request(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if isinstance(result, UnitPlan):  # the organisation asks for the unit head's approval
            messages.success(
                request,
                _("The plan was sent to the unit head for approval. It is read-only meanwhile."),
            )
        else:
            messages.success(
                request,
                _(
                    "Version %(n)s was submitted to the bureau. The plan is read-only until "
                    "it answers."
                )
                % {"n": result.number},
            )
    return redirect(plan_url(plan))


@login_required
@require_POST
def plan_copy(request, unit_code, year):
    plan = get_editable_plan(request.user, unit_code, year)
    try:
        services.copy_previous_year(actor=request.user, plan=plan)
    except ValidationError as error:
        text = _error_text(error)
        if hasattr(error, "error_dict"):  # rows of last year's plan the validator refuses
            text = _("Last year's plan cannot be copied as it is: %(problems)s") % {
                "problems": text
            }
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("Started from the plan of %(year)s. Enter this year's targets.")
            % {"year": plan.year - 1},
        )
    return redirect(plan_url(plan))


# --- PK parties ---------------------------------------------------------------------------


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


@login_required
def parties_edit(request, unit_code, year):
    plan = get_editable_plan(request.user, unit_code, year)
    _require_open(plan)
    officials = _officials_for_parties(request.user, plan)
    if request.method != "POST":
        suggestions = party_suggestions(plan)
        initial = {}
        if plan.first_party_id is None and suggestions["first"]:
            initial["first_party"] = suggestions["first"].pk
            initial["first_party_acting"] = suggestions["first_acting"]
        if plan.second_party_id is None and suggestions["second"]:
            initial["second_party"] = suggestions["second"].pk
            initial["second_party_acting"] = suggestions["second_acting"]
        initial.update(
            {
                k: getattr(plan, k)
                for k in ("first_party", "second_party")
                if getattr(plan, f"{k}_id") is not None
            }
        )
        if plan.first_party_id is not None:
            initial["first_party_acting"] = plan.first_party_acting
        if plan.second_party_id is not None:
            initial["second_party_acting"] = plan.second_party_acting
        form = PartiesForm(plan=plan, officials=officials, initial=initial)
        return _parties_response(request, plan, form)
    form = PartiesForm(request.POST, plan=plan, officials=officials)
    if not form.is_valid():
        return _parties_response(request, plan, form)
    data = form.cleaned_data
    parties = {
        name: data[name]
        for name in ("first_party", "second_party", "first_party_acting", "second_party_acting")
    }
    revision = _posted_revision(request, data.get("revision"))
    try:
        try:
            plan = services.set_parties(actor=request.user, plan=plan, revision=revision, **parties)
        except services.ConflictError:
            # Any edit of the plan moves its revision; only a change of the parties conflicts.
            current = UnitPlan.objects.get(pk=plan.pk)
            if not data.get("seen") or data["seen"] != fingerprint(current, PARTY_FIELDS):
                raise
            plan = services.set_parties(
                actor=request.user, plan=current, revision=current.revision, **parties
            )
    except services.ConflictError as error:
        current = UnitPlan.objects.select_related("first_party", "second_party").get(pk=plan.pk)
        conflict = {
            "message": _error_text(error),
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
        apply_errors(form, error)
        return _parties_response(request, plan, form)
    if not is_htmx(request):
        messages.success(request, _("PK parties saved."))
        return redirect(plan_url(plan, "parties"))
    plan = UnitPlan.objects.select_related("unit", "unit__parent").get(pk=plan.pk)
    return _changed(_parties_response(request, plan))


def _posted_revision(request, cleaned):
    """The revision to check: the user's, or the newer one they chose to save over."""
    overwrite = request.POST.get("overwrite_revision", "")
    if overwrite.isdigit():
        return int(overwrite)
    return cleaned


# --- Content rows -------------------------------------------------------------------------


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

    def rows(self, plan: UnitPlan):
        if self.model is ActivityIndicator:
            return ActivityIndicator.objects.filter(activity__plan=plan)
        rows = self.model.objects.filter(plan=plan)
        if self.model is Indicator:
            rows = rows.select_related("previous")
        return rows


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


class KindConverter:
    regex = "goal|indicator|activity|output"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "plankind")


def _row(kind: Kind, plan: UnitPlan, pk: int):
    row = kind.rows(plan).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _require_open(plan: UnitPlan) -> None:
    if not plan.is_editable:
        latest = plan.submissions.order_by("-number").first()
        raise PermissionDenied(_lock_note(plan, latest) or _("The plan cannot be changed now."))


def render_row(request, plan, kind: Kind, row, *, notice: str = "", block: bool = False):
    """The read-only row; with `block`, a goal's or activity's whole card (with its list)."""
    context = editor_context(request, plan, kind=kind.name, notice=notice)
    context["ind" if kind.name == "indicator" else kind.name] = row
    if block and kind.name == "goal":
        prefetch_related_objects(
            [row],
            Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("previous").order_by("position", "id"),
            ),
        )
        return render(request, "plans/_goal_block.html", context)
    if block and kind.name == "activity":
        prefetch_related_objects(
            [row], Prefetch("indicators", queryset=ActivityIndicator.objects.order_by("position"))
        )
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
        "measure_units": list(
            MeasureUnit.objects.filter(is_active=True).values_list("name", flat=True)
        )
        if standalone
        else [],
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
    parent = model.objects.filter(plan=plan, pk=raw).first() if str(raw or "").isdigit() else None
    if parent is None and request.method != "POST":
        raise Http404
    return parent


@login_required
def row_new(request, unit_code, year, kind):
    spec = KINDS[kind]
    plan = get_editable_plan(request.user, unit_code, year)
    _require_open(plan)
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
        apply_errors(form, error)
        return render_form(request, plan, spec, form, parent=parent)
    if not is_htmx(request):
        messages.success(request, _("Added."))
        return redirect(plan_url(plan, spec.anchor(row)))
    return _changed(render_row(request, plan, spec, _row(spec, plan, row.pk), block=True))


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
    _require_open(plan)
    row = spec.rows(plan).filter(pk=pk).first()
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
        current = spec.model.objects.filter(pk=row.pk).first()
        if current is None:
            conflict = _deleted_meanwhile(spec)
        else:
            conflict = {
                "message": _error_text(error),
                "rows": conflict_rows(form, current, form.cleaned_data),
                "revision": current.revision,
            }
        return render_form(request, plan, spec, form, row=row, conflict=conflict)
    except spec.model.DoesNotExist:
        return render_form(request, plan, spec, form, row=row, conflict=_deleted_meanwhile(spec))
    except ValidationError as error:
        apply_errors(form, error)
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
        return _changed(response)
    return _changed(render_row(request, plan, spec, row))


def _update_row(request, spec: Kind, row, form) -> None:
    """Save the row; a stale revision is retried once on the current one when the row's
    content is still what the user saw (only its position moved meanwhile)."""
    values = form.values()
    revision = _posted_revision(request, form.cleaned_data.get("revision"))
    try:
        services.update_row(actor=request.user, row=row, revision=revision, **values)
    except services.ConflictError:
        current = spec.model.objects.filter(pk=row.pk).first()
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
        return _row_problem(request, plan, spec, pk, _error_text(error))
    if not is_htmx(request):
        messages.success(request, _("Deleted."))
        return redirect(plan_url(plan, _list_anchor(spec, row)))
    return _changed(HttpResponse(""))


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
    plan = plan_with_content(plan.pk)
    context = editor_context(request, plan, goals=list(plan.goals.all()))
    return render(request, "plans/_goals_list.html", context)


def _list_response(request, plan, spec: Kind, row):
    """After a move: the list the row belongs to, redrawn in its new order."""
    if spec.name == "goal":
        return _goals_list(request, plan)
    if spec.name == "activity":
        plan = plan_with_content(plan.pk)
        context = editor_context(request, plan, activities=list(plan.activities.all()))
        return render(request, "plans/_activities_list.html", context)
    if spec.name == "indicator":
        items = Indicator.objects.filter(goal_id=row.goal_id).select_related("previous")
        template, name = "plans/_indicator_rows.html", "indicators"
    else:
        items = ActivityIndicator.objects.filter(activity_id=row.activity_id)
        template, name = "plans/_output_rows.html", "outputs"
    context = editor_context(request, plan, **{name: list(items.order_by("position", "id"))})
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
        return _row_problem(request, plan, spec, pk, _error_text(error))
    if not is_htmx(request):
        return redirect(plan_url(plan, spec.anchor(row)))
    return _changed(_list_response(request, plan, spec, row))


urlpatterns = [
    path("", plan_list, name="plan_list"),
    path("start/", plan_start, name="plan_start"),
    path("<str:unit_code>/<int:year>/", plan_detail, name="plan_detail"),
    path("<str:unit_code>/<int:year>/checks/", plan_checks_panel, name="plan_checks"),
    path("<str:unit_code>/<int:year>/submit/", plan_submit, name="plan_submit"),
    path("<str:unit_code>/<int:year>/copy-previous/", plan_copy, name="plan_copy"),
    path("<str:unit_code>/<int:year>/parties/", parties_view, name="editor_parties"),
    path("<str:unit_code>/<int:year>/parties/edit/", parties_edit, name="editor_parties_edit"),
    path("<str:unit_code>/<int:year>/<plankind:kind>/new/", row_new, name="editor_row_new"),
    path("<str:unit_code>/<int:year>/<plankind:kind>/<int:pk>/", row_view, name="editor_row"),
    path(
        "<str:unit_code>/<int:year>/<plankind:kind>/<int:pk>/edit/",
        row_edit,
        name="editor_row_edit",
    ),
    path(
        "<str:unit_code>/<int:year>/<plankind:kind>/<int:pk>/delete/",
        row_delete,
        name="editor_row_delete",
    ),
    path(
        "<str:unit_code>/<int:year>/<plankind:kind>/<int:pk>/move/",
        row_move,
        name="editor_row_move",
    ),
]
