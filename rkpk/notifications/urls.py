from django.urls import path

from rkpk.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/toggle-read/", views.toggle_read, name="toggle_read"),
    path("mark-all-read/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.notification_settings, name="settings"),
]
