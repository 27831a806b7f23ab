"""Reminders and warnings of step 3 (issue point 8), run by the worker for `rkpk send_reminders`.

For every active cycle whose call for submissions has gone out (step 2 done) and whose
monitoring is not closed (step 3 not done), on a working day:

- exactly `days_before` working days before the submission deadline, the unit operators
  and unit heads of every expected unit whose plan is neither accepted nor awaiting the
  bureau get a reminder;
- from the first working day after the deadline, every working day, they get a lateness
  notice, and the late units are escalated — in one digest per person — to every Head of
  Bureau and to the unit heads of each late unit's Eselon I unit.

Every (unit, year, kind, date) is written to ReminderLog (unique), in the same transaction
as the notifications: running twice on a day sends nothing twice.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.formatting import format_date_id
from rkpk.notifications.services import notify
from rkpk.organisation.models import Role, RoleAssignment, Unit, User
from rkpk.plans.models import ReminderLog, UnitPlan
from rkpk.plans.monitoring import (
    CALL_STEP,
    MONITORING_STEP,
    NO_PLAN,
    deadline_state,
    eselon1_of,
    pending_units,
    status_label,
)
from rkpk.procedure.models import Cycle, CycleStep

EVENT_BEFORE = "plans.reminder.before"
EVENT_LATE = "plans.reminder.late"
EVENT_ESCALATION = "plans.reminder.escalation"


def default_days_before() -> int:
    return int(getattr(settings, "RKPK_REMINDER_DAYS_BEFORE", 3))


def plan_path(unit: Unit, year: int) -> str:
    """Where a unit's plan of a year lives: the plan page (/plans/<unit code>/<year>/)."""
    return reverse("plans:plan_detail", args=[unit.code, year])


def send_reminders(*, actor=None, on_date: date, days_before: int | None = None) -> dict:
    """Remind and warn for every active cycle on `on_date`; a summary fit for JSON."""
    days_before = default_days_before() if days_before is None else days_before
    if not isinstance(days_before, int) or isinstance(days_before, bool) or days_before < 0:
        raise ValidationError(_("The days before the deadline must be a whole number, 0 or more."))
    cal = WorkingCalendar()
    summary = {
        "date": on_date.isoformat(),
        "working_day": cal.is_working_day(on_date),
        "days_before": days_before,
        "cycles": [],
    }
    if not summary["working_day"]:
        return summary
    for cycle in Cycle.objects.filter(status=Cycle.Status.ACTIVE).order_by("year"):
        summary["cycles"].append(
            remind_cycle(
                actor=actor, cycle=cycle, on_date=on_date, days_before=days_before, cal=cal
            )
        )
    return summary


def _recipients_by_unit(unit_ids, roles) -> dict[int, list[User]]:
    found = defaultdict(dict)
    for assignment in RoleAssignment.objects.filter(
        role__in=roles, unit_id__in=unit_ids, user__is_active=True
    ).select_related("user"):
        found[assignment.unit_id][assignment.user.pk] = assignment.user
    return {unit_id: list(users.values()) for unit_id, users in found.items()}


def _skip_reason(cycle: Cycle, on_date: date, cal: WorkingCalendar) -> str:
    """Why the cycle sends nothing today, or "" when it may."""
    steps = {s.number: s for s in cycle.steps.filter(number__in=(CALL_STEP, MONITORING_STEP))}
    call, monitoring = steps.get(CALL_STEP), steps.get(MONITORING_STEP)
    if call is None or call.actual_end is None:
        return "call for submissions not dispatched"
    if monitoring is not None and monitoring.status == CycleStep.Status.DONE:
        return "monitoring closed"
    if not cal.is_working_day(on_date):
        return "not a working day"
    return ""


def _reminder_kind(state, days_before: int):
    """The kind of reminder due today, or None when none is."""
    if state.days_late > 0:
        return ReminderLog.Kind.LATE
    if state.days_left is not None and state.days_left == days_before:
        return ReminderLog.Kind.BEFORE_DEADLINE
    return None


def _reminder_text(unit: Unit, *, kind, year: int, state, status: str, deadline: str):
    """(title, body, event) of the reminder or lateness notice sent for one unit."""
    if kind == ReminderLog.Kind.LATE:
        title = _("RK-PK %(year)s of %(unit)s: %(n)s working day(s) late") % {
            "year": year,
            "unit": unit.short_name or unit.name,
            "n": state.days_late,
        }
        body = _(
            "The RK-PK %(year)s of %(unit)s was due on %(deadline)s and has not been "
            "submitted (status: %(status)s). Please submit it as soon as possible: a late "
            "unit delays the ministry's RK-PK."
        ) % {"year": year, "unit": unit.name, "deadline": deadline, "status": status}
        return title, body, EVENT_LATE
    title = _("RK-PK %(year)s of %(unit)s: due in %(n)s working day(s)") % {
        "year": year,
        "unit": unit.short_name or unit.name,
        "n": state.days_left,
    }
    body = _(
        "The RK-PK %(year)s of %(unit)s is due on %(deadline)s (%(n)s working day(s) "
        "from today) and has not been submitted yet (status: %(status)s)."
    ) % {
        "year": year,
        "unit": unit.name,
        "deadline": deadline,
        "n": state.days_left,
        "status": status,
    }
    return title, body, EVENT_BEFORE


def _remind_units(to_remind, *, kind, year, state, statuses, deadline, result) -> int:
    """Notify the operators and heads of each unit; how many notifications went out. The
    units reminded and those without anyone to remind are added to `result`."""
    sent = 0
    recipients = _recipients_by_unit(
        [u.pk for u in to_remind], (Role.UNIT_OPERATOR, Role.UNIT_HEAD)
    )
    for unit in to_remind:
        users = recipients.get(unit.pk, [])
        if not users:
            result["without_recipients"].append(unit.code)
        status = status_label(statuses.get(unit.pk, NO_PLAN))
        title, body, event = _reminder_text(
            unit, kind=kind, year=year, state=state, status=status, deadline=deadline
        )
        sent += len(
            notify(recipients=users, event=event, title=title, body=body, url=plan_path(unit, year))
        )
        result["reminded"].append(unit.code)
    return sent


def _units_due(units, *, year: int, on_date: date, kind):
    """(units to remind, units to escalate) today: those not already logged for today."""
    done_today = set(
        ReminderLog.objects.filter(year=year, on_date=on_date, unit__in=units).values_list(
            "unit_id", "kind"
        )
    )
    to_remind = [u for u in units if (u.pk, kind.value) not in done_today]
    escalate = kind == ReminderLog.Kind.LATE
    to_escalate = (
        [u for u in units if (u.pk, ReminderLog.Kind.ESCALATION.value) not in done_today]
        if escalate
        else []
    )
    return to_remind, to_escalate


@transaction.atomic
def remind_cycle(
    *,
    actor=None,
    cycle: Cycle,
    on_date: date,
    days_before: int,
    cal: WorkingCalendar | None = None,
) -> dict:
    """The reminders of one cycle for one day. Idempotent (see the module's docstring)."""
    cal = cal or WorkingCalendar()
    # One run at a time per cycle: a second run waits here, then finds the first one's log.
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    result = {
        "year": cycle.year,
        "deadline": None,
        "kind": None,
        "skipped": "",
        "reminded": [],
        "escalated": [],
        "without_recipients": [],
        "notifications": 0,
    }
    result["skipped"] = _skip_reason(cycle, on_date, cal)
    if result["skipped"]:
        return result
    state = deadline_state(cycle, on_date, cal)
    result["deadline"] = state.deadline.isoformat()
    kind = _reminder_kind(state, days_before)
    if kind is None:
        return result
    result["kind"] = kind.value

    year = cycle.year
    units = list(pending_units(year).select_related("parent__parent__parent"))
    to_remind, to_escalate = _units_due(units, year=year, on_date=on_date, kind=kind)
    if not to_remind and not to_escalate:
        return result

    ReminderLog.objects.bulk_create(
        [ReminderLog(unit=u, year=year, kind=kind, on_date=on_date) for u in to_remind]
        + [
            ReminderLog(unit=u, year=year, kind=ReminderLog.Kind.ESCALATION, on_date=on_date)
            for u in to_escalate
        ]
    )
    statuses = dict(
        UnitPlan.objects.filter(year=year, unit__in=units).values_list("unit_id", "status")
    )
    deadline_text = format_date_id(state.deadline)
    sent = _remind_units(
        to_remind,
        kind=kind,
        year=year,
        state=state,
        statuses=statuses,
        deadline=deadline_text,
        result=result,
    )
    if to_escalate:
        sent += _escalate(
            units=to_escalate, year=year, state=state, statuses=statuses, deadline=deadline_text
        )
        result["escalated"] = [u.code for u in to_escalate]
    result["notifications"] = sent
    audit.record(
        actor=actor,
        action="plan.reminders_sent",
        obj=cycle,
        after={
            "date": on_date.isoformat(),
            "kind": kind.value,
            "deadline": state.deadline.isoformat(),
            "reminded": result["reminded"],
            "escalated": result["escalated"],
            "without_recipients": result["without_recipients"],
        },
    )
    return result


def _escalation_lines(units: list[Unit], statuses: dict, days_late: int) -> str:
    return "\n".join(
        "- "
        + _("%(code)s %(name)s: %(n)s working day(s) late, %(status)s")
        % {
            "code": unit.code,
            "name": unit.name,
            "n": days_late,
            "status": status_label(statuses.get(unit.pk, NO_PLAN)),
        }
        for unit in units
    )


def _escalate(*, units: list[Unit], year: int, state, statuses: dict, deadline: str) -> int:
    """One digest to every Head of Bureau, one to each Eselon I head for their late units."""
    sent = 0
    heads_of_bureau = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.HEAD_OF_BUREAU).distinct()
    )
    if heads_of_bureau:
        title = _("RK-PK %(year)s: %(count)s unit(s) late") % {"year": year, "count": len(units)}
        body = (
            _("These units have not submitted their RK-PK %(year)s, due on %(deadline)s:")
            % {"year": year, "deadline": deadline}
            + "\n"
            + _escalation_lines(units, statuses, state.days_late)
        )
        sent += len(
            notify(
                recipients=heads_of_bureau,
                event=EVENT_ESCALATION,
                title=title,
                body=body,
                url=reverse("plans:monitoring_board", args=[year]) + "?late=on",
            )
        )
    by_eselon1 = defaultdict(list)
    for unit in units:
        top = eselon1_of(unit)
        if top is not None and top.pk != unit.pk:
            by_eselon1[top].append(unit)
    heads = _recipients_by_unit([top.pk for top in by_eselon1], (Role.UNIT_HEAD,))
    for top, late in by_eselon1.items():
        users = heads.get(top.pk, [])
        if not users:
            continue
        title = _("RK-PK %(year)s: %(count)s unit(s) of %(unit)s late") % {
            "year": year,
            "count": len(late),
            "unit": top.short_name or top.name,
        }
        body = (
            _(
                "These units of %(unit)s have not submitted their RK-PK %(year)s, "
                "due on %(deadline)s:"
            )
            % {"unit": top.name, "year": year, "deadline": deadline}
            + "\n"
            + _escalation_lines(late, statuses, state.days_late)
        )
        sent += len(notify(recipients=users, event=EVENT_ESCALATION, title=title, body=body))
    return sent
