"""Reads of the unit's own approval: whether the organisation asks for it, who heads a unit
(the first party of its PK) and may approve its plan, and who is told.

The unit head is either the account holding the unit-head role for the unit, or the account
of the official recorded as the unit's head today (`heads_on`: an acting Plt./Plh. headship
wins over the definitive head, as on the PK itself).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from rkpk.core.calendar import today
from rkpk.organisation import roles
from rkpk.organisation.models import Headship, Official, Role, Unit, User
from rkpk.organisation.profile import current_profile
from rkpk.organisation.selectors import heads_on


def approval_required() -> bool:
    """Whether a unit's plan needs its head's approval before it goes to the bureau."""
    return bool(current_profile().unit_head_approval)


def headed_unit_ids(user) -> set[int]:
    """Units the user's official heads today (definitive or Plt./Plh.), cached on the user
    for the day like the role assignments."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    official_id = getattr(user, "official_id", None)
    if not official_id:
        return set()
    day = today()
    cached = getattr(user, "_rkpk_headed", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    headships = Headship.objects.filter(official_id=official_id)
    candidates = set(headships.values_list("unit", flat=True))
    own = Official.objects.filter(pk=official_id).values_list("unit", flat=True).first()
    if own:
        candidates.add(own)
    found = set()
    if candidates:
        heads = heads_on(Unit.objects.filter(pk__in=candidates), day)
        found = {unit_id for unit_id, head in heads.items() if head.official.pk == official_id}
    user._rkpk_headed = (day, found)
    return found


def heads_unit(user, unit_id: int | None) -> bool:
    """Whether the user is the head of the unit (its unit-head account, or its head today)."""
    if unit_id is None:
        return False
    return unit_id in roles.unit_ids(user, Role.UNIT_HEAD) or unit_id in headed_unit_ids(user)


def recorded_head(unit: Unit):
    """The official heading the unit today, or None when the bureau has recorded none."""
    head = heads_on([unit], today()).get(unit.pk)
    return head.official if head is not None else None


def approvers(unit: Unit):
    """Active accounts that may approve the unit's plan (to notify them)."""
    head = recorded_head(unit)
    wanted = Q(role_assignments__unit=unit, role_assignments__role=Role.UNIT_HEAD)
    if head is not None:
        wanted |= Q(official=head)
    return User.objects.filter(wanted, is_active=True).distinct()


def operators(unit: Unit):
    """Active accounts operating the unit's plan (told when the head returns it)."""
    return User.objects.filter(
        is_active=True,
        role_assignments__unit=unit,
        role_assignments__role=Role.UNIT_OPERATOR,
    ).distinct()


def require_approver(actor, plan, *, submitting: bool = False) -> None:
    """Refuse anyone but the unit's head, and any unit without a recorded head.

    `submitting`: the refusal an operator meets when submitting past the head.
    """
    if not actor.has_perm("plans.view_plan", plan) or not actor.has_perm(
        "plans.approve_plan", plan
    ):
        if submitting:
            raise PermissionDenied(
                _(
                    "The unit head approves the plan before it goes to the bureau: send it "
                    "to the unit head for approval."
                )
            )
        raise PermissionDenied(
            _("Only the head of the unit (or the official acting for them) approves this plan.")
        )
    if recorded_head(plan.unit) is None:
        raise ValidationError(
            _(
                "No head is recorded for %(unit)s, so nobody can approve its plan. The bureau "
                "must record the unit's head (on the unit's page) first."
            )
            % {"unit": plan.unit.name}
        )


def approval_tasks(user) -> list[tuple[str, str]]:
    """(text, url) of each plan waiting for this user's approval as its unit's head, for the
    home page. One query (and the headships' when the user is linked to an official)."""
    from django.urls import reverse

    from rkpk.plans.models import UnitPlan

    unit_ids = roles.unit_ids(user, Role.UNIT_HEAD) | headed_unit_ids(user)
    if not unit_ids:
        return []
    waiting = UnitPlan.objects.filter(
        status=UnitPlan.Status.AWAITING_HEAD, unit_id__in=unit_ids
    ).select_related("unit")
    return [
        (
            _("Approve the RK-PK %(year)s of %(unit)s, or return it to the operator.")
            % {"year": plan.year, "unit": plan.unit.name},
            reverse("plans:plan_detail", args=[plan.unit.code, plan.year]),
        )
        for plan in waiting.order_by("year", "unit__code")
    ]
