"""Reads of complaints: who sees which, the register's search and filters, statistics."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Q, QuerySet

from rkpk.complaints.models import Complaint, ReminderLog
from rkpk.core.calendar import WorkingCalendar, today
from rkpk.organisation.models import Role, User


def _base() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("complainant", "unit", "cycle", "delegated_to")


def complaints_for(user) -> QuerySet[Complaint]:
    """The register for those who read it; otherwise only the user's own complaints."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    if user.has_perm("complaints.view_register"):
        return _base()
    return _base().filter(complainant=user)


def allowed_actions(user, complaint: Complaint) -> dict[str, bool]:
    """Which actions of the complaint's page (and the API's) the user may take now."""
    status, Status = complaint.status, Complaint.Status
    return {
        "delegate": complaint.is_open and user.has_perm("complaints.delegate", complaint),
        "follow_up": status in (Status.DELEGATED, Status.IN_FOLLOW_UP)
        and user.has_perm("complaints.follow_up", complaint),
        "answer": complaint.is_open and user.has_perm("complaints.answer", complaint),
        "close": status == Status.ANSWERED and user.has_perm("complaints.close", complaint),
        "withdraw": complaint.is_open and user.has_perm("complaints.withdraw", complaint),
        "rate": status in (Status.ANSWERED, Status.CLOSED)
        and complaint.satisfaction is None
        and user.has_perm("complaints.rate", complaint),
    }


def own_complaints(user) -> QuerySet[Complaint]:
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return _base().filter(complainant=user)


def overdue_q(on: date) -> Q:
    """Not delegated by the delegation due date, or not answered by the answer due date."""
    return Q(status=Complaint.Status.RECEIVED, delegation_due__lt=on) | Q(
        status__in=Complaint.OPEN, answer_due__lt=on
    )


def search(
    queryset: QuerySet[Complaint],
    *,
    text: str = "",
    status: str = "",
    category: str = "",
    year: int | None = None,
    overdue: bool = False,
    on: date | None = None,
) -> QuerySet[Complaint]:
    if text:
        queryset = queryset.filter(
            Q(number__icontains=text)
            | Q(subject__icontains=text)
            | Q(text__icontains=text)
            | Q(complainant__username__icontains=text)
            | Q(complainant__first_name__icontains=text)
            | Q(complainant__last_name__icontains=text)
            | Q(unit__name__icontains=text)
        )
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if year:
        queryset = queryset.filter(year=year)
    if overdue:
        queryset = queryset.filter(overdue_q(on or today()))
    return queryset


def years() -> list[int]:
    return list(Complaint.objects.order_by("-year").values_list("year", flat=True).distinct())


def delegate_candidates() -> QuerySet[User]:
    """Active users who hold the Head of Section role, or act for it today."""
    from rkpk.organisation.models import ActingAssignment

    on = today()
    acting = ActingAssignment.objects.filter(
        role=Role.HEAD_OF_SECTION, starts_on__lte=on, ends_on__gte=on
    ).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role_assignments__role=Role.HEAD_OF_SECTION) | Q(pk__in=acting))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def heads_of_bureau() -> list[User]:
    """Who receives complaints: holders of the Head of Bureau role and their Plt/Plh today."""
    from rkpk.organisation.models import ActingAssignment

    on = today()
    acting = ActingAssignment.objects.filter(
        role=Role.HEAD_OF_BUREAU, starts_on__lte=on, ends_on__gte=on
    ).values("user_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role_assignments__role=Role.HEAD_OF_BUREAU) | Q(pk__in=acting))
        .distinct()
    )


def timeline(complaint: Complaint, *, internal: bool) -> list[dict]:
    """The events of a complaint from the audit trail, oldest first. Notes of the bureau's
    internal handling (delegation notes, follow-up actions) only when `internal`."""
    from rkpk.core.models import AuditEvent

    events = AuditEvent.objects.filter(
        object_type=Complaint._meta.label_lower, object_id=str(complaint.pk)
    ).select_related("actor")
    found = []
    for event in events.order_by("seq"):
        kind = event.action.removeprefix("complaint.")
        after = event.after or {}
        note = ""
        if kind == "reminded" and not internal:
            continue
        if kind == "delegated":
            note = after.get("delegation_note", "") if internal else ""
        elif kind == "followed_up":
            note = after.get("action", "") if internal else ""
        elif kind == "answered":
            note = after.get("answer", "")
        elif kind == "closed":
            note = after.get("closing_note", "")
        elif kind == "withdrawn":
            note = after.get("withdrawal_reason", "")
        elif kind == "rated":
            note = after.get("satisfaction_note", "")
        elif kind == "reminded":
            note = str(dict(ReminderLog.Kind.choices).get(after.get("kind"), ""))
        actor = event.actor
        found.append(
            {
                "kind": kind,
                "at": event.at,
                "actor": (str(actor) if actor else event.actor_name),
                "acting": after.get("acting", ""),
                "to": after.get("delegated_to_name", ""),
                "note": note,
            }
        )
    return found


# --- Statistics ------------------------------------------------------------------------------


@dataclass
class Statistics:
    year: int | None
    total: int = 0
    by_category: list[tuple[str, str, int]] = field(default_factory=list)
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    by_month: list[tuple[int, int]] = field(default_factory=list)  # (month, count)
    answered: int = 0
    answered_in_time: int = 0
    median_days_to_answer: float | None = None
    overdue_now: int = 0
    per_year: list[dict] = field(default_factory=list)

    @property
    def share_in_time(self) -> float | None:
        """Percent of answered complaints answered by their due date."""
        if not self.answered:
            return None
        return round(100 * self.answered_in_time / self.answered, 1)


def _answer_days(rows, cal: WorkingCalendar) -> list[int]:
    return [cal.count_working_days(r["received_on"], r["answered_on"]) for r in rows]


def statistics(*, year: int | None = None, on: date | None = None) -> Statistics:
    """Counts per category, status and month; median working days from receipt to answer;
    the share answered within the limit. `year` None: every year."""
    on = on or today()
    cal = WorkingCalendar()
    fields = (
        "year",
        "category",
        "status",
        "received_on",
        "answered_on",
        "answer_due",
        "delegation_due",
    )
    every = list(Complaint.objects.values(*fields))
    stats = Statistics(year=year)
    rows = [r for r in every if year is None or r["year"] == year]
    stats.total = len(rows)
    categories = Counter(r["category"] for r in rows)
    stats.by_category = [
        (value, label, categories.get(value, 0)) for value, label in Complaint.Category.choices
    ]
    statuses = Counter(r["status"] for r in rows)
    stats.by_status = [
        (value, label, statuses.get(value, 0)) for value, label in Complaint.Status.choices
    ]
    months = Counter(r["received_on"].month for r in rows)
    stats.by_month = [(m, months.get(m, 0)) for m in range(1, 13)]
    answered = [r for r in rows if r["answered_on"] is not None]
    stats.answered = len(answered)
    stats.answered_in_time = sum(r["answered_on"] <= r["answer_due"] for r in answered)
    days = _answer_days(answered, cal)
    stats.median_days_to_answer = float(median(days)) if days else None
    open_statuses = {str(s) for s in Complaint.OPEN}
    stats.overdue_now = sum(
        (r["status"] in open_statuses and on > r["answer_due"])
        or (r["status"] == Complaint.Status.RECEIVED and on > r["delegation_due"])
        for r in rows
    )
    by_year: dict[int, list[dict]] = {}
    for r in every:
        by_year.setdefault(r["year"], []).append(r)
    for y in sorted(by_year, reverse=True):
        year_rows = by_year[y]
        year_answered = [r for r in year_rows if r["answered_on"] is not None]
        in_time = sum(r["answered_on"] <= r["answer_due"] for r in year_answered)
        year_days = _answer_days(year_answered, cal)
        stats.per_year.append(
            {
                "year": y,
                "total": len(year_rows),
                "answered": len(year_answered),
                "in_time": in_time,
                "share_in_time": round(100 * in_time / len(year_answered), 1)
                if year_answered
                else None,
                "median_days": float(median(year_days)) if year_days else None,
            }
        )
    return stats


def month_chart(stats: Statistics, month_names: list[str]) -> dict:
    """An SVG bar chart of complaints received per month (sizes in user units)."""
    width, height, left, bottom, top = 600, 220, 30, 30, 10
    peak = max((c for _m, c in stats.by_month), default=0) or 1
    slot = (width - left) / 12
    bar_width = slot * 0.7
    plot = height - bottom - top
    bars = []
    for month, count in stats.by_month:
        bar_height = round(plot * count / peak, 1)
        x = round(left + slot * (month - 1) + (slot - bar_width) / 2, 1)
        bars.append(
            {
                "month": month,
                "label": month_names[month - 1],
                "count": count,
                "x": x,
                "y": round(top + plot - bar_height, 1),
                "width": round(bar_width, 1),
                "height": bar_height,
                "label_x": round(x + bar_width / 2, 1),
                "count_y": round(top + plot - bar_height - 3, 1),
            }
        )
    return {
        "width": width,
        "height": height,
        "axis_y": top + plot,
        "label_y": height - 10,
        "left": left,
        "bars": bars,
        "peak": peak,
    }
