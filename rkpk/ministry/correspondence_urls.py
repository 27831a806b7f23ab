"""The pages of the procedure's documents, mounted in the "correspondence" namespace
under /correspondence/ (their URL names predate the ministry owning them). Listed in
`CorrespondenceConfig.more_urls` by rkpk.ministry.apps."""

from django.urls import path

from rkpk.ministry.views import procedure_documents as views

urlpatterns = [
    path(
        "documents/<int:pk>/confirm-binding/",
        views.dispatch_confirm_binding,
        name="dispatch_confirm_binding",
    ),
    path("cycles/<int:year>/", views.dispatch_cycle, name="dispatch_cycle"),
    path("cycles/<int:year>/drafts/", views.dispatch_cycle_drafts, name="dispatch_cycle_drafts"),
    path("cycles/<int:year>/sync/", views.dispatch_cycle_sync, name="dispatch_cycle_sync"),
]
