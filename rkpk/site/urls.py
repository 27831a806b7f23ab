from django.urls import path

from rkpk.site import views

app_name = "site"
urlpatterns = [
    path("setup/", views.setup_checklist, name="setup"),
]
