"""Acting assignments (Plt/Plh), for the administrator: who acts for which leader, from when
until when. Every write calls rkpk.organisation.services_acting, as the web pages do."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.organisation import services_acting
from rkpk.organisation.models import ActingAssignment, User

router = Router(tags=["organisation: acting assignments"])
RESPONSES = {**NOT_FOUND, **REFUSALS}
MAX_PAGE = 500


class ActingFilters(Schema):
    role: str = Field("", description="head_of_bureau | deputy | minister | head_of_section")
    state: str = Field("", description="current | upcoming | past; all when empty")
    q: str = Field("", description="Searches the acting person's name and username.")


class ActingIn(Schema):
    username: str = Field(..., description="The person who acts.")
    role: str = Field(..., description="head_of_bureau | deputy | minister | head_of_section")
    kind: str = Field(..., description="Plt | Plh")
    starts_on: date
    ends_on: date = Field(..., description="The last day (included).")
    reason: str = Field(..., max_length=300)


class EndIn(Schema):
    last_day: date | None = Field(None, description="Today or later; today when omitted.")


class ActingOut(Schema):
    id: int
    username: str
    name: str
    role: str
    kind: str
    starts_on: date
    ends_on: date
    state: str
    reason: str
    created_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username

    @staticmethod
    def resolve_name(obj) -> str:
        if obj.user.official_id:
            return obj.user.official.name
        return obj.user.get_full_name()

    @staticmethod
    def resolve_state(obj) -> str:
        return services_acting.state_of(obj)

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.username if obj.created_by_id else None


def _assignment(assignment_id: int) -> ActingAssignment:
    return get_object_or_404(
        ActingAssignment.objects.select_related("user__official", "created_by"), pk=assignment_id
    )


@router.get("/acting-assignments", response={200: list[ActingOut], **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=MAX_PAGE)
def list_assignments(request, filters: Query[ActingFilters]):
    """Acting assignments, newest first (administrator only)."""
    require(request, services_acting.MANAGE)
    return services_acting.search(role=filters.role, state=filters.state, query=filters.q)


@router.post("/acting-assignments", response={201: ActingOut, **RESPONSES})
def create_assignment(request, payload: ActingIn):
    """Let someone act (Plt/Plh) for a leader between two dates, both included."""
    require(request, services_acting.MANAGE)
    user = User.objects.filter(username=payload.username).first()
    if user is None:
        raise ValidationError({"username": _("There is no user with this username.")})
    data = payload.dict(exclude={"username"})
    try:
        assignment = services_acting.create_assignment(actor=request.user, user=user, **data)
    except ValidationError as error:
        # The person is named by `username` here.
        if hasattr(error, "error_dict") and "user" in error.error_dict:
            error.error_dict["username"] = error.error_dict.pop("user")
        raise
    return Status(201, _assignment(assignment.pk))


@router.post("/acting-assignments/{int:assignment_id}/end", response={200: ActingOut, **RESPONSES})
def end_assignment(request, assignment_id: int, payload: EndIn):
    """End the assignment early: `last_day` (default today) becomes its last day."""
    require(request, services_acting.MANAGE)
    assignment = services_acting.end_assignment(
        actor=request.user, assignment=_assignment(assignment_id), last_day=payload.last_day
    )
    return _assignment(assignment.pk)


@router.delete("/acting-assignments/{int:assignment_id}", response={204: None, **RESPONSES})
def delete_assignment(request, assignment_id: int):
    """Delete a current or upcoming assignment; a past one is history and stays (422)."""
    require(request, services_acting.MANAGE)
    services_acting.delete_assignment(actor=request.user, assignment=_assignment(assignment_id))
    return Status(204, None)
