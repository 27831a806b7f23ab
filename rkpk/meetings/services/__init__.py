"""Writes of the discussion meeting (step 6). Every function takes keyword arguments, runs
in one transaction, checks who may act and audits what it changed.

Rules kept here, whatever the caller (web page or API):
- the bureau (staff, head of section, head of bureau) prepares and edits a meeting; the
  head of bureau or the staff file its report;
- a filed or cancelled meeting never changes;
- attendance is recorded from the meeting's start;
- a decision names at most one owner (a unit, an official or someone else), and its due
  date is not before the meeting;
- filing needs the meeting time reached, someone present, an agenda item with notes and
  every decision with an owner and a due date; it freezes the report (JSON and its
  SHA-256) and completes step 6 of the cycle through rkpk.procedure.services.complete_step
  — when the cycle cannot move, nothing is filed.
"""

from rkpk.meetings.services.agenda import (
    add_agenda_item,
    add_decision,
    delete_agenda_item,
    delete_decision,
    move_agenda_item,
    reorder_agenda,
    update_agenda_item,
    update_decision,
)
from rkpk.meetings.services.base import (
    DECISION_FIELDS,
    EDIT,
    FILE,
    INVITATION_TEMPLATE,
    MAX_GUESTS,
    MAX_NOTES,
    MEETING_FIELDS,
    MEETING_STEP,
    Attendance,
    ConflictError,
    Status,
    default_chair,
    meeting_day,
)
from rkpk.meetings.services.filing import (
    create_invitation,
    file_report,
    filing_problems,
    invitation_values,
    report_sha256,
)
from rkpk.meetings.services.meeting import (
    cancel,
    invite,
    record_attendance,
    schedule,
    uninvite,
    update,
)

__all__ = [
    "Status",
    "Attendance",
    "MEETING_STEP",
    "INVITATION_TEMPLATE",
    "EDIT",
    "FILE",
    "MAX_NOTES",
    "MAX_GUESTS",
    "MEETING_FIELDS",
    "DECISION_FIELDS",
    "ConflictError",
    "meeting_day",
    "default_chair",
    "schedule",
    "update",
    "cancel",
    "invite",
    "uninvite",
    "record_attendance",
    "add_agenda_item",
    "update_agenda_item",
    "reorder_agenda",
    "move_agenda_item",
    "delete_agenda_item",
    "add_decision",
    "update_decision",
    "delete_decision",
    "invitation_values",
    "create_invitation",
    "filing_problems",
    "report_sha256",
    "file_report",
]
