"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "meeting.scheduled": _("Meeting scheduled"),
    "meeting.updated": _("Meeting changed"),
    "meeting.cancelled": _("Meeting cancelled"),
    "meeting.invited": _("Participant invited"),
    "meeting.uninvited": _("Invitation withdrawn"),
    "meeting.invitation_created": _("Invitation letter drafted"),
    "meeting.agenda_added": _("Agenda item added"),
    "meeting.agenda_updated": _("Agenda item changed"),
    "meeting.agenda_deleted": _("Agenda item deleted"),
    "meeting.agenda_reordered": _("Agenda reordered"),
    "meeting.attendance_recorded": _("Attendance recorded"),
    "meeting.decision_added": _("Meeting decision added"),
    "meeting.decision_updated": _("Meeting decision changed"),
    "meeting.decision_deleted": _("Meeting decision deleted"),
    "meeting.report_filed": _("Meeting report filed"),
}
