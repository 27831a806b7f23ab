"""URLs of the plans app. Each area keeps its views and URL patterns in its own module."""

from rkpk.plans import (
    views_approval,
    views_documents,
    views_editor,
    views_excel,
    views_lists,
    views_monitoring,
    views_review,
)

app_name = "plans"
urlpatterns = [
    *views_lists.urlpatterns,
    *views_monitoring.urlpatterns,
    *views_excel.urlpatterns,
    *views_documents.urlpatterns,
    *views_review.urlpatterns,
    *views_approval.urlpatterns,
    *views_editor.urlpatterns,
]
