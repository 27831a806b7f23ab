"""What every page of one plan shares: finding the plan the user may see (or change), its
URL, the htmx answer that refreshes the page's panels, and why a locked plan is locked."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.plans import selectors
from rkpk.plans.models import Submission, UnitPlan

PLAN_CHANGED = "plan-changed"


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def plan_url(plan: UnitPlan, anchor: str = "") -> str:
    url = reverse("plans:plan_detail", args=[plan.unit.code, plan.year])
    return f"{url}#{anchor}" if anchor else url


def get_plan(user, unit_code: str, year: int) -> UnitPlan:
    """The plan if the user may see it; 404 otherwise (its existence is not revealed)."""
    plan = selectors.visible_plan(user, unit_code, year)
    if plan is None:
        raise Http404
    return plan


def get_editable_plan(user, unit_code: str, year: int) -> UnitPlan:
    """The plan if the user may edit it: 404 when they may not see it, 403 when only see."""
    plan = get_plan(user, unit_code, year)
    if not user.has_perm("plans.edit_plan", plan):
        raise PermissionDenied(_("You may view this plan but not change it."))
    return plan


def changed(response: HttpResponse) -> HttpResponse:
    response["HX-Trigger"] = PLAN_CHANGED
    return response


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


def lock_note(plan: UnitPlan, latest: Submission | None) -> str:
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


def posted_revision(request, cleaned):
    """The revision to check: the user's, or the newer one they chose to save over."""
    overwrite = request.POST.get("overwrite_revision", "")
    if overwrite.isdigit():
        return int(overwrite)
    return cleaned


def require_open(plan: UnitPlan) -> None:
    if not plan.is_editable:
        latest = selectors.latest_submission(plan)
        raise PermissionDenied(lock_note(plan, latest) or _("The plan cannot be changed now."))
