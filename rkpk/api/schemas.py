"""Request and response bodies. Dates are ISO 8601 strings (YYYY-MM-DD), times with offset."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

# --- Errors --------------------------------------------------------------------------------


class FieldError(Schema):
    field: str | None = Field(None, description="The field at fault; null for the whole request.")
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


# --- Tokens --------------------------------------------------------------------------------


class TokenIn(Schema):
    name: str = Field(..., max_length=100, description="What will use the token.")
    days: int | None = Field(
        None, ge=1, le=3650, description="Lifetime in days; no expiry when omitted."
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters of the secret.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The secret. Shown only now; store it safely.")


# --- Organisation --------------------------------------------------------------------------


class UnitRef(Schema):
    code: str
    name: str


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    level: int = Field(..., description="Echelon: 1 to 4.")
    parent_code: str | None
    head_position: str
    is_active: bool

    @staticmethod
    def resolve_parent_code(unit) -> str | None:
        return unit.parent.code if unit.parent_id else None


class UnitDetailOut(UnitOut):
    parent: UnitRef | None
    children: list[UnitRef]

    @staticmethod
    def resolve_children(unit) -> list:
        # Set by the view from the selector, so that the schema runs no query of its own.
        return unit.visible_children


class OfficialOut(Schema):
    id: int
    nip: str | None = Field(..., description="Null for a state official (pejabat negara).")
    is_state_official: bool
    name: str
    position: str
    rank: str
    unit_code: str | None
    unit_name: str | None
    is_active: bool

    @staticmethod
    def resolve_unit_code(official) -> str | None:
        return official.unit.code if official.unit_id else None

    @staticmethod
    def resolve_unit_name(official) -> str | None:
        return official.unit.name if official.unit_id else None


# --- Service standard ------------------------------------------------------------------------


class StandardOut(Schema):
    version: int
    name: str
    notes: str
    created_at: datetime
    step_count: int
    total_days: int = Field(..., description="Sum of the steps' standard working days.")


class StandardStepOut(Schema):
    number: int
    title_id: str
    title_en: str
    standard_days: int | None = Field(..., description="Working days; null: none set.")
    responsible_roles: list[str]
    activities: list[str]
    done_when: str


class StandardDetailOut(StandardOut):
    steps: list[StandardStepOut]


# --- Cycles ---------------------------------------------------------------------------------


class CycleIn(Schema):
    year: int = Field(..., description="The plan year, e.g. 2027.")
    start_date: date
    name: str = Field("", max_length=100, description='Default "RK-PK {year}".')


class CycleOut(Schema):
    year: int
    name: str
    status: Literal["active", "completed"]
    start_date: date
    standard_version: int
    steps_total: int
    steps_done: int


class TransitionOut(Schema):
    action: Literal["start", "complete", "return", "reopen"]
    on_date: date
    at: datetime
    actor: str
    reason: str


Timeliness = Literal["on_time", "at_risk", "late", "not_due", "no_standard"]


class CycleStepOut(Schema):
    number: int
    title_id: str
    title_en: str
    responsible_roles: list[str]
    status: Literal["not_started", "in_progress", "done"]
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    timeliness: Timeliness
    days_used: int | None = Field(
        ..., description="Working days from the planned start to the end (or to today)."
    )
    days_standard: int | None
    days_left: int | None = Field(
        ..., description="Working days to the planned end; negative when late."
    )
    days_late: int
    may_act: bool = Field(..., description="Whether you hold a role responsible for the step.")
    transitions: list[TransitionOut]


class CycleDetailOut(Schema):
    year: int
    name: str
    status: Literal["active", "completed"]
    start_date: date
    standard_version: int
    today: date
    standard_end: date = Field(
        ..., description="The end of the procedure had every step kept to the standard."
    )
    planned_end: date | None
    current_step: int | None
    steps_done: int
    steps_late: int
    steps: list[CycleStepOut]


class StepActionIn(Schema):
    on_date: date | None = Field(
        None, description="The actual date to record; today (Asia/Jakarta) when omitted."
    )
    reason: str = Field("", max_length=2000, description="A note kept with a completion.")


class StepReturnIn(Schema):
    to_number: int = Field(..., description="The earlier step the work goes back to.")
    reason: str = Field(..., max_length=2000)
    on_date: date | None = None


# --- Calendar --------------------------------------------------------------------------------


class CalendarDayOut(Schema):
    date: date
    is_working: bool
    names: list[str] = Field(
        ..., description="Weekend day, holiday names and the override's reason."
    )
    holiday_name: str | None
    overridden: bool
    override_kind: Literal["closed", "open"] | None
    override_reason: str | None


class CalendarYearOut(Schema):
    year: int
    days: list[CalendarDayOut]


class WorkdaysAddOut(Schema):
    date: date
    n: int
    end_date: date
    rule: str


class WorkdaysCountOut(Schema):
    start: date
    end: date
    working_days: int
    rule: str


class OverrideIn(Schema):
    date: date
    kind: Literal["closed", "open"]
    reason: str = Field(..., max_length=200)


class OverrideOut(Schema):
    date: date
    kind: Literal["closed", "open"]
    reason: str
    created_at: datetime
