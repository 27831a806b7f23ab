"""Reads of the discussion meetings: what a user may see, and the pages' querysets."""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from rkpk.meetings.models import AgendaItem, Decision, Invitee, Meeting
from rkpk.organisation import roles


def meetings_for(user) -> QuerySet[Meeting]:
    """Every meeting for the ministry's roles; for a unit's people, the meetings their unit
    is invited to; nothing for anybody else."""
    meetings = Meeting.objects.all()
    if roles.sees_whole_ministry(user):
        return meetings
    units = roles.unit_ids(user)
    if not units:
        return meetings.none()
    return meetings.filter(pk__in=Invitee.objects.filter(unit_id__in=units).values("meeting_id"))


def meeting_list(user, *, year: int | None = None) -> QuerySet[Meeting]:
    """The list page's rows: cycle and chair joined, invitee and decision counts annotated."""
    meetings = (
        meetings_for(user)
        .select_related("cycle", "chair")
        .annotate(
            invitee_count=Count("invitees", distinct=True),
            decision_count=Count("decisions", distinct=True),
        )
        .order_by("-starts_at", "-id")
    )
    if year:
        meetings = meetings.filter(cycle__year=year)
    return meetings


def visible_meeting(user, pk: int, *, for_update: bool = False) -> Meeting:
    """The meeting with everything its page shows (a fixed number of queries), or 404."""
    meeting = (
        meetings_for(user)
        .filter(pk=pk)
        .select_related("cycle", "chair", "invitation", "filed_by", "created_by")
        .prefetch_related(
            Prefetch("invitees", queryset=Invitee.objects.select_related("unit", "official")),
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "id")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "owner_unit", "owner_official", "agenda_item"
                ).order_by("position", "id"),
            ),
        )
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def may_read_details(user, meeting: Meeting) -> bool:
    """Notes, attendance and decisions: the ministry's roles always; an invited unit's
    people once the report is filed."""
    return user.has_perm("meetings.view_drafts") or meeting.status == Meeting.Status.FILED


def years_with_meetings(user) -> list[int]:
    return sorted(set(meetings_for(user).values_list("cycle__year", flat=True)), reverse=True)


def invited_unit_ids(meeting: Meeting) -> set[int]:
    return set(
        Invitee.objects.filter(meeting=meeting, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
