"""URLs of the meetings app."""

from django.urls import path

from rkpk.meetings.views import agenda, decisions, invitees, meetings, report

app_name = "meetings"
urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_create, name="create"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", meetings.meeting_cancel, name="cancel"),
    path("<int:pk>/invitees/", invitees.invitee_add, name="invitee_add"),
    path(
        "<int:pk>/invitees/<int:invitee_id>/delete/",
        invitees.invitee_delete,
        name="invitee_delete",
    ),
    path("<int:pk>/attendance/", invitees.attendance_save, name="attendance"),
    path("<int:pk>/agenda/", agenda.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_id>/", agenda.agenda_save, name="agenda_save"),
    path("<int:pk>/agenda/<int:item_id>/move/", agenda.agenda_move, name="agenda_move"),
    path("<int:pk>/agenda/<int:item_id>/delete/", agenda.agenda_delete, name="agenda_delete"),
    path("<int:pk>/decisions/", decisions.decision_add, name="decision_add"),
    path("<int:pk>/decisions/<int:decision_id>/", decisions.decision_edit, name="decision_edit"),
    path(
        "<int:pk>/decisions/<int:decision_id>/delete/",
        decisions.decision_delete,
        name="decision_delete",
    ),
    path("<int:pk>/invitation/", report.invitation_create, name="invitation"),
    path("<int:pk>/report/", report.report_preview, name="report"),
    path("<int:pk>/report.<str:fmt>", report.report_download, name="report_download"),
    path("<int:pk>/file/", report.report_file, name="file"),
]
