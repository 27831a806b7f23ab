"""URLs of the correspondence app, mounted at /correspondence/. Each area keeps its views
and URL patterns in its own module."""

from rkpk.correspondence import views, views_dispatch

app_name = "correspondence"
urlpatterns = [
    *views.urlpatterns,
    *views_dispatch.urlpatterns,
]
