"""URLs of the analysis app; each area keeps its views and patterns in its own module."""

from rkpk.analysis import views_compilation, views_drafts, views_goals, views_mapping

app_name = "analysis"
urlpatterns = [
    *views_goals.urlpatterns,
    *views_drafts.urlpatterns,
    *views_mapping.urlpatterns,
    *views_compilation.urlpatterns,
]
