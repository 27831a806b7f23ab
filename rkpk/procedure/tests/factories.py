"""Cycles already moved to a given step, for the tests of the later steps."""

from datetime import timedelta

from rkpk.core.calendar import today
from rkpk.organisation.models import Role, RoleAssignment, User
from rkpk.procedure import services as procedure
from rkpk.procedure.models import Cycle


def mover() -> User:
    """A user holding every ministry role, to move a test cycle through any step."""
    user, created = User.objects.get_or_create(username="test-mover")
    if created:
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=role)
            for role in (
                Role.ADMIN,
                Role.STAFF,
                Role.HEAD_OF_SECTION,
                Role.HEAD_OF_BUREAU,
                Role.DEPUTY,
                Role.MINISTER,
                Role.GENERAL_BUREAU,
            )
        )
    return user


def cycle_done_through(number: int, *, year: int = 2027, start_next: bool = True) -> Cycle:
    """A cycle of `year` whose steps 1..`number` are done (step `number`+1 started when
    `start_next`), all on dates in the past few weeks."""
    actor = mover()
    cycle = procedure.start_cycle(actor=actor, year=year, start_date=today() - timedelta(days=40))
    for step in cycle.steps.select_related("standard_step").order_by("number"):
        if step.number > number:
            if start_next and step.number == number + 1:
                procedure.advance(actor=actor, step=step, action=procedure.Action.START)
            break
        step = procedure.advance(actor=actor, step=step, action=procedure.Action.START)
        procedure.advance(actor=actor, step=step, action=procedure.Action.COMPLETE)
    cycle.refresh_from_db()
    return cycle
