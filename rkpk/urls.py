from django.contrib.auth import views as auth_views
from django.urls import include, path

from rkpk.api.urls import api
from rkpk.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("rkpk.core.urls")),
    path("", include("rkpk.site.urls")),
    path("organisation/", include("rkpk.organisation.urls")),
    path("procedure/", include("rkpk.procedure.urls")),
    path("analysis/", include("rkpk.analysis.urls")),
    path("plans/", include("rkpk.plans.urls")),
    path("meetings/", include("rkpk.meetings.urls")),
    path("ministry/", include("rkpk.ministry.urls")),
    path("dashboard/", include("rkpk.dashboard.urls")),
    path("complaints/", include("rkpk.complaints.urls")),
    path("survey/", include("rkpk.survey.urls")),
    path("notifications/", include("rkpk.notifications.urls")),
    path("correspondence/", include("rkpk.correspondence.urls")),
    path("verify/", include("rkpk.correspondence.verify_urls")),
    path("api/v1/", api.urls),
]

# Rendered with the request, so the pages carry the layout and the user's language
# (Django's defaults for 400 and 500 render without it). 403 and 404 use Django's views,
# which already do, with rkpk/templates/403.html and 404.html.
handler400 = "rkpk.core.errors.bad_request"
handler500 = "rkpk.core.errors.server_error"
