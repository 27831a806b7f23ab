"""Monitoring of step 3: which units have sent their RK-PK, how far each stands from the
submission deadline, and what the lateness does to the later steps of the cycle.

Reads only. The board is built in a fixed number of queries whatever the number of units:
one for the units, one for their plans (with the latest submission and the last message
as correlated subqueries), one for the cycle's step 2 and one for the calendar overrides.

Terms:
- *expected units*: the units that must submit a plan for a year (`units_expected`).
- *deadline* (`submission_deadline`): the call for submissions (the end of step 2, actual
  or, before it happened, planned) plus `cycle.submission_days` working days.
- *done*: the plan is accepted or awaiting the bureau (submitted or resubmitted).
- *late*: not done, the call has gone out, and at least one working day has passed since
  the deadline. A plan sent back for clarification or returned is not done.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple

from django.db import NotSupportedError
from django.db.models import (
    Expression,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rkpk.core.cache import cached
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.calendar import today as calendar_today
from rkpk.core.models import AuditEvent
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.organisation import roles
from rkpk.organisation.models import Unit
from rkpk.plans.models import Message, ReminderLog, ReturnReason, Submission, UnitPlan
from rkpk.procedure.lateness import MONITORING_STEP, Submissions  # noqa: F401  (the board serves it)
from rkpk.procedure.models import Cycle, CycleStep

NO_PLAN = "none"
DONE_STATUSES = (UnitPlan.Status.SUBMITTED, UnitPlan.Status.RESUBMITTED, UnitPlan.Status.ACCEPTED)
CALL_STEP = 2  # the step that dispatches the call for submissions

# Workflow order, used to sort by status and to draw the chart.
STATUS_ORDER = [
    NO_PLAN,
    UnitPlan.Status.DRAFT,
    UnitPlan.Status.RETURNED,
    UnitPlan.Status.CLARIFICATION,
    UnitPlan.Status.AWAITING_HEAD,
    UnitPlan.Status.SUBMITTED,
    UnitPlan.Status.RESUBMITTED,
    UnitPlan.Status.ACCEPTED,
]
STATUS_COLOURS = {
    NO_PLAN: "#adb5bd",
    UnitPlan.Status.DRAFT: "#6c757d",
    UnitPlan.Status.RETURNED: "#b02a37",
    UnitPlan.Status.CLARIFICATION: "#fd7e14",
    UnitPlan.Status.AWAITING_HEAD: "#212529",
    UnitPlan.Status.SUBMITTED: "#0d6efd",
    UnitPlan.Status.RESUBMITTED: "#6610f2",
    UnitPlan.Status.ACCEPTED: "#198754",
}
STATUS_BADGES = {
    NO_PLAN: "text-bg-light border",
    UnitPlan.Status.DRAFT: "text-bg-secondary",
    UnitPlan.Status.RETURNED: "text-bg-danger",
    UnitPlan.Status.CLARIFICATION: "text-bg-warning",
    UnitPlan.Status.AWAITING_HEAD: "text-bg-dark",
    UnitPlan.Status.SUBMITTED: "text-bg-primary",
    UnitPlan.Status.RESUBMITTED: "text-bg-info",
    UnitPlan.Status.ACCEPTED: "text-bg-success",
}
# Filter values that group several statuses.
AWAITING = "awaiting"
MISSING = "missing"
SORT_KEYS = ("unit", "eselon1", "status", "version", "activity", "failed", "days")


def status_label(status: str) -> str:
    if status == NO_PLAN:
        return _("No plan yet")
    return str(UnitPlan.Status(status).label)


def status_filter_choices() -> list[tuple[str, str]]:
    return [
        ("", _("All")),
        (MISSING, _("Not yet submitted (any)")),
        (AWAITING, _("Awaiting the bureau (any)")),
        *[(s, status_label(s)) for s in STATUS_ORDER],
    ]


# --- Who must submit, and by when -------------------------------------------------------


def units_expected(year: int) -> QuerySet[Unit]:
    """The units that must submit an RK-PK for `year`: every active Eselon I and II unit.

    The one place this rule lives; the board, the reminders and the forecast all use it.
    """
    return Unit.objects.filter(
        is_active=True, level__in=(Unit.Level.ESELON_I, Unit.Level.ESELON_II)
    )


class UnitName(NamedTuple):
    code: str
    name: str
    short_name: str


def eselon1_units(year: int) -> list[UnitName]:
    """The expected Eselon I units, in the ministry's order (the board's filter; kept
    between requests like the board)."""
    return cached(
        ("monitoring-eselon1", year),
        lambda: [
            UnitName(*values)
            for values in units_expected(year)
            .filter(level=Unit.Level.ESELON_I)
            .order_by("sort_order", "code")
            .values_list("code", "name", "short_name")
        ],
    )


def eselon1_of(unit: Unit) -> Unit | None:
    """The Eselon I unit a unit belongs to (itself when it is one)."""
    node = unit
    while node is not None and node.level > Unit.Level.ESELON_I:
        node = node.parent
    return node if node is not None and node.level == Unit.Level.ESELON_I else None


def cycle_for_year(year: int) -> Cycle | None:
    return Cycle.objects.filter(year=year).first()


def _call_step(cycle: Cycle) -> CycleStep | None:
    return cycle.steps.filter(number=CALL_STEP).first()


def submission_deadline(
    cycle: Cycle, cal: WorkingCalendar | None = None, call_step: CycleStep | None = None
) -> date | None:
    """The day by which units must submit: the call for submissions (the actual end of step 2
    or, before it happened, its planned end) plus `cycle.submission_days` working days.
    `call_step`: step 2 when the caller has already read it (no query then)."""
    step = call_step if call_step is not None else _call_step(cycle)
    if step is None:
        return None
    cal = cal or WorkingCalendar()
    return cal.add_working_days(step.actual_end or step.planned_end, cycle.submission_days)


@dataclass
class DeadlineState:
    """Where `today` stands against a cycle's submission deadline."""

    today: date
    deadline: date | None = None
    # The call for submissions has gone out (step 2 done): only then can a unit be late.
    firm: bool = False
    days_left: int | None = None  # working days from today to the deadline, when not past
    days_late: int = 0  # working days since the deadline, when the call has gone out

    @property
    def is_past(self) -> bool:
        return self.days_late > 0


def deadline_state(
    cycle: Cycle | None, today: date, cal: WorkingCalendar | None = None
) -> DeadlineState:
    state = DeadlineState(today=today)
    if cycle is None:
        return state
    step = _call_step(cycle)
    if step is None:
        return state
    cal = cal or WorkingCalendar()
    state.firm = step.actual_end is not None
    state.deadline = cal.add_working_days(
        step.actual_end or step.planned_end, cycle.submission_days
    )
    if today <= state.deadline:
        state.days_left = cal.count_working_days(today, state.deadline)
    elif state.firm:
        state.days_late = cal.count_working_days(state.deadline, today)
        if state.days_late == 0:  # past the deadline, but no working day has begun since
            state.days_left = 0
    return state


# --- The board --------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One unit's line on the board: plain values only (no model instance), so that the
    rows of 200 units are built, cached and read back cheaply. `unit` and `eselon1` build
    unsaved Unit objects from these values when a caller wants one (no query)."""

    unit_id: int
    code: str
    name: str
    short_name: str
    level: int
    sort_order: int
    # The Eselon I unit the unit belongs to (itself for an Eselon I unit):
    # (id, code, name, short_name, sort_order), or None.
    top: tuple | None = None
    plan_id: int | None = None
    status: str = NO_PLAN
    version: int | None = None
    last_activity: datetime | None = None
    failed_checks: int | None = None  # None: nothing submitted yet
    first_submitted_at: datetime | None = None
    days_left: int | None = None
    days_late: int = 0
    submitted_late_days: int | None = (
        None  # for a done plan: working days its first version came late
    )
    order: int = 0
    # The casefolded names the search looks in, joined by NUL (no query holds one).
    haystack: str = ""

    @cached_property
    def unit(self) -> Unit:
        return Unit(
            id=self.unit_id,
            code=self.code,
            name=self.name,
            short_name=self.short_name,
            level=self.level,
            sort_order=self.sort_order,
        )

    @cached_property
    def eselon1(self) -> Unit | None:
        if self.top is None:
            return None
        if self.top[0] == self.unit_id:
            return self.unit
        pk, code, name, short_name, sort_order = self.top
        return Unit(
            id=pk,
            code=code,
            name=name,
            short_name=short_name,
            level=Unit.Level.ESELON_I,
            sort_order=sort_order,
        )

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-light")

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def is_accepted(self) -> bool:
        return self.status == UnitPlan.Status.ACCEPTED

    @property
    def is_awaiting(self) -> bool:
        return self.status in UnitPlan.AWAITING_BUREAU

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def has_parent(self) -> bool:
        return self.top is not None and self.top[0] != self.unit_id

    @property
    def eselon1_code(self) -> str | None:
        return self.top[1] if self.top is not None else None

    @property
    def parent_code(self) -> str | None:
        """The code of the Eselon I unit above this one (None for an Eselon I unit)."""
        return self.top[1] if self.has_parent else None

    @property
    def parent_label(self) -> str:
        """The short name (or the name) of the Eselon I unit above this one, or ""."""
        return (self.top[3] or self.top[2]) if self.has_parent else ""

    @property
    def eselon1_parent(self) -> Unit | None:
        """The Eselon I unit above this one (None for an Eselon I unit itself)."""
        return self.eselon1 if self.has_parent else None

    @property
    def days_sort_value(self) -> int | None:
        if self.is_done:
            return None
        return -self.days_late if self.is_late else self.days_left


def failed_check_count(checks) -> int:
    """Entries of a Submission.checks list that did not pass."""
    return sum(1 for c in checks or [] if isinstance(c, dict) and c.get("passed") is False)


class FailedChecks(Expression):
    """`failed_check_count` of a `checks` column, counted by the database: the board then
    reads one number per plan instead of decoding every submission's checks (kilobytes each).
    PostgreSQL and SQLite, the two databases the project runs on."""

    output_field = IntegerField()
    POSTGRESQL = (
        "(SELECT count(*) FROM jsonb_array_elements(CASE WHEN jsonb_typeof({0}) = 'array' "
        "THEN {0} ELSE '[]'::jsonb END) AS c(v) WHERE c.v -> 'passed' = 'false'::jsonb)"
    )
    SQLITE = (
        "(SELECT count(*) FROM json_each(CASE WHEN json_type({0}) = 'array' THEN {0} "
        "ELSE '[]' END) AS c WHERE c.type = 'object' AND json_type(c.value, '$.passed') = 'false')"
    )

    def __init__(self, column: str):
        super().__init__()
        self.source = F(column)

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def _sql(self, compiler, connection, template):
        sql, params = compiler.compile(self.source)
        return template.format(sql), [*params, *params]

    def as_postgresql(self, compiler, connection):
        return self._sql(compiler, connection, self.POSTGRESQL)

    def as_sqlite(self, compiler, connection):
        return self._sql(compiler, connection, self.SQLITE)

    def as_sql(self, compiler, connection):
        raise NotSupportedError("FailedChecks: PostgreSQL or SQLite only")


def _plan_rows(year: int, unit_ids: list[int], scope) -> dict[int, dict]:
    """One query: the plans of the units (within `scope`, see `plan_scope`) with their
    latest submission, its failed checks, the first submission and the last message."""
    plans = UnitPlan.objects.filter(year=year, unit_id__in=unit_ids)
    if isinstance(scope, frozenset):
        plans = plans.filter(unit_id__in=scope)
    latest = Submission.objects.filter(plan=OuterRef("pk")).order_by("-number")
    first_submitted = (
        Submission.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(first=Min("submitted_at"))
        .values("first")
    )
    last_message = (
        Message.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    values = (
        plans.order_by()
        .annotate(
            sub_number=Subquery(latest.values("number")[:1]),
            sub_submitted_at=Subquery(latest.values("submitted_at")[:1]),
            sub_decided_at=Subquery(latest.values("decided_at")[:1]),
            sub_failed=Subquery(
                latest.annotate(failed=FailedChecks("checks")).values("failed")[:1]
            ),
            first_submitted_at=Subquery(first_submitted),
            last_message_at=Subquery(last_message),
        )
        .values(
            "id",
            "unit_id",
            "status",
            "updated_at",
            "sub_number",
            "sub_submitted_at",
            "sub_decided_at",
            "sub_failed",
            "first_submitted_at",
            "last_message_at",
        )
    )
    return {v["unit_id"]: v for v in values}


MINISTRY = "ministry"  # the scope of who sees every unit's plan


def plan_scope(user):
    """Whose plans `user` may see on the board, as a cache key: MINISTRY for every plan
    (the ministry's roles, or no user: the system), otherwise the frozenset of the units
    whose plans they may see, the same rule as `plans.selectors.plans_for`."""
    if user is None or roles.sees_whole_ministry(user):
        return MINISTRY
    from rkpk.plans.head_approval import headed_unit_ids

    return frozenset(roles.unit_ids(user) | headed_unit_ids(user))


# Up to the great-great-grandparent: the Eselon I unit above any Eselon II unit.
_ANCESTORS = ("parent", "parent__parent", "parent__parent__parent")
_UNIT_FIELDS = ("id", "code", "name", "short_name", "level", "sort_order")
_TOP_FIELDS = ("id", "code", "name", "short_name", "sort_order")


def _top_of(values: dict) -> tuple | None:
    """The Eselon I unit a unit belongs to (itself when it is one), as BoardRow.top."""
    for prefix in ("", *(f"{a}__" for a in _ANCESTORS)):
        level = values[f"{prefix}level"]
        if level is None:
            return None
        if level == Unit.Level.ESELON_I:
            return tuple(values[f"{prefix}{f}"] for f in _TOP_FIELDS)
    return None


def board_rows(
    year: int,
    *,
    today: date | None = None,
    units: QuerySet[Unit] | None = None,
    user=None,
    scope=None,
    cycle: Cycle | None = None,
    cal: WorkingCalendar | None = None,
    state: DeadlineState | None = None,
) -> list[BoardRow]:
    """One row per expected unit (or per unit of `units`), in the order of the unit tree.
    Two queries: the units with their Eselon I unit, the plans."""
    cal = cal or WorkingCalendar()
    if state is None:
        state = deadline_state(cycle or cycle_for_year(year), today or calendar_today(), cal)
    if scope is None:
        scope = plan_scope(user)
    queryset = units if units is not None else units_expected(year)
    fields = [
        *_UNIT_FIELDS,
        *(f"{a}__{f}" for a in _ANCESTORS for f in _UNIT_FIELDS),
    ]
    unit_values = list(queryset.order_by().values(*fields))
    plans = _plan_rows(year, [u["id"] for u in unit_values], scope)
    rows = []
    for u in unit_values:
        top = _top_of(u)
        names = [u["code"], u["name"], u["short_name"]]
        if top is not None:
            names += [top[1], top[2], top[3]]
        row = BoardRow(
            unit_id=u["id"],
            code=u["code"],
            name=u["name"],
            short_name=u["short_name"],
            level=u["level"],
            sort_order=u["sort_order"],
            top=top,
            haystack="\0".join(n or "" for n in names).casefold(),
        )
        plan = plans.get(u["id"])
        if plan is not None:
            row.plan_id = plan["id"]
            row.status = plan["status"]
            row.version = plan["sub_number"]
            moments = [
                plan["updated_at"],
                plan["sub_submitted_at"],
                plan["sub_decided_at"],
                plan["last_message_at"],
            ]
            row.last_activity = max((m for m in moments if m is not None), default=None)
            if plan["sub_number"] is not None:
                row.failed_checks = plan["sub_failed"] or 0
            row.first_submitted_at = plan["first_submitted_at"]
        if row.is_done:
            if state.deadline is not None and row.first_submitted_at is not None:
                submitted_on = timezone.localdate(row.first_submitted_at)
                row.submitted_late_days = max(
                    cal.count_working_days(state.deadline, submitted_on), 0
                )
        else:
            row.days_left = state.days_left
            row.days_late = state.days_late
        rows.append(row)
    rows.sort(key=_tree_key)
    for index, row in enumerate(rows):
        row.order = index
    return rows


def _tree_key(row: BoardRow):
    top_order, top_code = (row.top[4], row.top[1]) if row.top else (row.sort_order, row.code)
    return (top_order, top_code, row.level, row.sort_order, row.code)


def filter_rows(
    rows: list[BoardRow],
    *,
    status: str = "",
    eselon1: str = "",
    late_only: bool = False,
    q: str = "",
) -> list[BoardRow]:
    """The rows that match every given filter. `eselon1` is a unit code."""
    selected = rows
    if status == MISSING:
        selected = [r for r in selected if not r.is_done]
    elif status == AWAITING:
        selected = [r for r in selected if r.is_awaiting]
    elif status:
        selected = [r for r in selected if r.status == status]
    if eselon1:
        selected = [r for r in selected if r.eselon1_code == eselon1]
    if late_only:
        selected = [r for r in selected if r.is_late]
    text = (q or "").strip().casefold().replace("\0", "")
    if text:
        selected = [r for r in selected if text in r.haystack]
    return selected


def _sort_value(row: BoardRow, key: str):
    if key == "unit":
        return row.order
    if key == "eselon1":
        return (row.top[2].casefold(), row.order) if row.top else None
    if key == "status":
        return STATUS_ORDER.index(row.status) if row.status in STATUS_ORDER else len(STATUS_ORDER)
    if key == "version":
        return row.version
    if key == "activity":
        return row.last_activity
    if key == "failed":
        return row.failed_checks
    if key == "days":
        return row.days_sort_value
    raise ValueError(key)


def parse_sort(sort: str) -> tuple[str, bool]:
    """ "-days" -> ("days", True). Unknown keys fall back to the unit order."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        return "unit", False
    return key, descending


def sort_rows(rows: list[BoardRow], sort: str = "") -> list[BoardRow]:
    """Sorted by a key of SORT_KEYS ("-" first for descending); rows without a value last,
    ties in the unit order."""
    key, descending = parse_sort(sort)
    pairs = [(_sort_value(r, key), r) for r in rows]
    valued = sorted((p for p in pairs if p[0] is not None), key=lambda p: p[1].order)
    valued.sort(key=lambda p: p[0], reverse=descending)
    empty = sorted((r for value, r in pairs if value is None), key=lambda r: r.order)
    return [r for _value, r in valued] + empty


@dataclass
class ChartBar:
    status: str
    label: str
    count: int
    y: int
    width: float
    colour: str

    @property
    def count_x(self) -> float:
        return CHART_LABEL_WIDTH + self.width + 6


CHART_LABEL_WIDTH = 190
CHART_BAR_WIDTH = 260
CHART_ROW = 22


@dataclass
class Chart:
    bars: list[ChartBar]
    height: int
    width: int = CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 50
    label_width: int = CHART_LABEL_WIDTH


def status_chart(rows: list[BoardRow]) -> Chart:
    """A horizontal bar per status (the SVG geometry; the template draws it)."""
    counts = {s: 0 for s in STATUS_ORDER}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    top = max(counts.values(), default=0) or 1
    bars = []
    for index, status in enumerate(STATUS_ORDER):
        count = counts[status]
        bars.append(
            ChartBar(
                status=status,
                label=status_label(status),
                count=count,
                y=index * CHART_ROW,
                width=round(count / top * CHART_BAR_WIDTH, 1) if count else 0,
                colour=STATUS_COLOURS[status],
            )
        )
    return Chart(bars=bars, height=len(bars) * CHART_ROW)


@dataclass
class Board:
    year: int
    cycle: Cycle | None
    deadline: DeadlineState
    all_rows: list[BoardRow]
    rows: list[BoardRow]  # filtered and sorted
    sort: str = ""
    counts: dict = field(default_factory=dict)
    chart: Chart | None = None

    @property
    def eselon1_units(self) -> list[Unit]:
        found = {r.top[0]: r for r in self.all_rows if r.top is not None}
        return [r.eselon1 for r in sorted(found.values(), key=lambda r: (r.top[4], r.top[1]))]


def summary_counts(rows: list[BoardRow]) -> dict:
    return {
        "total": len(rows),
        "accepted": sum(r.is_accepted for r in rows),
        "awaiting": sum(r.is_awaiting for r in rows),
        # Not yet with the bureau: counted among the missing too.
        "awaiting_head": sum(r.status == UnitPlan.Status.AWAITING_HEAD for r in rows),
        "missing": sum(not r.is_done for r in rows),
        "late": sum(r.is_late for r in rows),
    }


@dataclass
class BoardData:
    """What the board computes from the database: the same for every user of a scope on a
    day, kept by rkpk.core.cache between requests (no translated text in it)."""

    cycle: Cycle | None
    deadline: DeadlineState
    rows: list[BoardRow]
    counts: dict


def board_data(year: int, *, user=None, today: date | None = None) -> BoardData:
    """The board's rows and counts over every expected unit, for `user`'s scope: computed
    once per data version, day and scope (see rkpk.core.cache)."""
    day = today or calendar_today()
    scope = plan_scope(user)

    def compute() -> BoardData:
        cal = WorkingCalendar()
        cycle = cycle_for_year(year)
        state = deadline_state(cycle, day, cal)
        rows = board_rows(year, scope=scope, cycle=cycle, cal=cal, state=state)
        return BoardData(cycle=cycle, deadline=state, rows=rows, counts=summary_counts(rows))

    parts = ("monitoring-board", year, day, scope if scope == MINISTRY else sorted(scope))
    # Reading 200 rows back from the shared cache is most of the board's cost; the rows are
    # never changed once built, so each process keeps them too.
    return cached(parts, compute, in_process=True)


def board(
    year: int,
    *,
    user=None,
    status: str = "",
    eselon1: str = "",
    late_only: bool = False,
    q: str = "",
    sort: str = "",
    today: date | None = None,
) -> Board:
    """The monitoring board of a plan year: counts over every expected unit, rows filtered."""
    data = board_data(year, user=user, today=today)
    shown = sort_rows(
        filter_rows(data.rows, status=status, eselon1=eselon1, late_only=late_only, q=q), sort
    )
    return Board(
        year=year,
        cycle=data.cycle,
        deadline=data.deadline,
        all_rows=data.rows,
        rows=shown,
        sort=sort,
        counts=data.counts,
        chart=status_chart(data.rows),
    )


# --- Export -----------------------------------------------------------------------------


def _naive_local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def board_workbook(result: Board) -> bytes:
    """The board's rows, exactly as filtered and sorted, as an XLSX file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Monitoring %(year)s") % {"year": result.year}
    headers = [
        _("Unit code"),
        _("Unit"),
        _("Eselon I"),
        _("Status"),
        _("Version"),
        _("Last activity"),
        _("Failed checks"),
        _("Working days left"),
        _("Working days late"),
        _("Deadline"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    deadline = result.deadline.deadline
    for row in result.rows:
        values = [
            row.code,
            row.name,
            row.top[2] if row.has_parent else "",
            row.status_label,
            row.version,
            _naive_local(row.last_activity),
            row.failed_checks,
            None if row.is_done else row.days_left,
            row.days_late if row.is_late else None,
            deadline,
        ]
        sheet.append([safe_cell(v) for v in values])
        sheet.cell(row=sheet.max_row, column=6).number_format = "yyyy-mm-dd hh:mm"
        sheet.cell(row=sheet.max_row, column=10).number_format = "yyyy-mm-dd"
    widths = [14, 44, 36, 22, 9, 18, 13, 13, 13, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    return workbook_bytes(workbook)


# --- One unit's history -----------------------------------------------------------------


@dataclass
class SubmissionLine:
    submission: Submission
    failed_checks: int
    reasons: list[str]


@dataclass
class UnitHistory:
    unit: Unit
    year: int
    row: BoardRow
    expected: bool
    deadline: DeadlineState
    plan: UnitPlan | None
    submissions: list[SubmissionLine]
    message_count: int
    reminders: list[ReminderLog]
    events: list[AuditEvent]


def _reason_text(reason: ReturnReason) -> str:
    return reason.text_en if (get_language() or "id").startswith("en") else reason.text_id


def unit_history(unit: Unit, year: int, *, user=None, today: date | None = None) -> UnitHistory:
    """Everything the bureau needs on one unit's plan of a year, in time order."""
    cal = WorkingCalendar()
    cycle = cycle_for_year(year)
    state = deadline_state(cycle, today or calendar_today(), cal)
    units = Unit.objects.filter(pk=unit.pk)
    row = board_rows(year, units=units, user=user, cycle=cycle, cal=cal, state=state)[0]
    expected = units_expected(year).filter(pk=unit.pk).exists()
    plan = (
        UnitPlan.objects.select_related("unit", "first_party", "second_party", "updated_by")
        .filter(pk=row.plan_id)
        .first()
        if row.plan_id
        else None
    )
    submissions, messages, reminders, events = [], 0, [], []
    if plan is not None:
        subs = list(
            plan.submissions.select_related("submitted_by", "decided_by").order_by("number")
        )
        codes = {code for s in subs for code in (s.reasons or []) if isinstance(code, str)}
        reasons = {r.code: _reason_text(r) for r in ReturnReason.objects.filter(code__in=codes)}
        submissions = [
            SubmissionLine(
                submission=s,
                failed_checks=failed_check_count(s.checks),
                reasons=[reasons.get(code, str(code)) for code in (s.reasons or [])],
            )
            for s in subs
        ]
        messages = plan.messages.count()
        events = list(
            AuditEvent.objects.filter(
                Q(object_type="plans.unitplan", object_id=str(plan.pk))
                | Q(object_type="plans.submission", object_id__in=[str(s.pk) for s in subs])
            ).order_by("seq")
        )
    reminders = list(ReminderLog.objects.filter(unit=unit, year=year).order_by("on_date", "kind"))
    return UnitHistory(
        unit=unit,
        year=year,
        row=row,
        expected=expected,
        deadline=state,
        plan=plan,
        submissions=submissions,
        message_count=messages,
        reminders=reminders,
        events=events,
    )


# --- The warning: what the lateness does to the later steps ------------------------------


def pending_units(year: int) -> QuerySet[Unit]:
    """Expected units whose plan is neither accepted nor awaiting the bureau."""
    done = UnitPlan.objects.filter(year=year, status__in=DONE_STATUSES).values("unit_id")
    return units_expected(year).exclude(pk__in=done)


def submissions(cycle: Cycle, today: date, cal: WorkingCalendar) -> Submissions:
    """The cycle's submission deadline and the units not submitted, for the procedure's
    lateness forecast (rkpk.procedure.lateness; registered in rkpk.plans.apps)."""
    state = deadline_state(cycle, today, cal)
    return Submissions(
        deadline=state.deadline,
        firm=state.firm,
        days_late=state.days_late,
        pending=list(pending_units(cycle.year).order_by("sort_order", "code")),
    )
