"""URLs of the ministry RK-PK, mounted at /ministry/."""

from django.urls import path, re_path

from rkpk.ministry.views import plans as views

app_name = "ministry"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.plan_detail, name="plan"),
    path("<int:year>/start/", views.start, name="start"),
    path("<int:year>/refresh/", views.refresh, name="refresh"),
    path("<int:year>/sections/<slug:key>/", views.section_save, name="section_save"),
    path("<int:year>/submit/", views.submit, name="submit"),
    path("<int:year>/comment/", views.comment, name="comment"),
    path("<int:year>/approve/", views.approve, name="approve"),
    path("<int:year>/return/", views.return_for_revision, name="return"),
    path("<int:year>/sign/", views.sign, name="sign"),
    path("<int:year>/versions/<int:number>/", views.version_detail, name="version"),
    re_path(
        r"^(?P<year>[0-9]+)/versions/(?P<number>[0-9]+)\.(?P<fmt>docx|pdf)$",
        views.version_file,
        name="version_file",
    ),
    path("<int:year>/compare/", views.compare, name="compare"),
    re_path(r"^(?P<year>[0-9]+)/final/(?P<kind>rk|pk)\.pdf$", views.final_file, name="final"),
]
