"""URLs of the meetings app."""

from django.urls import path

from rkpk.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/invitees/", views.invitee_add, name="invitee_add"),
    path(
        "<int:pk>/invitees/<int:invitee_id>/delete/",
        views.invitee_delete,
        name="invitee_delete",
    ),
    path("<int:pk>/attendance/", views.attendance_save, name="attendance"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_id>/", views.agenda_save, name="agenda_save"),
    path("<int:pk>/agenda/<int:item_id>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/agenda/<int:item_id>/delete/", views.agenda_delete, name="agenda_delete"),
    path("<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("<int:pk>/decisions/<int:decision_id>/", views.decision_edit, name="decision_edit"),
    path(
        "<int:pk>/decisions/<int:decision_id>/delete/",
        views.decision_delete,
        name="decision_delete",
    ),
    path("<int:pk>/invitation/", views.invitation_create, name="invitation"),
    path("<int:pk>/report/", views.report_preview, name="report"),
    path("<int:pk>/report.<str:fmt>", views.report_download, name="report_download"),
    path("<int:pk>/file/", views.report_file, name="file"),
]
