from django.urls import path

from rkpk.core import views

app_name = "core"
urlpatterns = [
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/overrides/", views.calendar_override_create, name="calendar_override_create"),
    path(
        "calendar/overrides/<int:pk>/delete/",
        views.calendar_override_delete,
        name="calendar_override_delete",
    ),
    path("audit/", views.audit_list, name="audit"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_detail"),
]
