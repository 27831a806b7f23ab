from django.contrib.auth import views as auth_views
from django.urls import include, path

from rkpk.api.urls import api
from rkpk.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("rkpk.core.urls")),
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
    path("verify/", include("rkpk.correspondence.views_verify")),
    path("api/v1/", api.urls),
]
