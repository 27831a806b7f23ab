"""URLs of the dashboard app."""

from django.urls import path

from rkpk.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.cycle_detail, name="cycle"),
    path("<int:year>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
]
