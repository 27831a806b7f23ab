"""Acting assignments (Plt/Plh): a person reviews and signs for an absent leader between two
dates (rkpk.organisation.roles.acts_as reads them). Only an administrator sets them.

Rules kept here, whatever the caller:
- only the roles that review or sign can be acted for (ACTING_ROLES);
- the period is ordered (until ≥ from);
- nobody acts for a role they hold themselves;
- one person has at most one assignment for a role on any day (no overlaps);
- an assignment is ended early by moving its last day forward to today or later, never into
  the past (what the person signed while acting stays covered); one that has already ended
  is history and is neither ended nor deleted.

Every write takes keyword arguments, runs in one transaction and is audited.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.core.calendar import today
from rkpk.core.formatting import format_date_id
from rkpk.organisation import roles
from rkpk.organisation.models import ActingAssignment, Role, RoleAssignment, User

MANAGE = "organisation.manage"
ACTING_ROLES = (Role.HEAD_OF_BUREAU, Role.DEPUTY, Role.MINISTER, Role.HEAD_OF_SECTION)
FIELDS = ["user", "role", "kind", "starts_on", "ends_on", "reason", "created_by"]
MAX_REASON = ActingAssignment._meta.get_field("reason").max_length


class State:
    CURRENT = "current"
    UPCOMING = "upcoming"
    PAST = "past"
    CHOICES = (CURRENT, UPCOMING, PAST)


def _require_manage(actor) -> None:
    require(actor, MANAGE, message=_("Only an administrator sets acting assignments."))


def _forget(*users) -> None:
    for user in users:
        if user is not None:
            roles.forget(user)


def state_of(assignment: ActingAssignment, on: date | None = None) -> str:
    day = on or today()
    if assignment.ends_on < day:
        return State.PAST
    if assignment.starts_on > day:
        return State.UPCOMING
    return State.CURRENT


def may_end(assignment: ActingAssignment, on: date | None = None) -> bool:
    """Whether the assignment can still be ended early (a later last day is left to move)."""
    day = on or today()
    return assignment.ends_on > max(day, assignment.starts_on)


def _snapshot(assignment: ActingAssignment) -> dict:
    return {**audit.snapshot(assignment, FIELDS), "username": assignment.user.username}


def _overlapping(*, user, role, starts_on: date, ends_on: date, exclude: int | None = None):
    found = ActingAssignment.objects.filter(
        user=user, role=role, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.order_by("starts_on").first()


# --- Reads ----------------------------------------------------------------------------------


def search(*, role: str = "", state: str = "", query: str = "", on: date | None = None) -> QuerySet:
    """Acting assignments, newest first, filtered by role, state (current, upcoming, past) and
    the acting person's name or username."""
    day = on or today()
    found = ActingAssignment.objects.select_related("user__official", "created_by")
    if role:
        found = found.filter(role=role)
    if state == State.CURRENT:
        found = found.filter(starts_on__lte=day, ends_on__gte=day)
    elif state == State.UPCOMING:
        found = found.filter(starts_on__gt=day)
    elif state == State.PAST:
        found = found.filter(ends_on__lt=day)
    query = (query or "").strip()
    if query:
        found = found.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__official__name__icontains=query)
        )
    return found.order_by("-starts_on", "-id")


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def create_assignment(
    *,
    actor,
    user: User,
    role: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    reason: str,
) -> ActingAssignment:
    """Let `user` act as `role` (Plt or Plh) from `starts_on` to `ends_on`, both included."""
    _require_manage(actor)
    errors: dict[str, list] = {}
    callers_user = user
    user = User.objects.select_for_update().filter(pk=getattr(user, "pk", None)).first()
    reason = (reason or "").strip()
    if user is None:
        errors["user"] = [_("Choose the person who will act.")]
    elif not user.is_active:
        errors["user"] = [_("The account of %(user)s is inactive.") % {"user": user.username}]
    if role not in ACTING_ROLES:
        errors["role"] = [
            _("Acting assignments are for: %(roles)s.")
            % {"roles": ", ".join(str(Role(r).label) for r in ACTING_ROLES)}
        ]
    if kind not in ActingAssignment.Kind.values:
        errors["kind"] = [_("Choose Plt. or Plh.")]
    if not starts_on:
        errors["starts_on"] = [_("Give the first day.")]
    if not ends_on:
        errors["ends_on"] = [_("Give the last day.")]
    elif starts_on and ends_on < starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first day.")]
    if not reason:
        errors["reason"] = [_("Say why (e.g. the official's leave or the decree).")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("At most %(n)s characters.") % {"n": MAX_REASON}]
    if user is not None and "role" not in errors:
        if RoleAssignment.objects.filter(user=user, role=role).exists():
            errors["user"] = [
                _("%(user)s already holds the role %(role)s and needs no acting assignment.")
                % {"user": user.username, "role": Role(role).label}
            ]
        elif starts_on and ends_on and "ends_on" not in errors:
            other = _overlapping(user=user, role=role, starts_on=starts_on, ends_on=ends_on)
            if other is not None:
                errors["starts_on"] = [
                    _(
                        "%(user)s already acts as %(role)s from %(start)s to %(end)s; "
                        "the periods overlap."
                    )
                    % {
                        "user": user.username,
                        "role": Role(role).label,
                        "start": format_date_id(other.starts_on),
                        "end": format_date_id(other.ends_on),
                    }
                ]
    if errors:
        raise ValidationError(errors)
    assignment = ActingAssignment.objects.create(
        user=user,
        role=role,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="acting.created",
        obj=assignment,
        after=_snapshot(assignment),
    )
    _forget(user, callers_user, actor)
    return assignment


def _callers_user(assignment: ActingAssignment):
    return assignment.user if ActingAssignment.user.is_cached(assignment) else None


def _locked(assignment: ActingAssignment) -> ActingAssignment:
    return (
        ActingAssignment.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def end_assignment(
    *, actor, assignment: ActingAssignment, last_day: date | None = None
) -> ActingAssignment:
    """End the assignment early: `last_day` (default today) becomes its last day. It cannot
    lie in the past, before the first day or after the current last day."""
    _require_manage(actor)
    callers_user, assignment = _callers_user(assignment), _locked(assignment)
    day = today()
    last_day = last_day or day
    if assignment.ends_on < day:
        raise ValidationError(
            _("This assignment ended on %(end)s; it is history now.")
            % {"end": format_date_id(assignment.ends_on)},
            code="ended",
        )
    if last_day < day:
        raise ValidationError(
            {"last_day": _("The last day cannot be in the past; choose today or later.")}
        )
    if last_day < assignment.starts_on:
        raise ValidationError(
            {
                "last_day": _(
                    "The assignment starts on %(start)s; to cancel it before it starts, delete it."
                )
                % {"start": format_date_id(assignment.starts_on)}
            }
        )
    if last_day >= assignment.ends_on:
        raise ValidationError(
            {
                "last_day": _("The assignment already ends on %(end)s; choose an earlier day.")
                % {"end": format_date_id(assignment.ends_on)}
            }
        )
    before = _snapshot(assignment)
    assignment.ends_on = last_day
    assignment.save(update_fields=["ends_on"])
    audit.record(
        actor=actor,
        action="acting.ended",
        obj=assignment,
        before=before,
        after=_snapshot(assignment),
    )
    _forget(assignment.user, callers_user, actor)
    return assignment


@transaction.atomic
def delete_assignment(*, actor, assignment: ActingAssignment) -> None:
    """Delete a current or upcoming assignment (entered by mistake); a past one is history
    and stays. The audit trail keeps what was deleted."""
    _require_manage(actor)
    callers_user, assignment = _callers_user(assignment), _locked(assignment)
    if assignment.ends_on < today():
        raise ValidationError(
            _("This assignment ended on %(end)s; it is history and cannot be deleted.")
            % {"end": format_date_id(assignment.ends_on)},
            code="ended",
        )
    audit.record(
        actor=actor,
        action="acting.deleted",
        obj=assignment,
        before=_snapshot(assignment),
    )
    user = assignment.user
    assignment.delete()
    _forget(user, callers_user, actor)
