"""URLs of the correspondence app, mounted at /correspondence/.

The apps above add pages of their own documents in this namespace (their URL names are
`correspondence:...`): each lists a URLconf module in `CorrespondenceConfig.more_urls`
from its `apps.py` `ready()` (the ministry RK-PK: the procedure documents of a cycle).
"""

from django.apps import apps
from django.urls import include, path

from rkpk.correspondence.views import dispatch, documents, registers

DOC = "documents/<int:pk>/"

app_name = "correspondence"
urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("new/", documents.document_create, name="document_create"),
    path("inbox/", documents.inbox, name="inbox"),
    path("<int:pk>/", documents.document_detail, name="document_detail"),
    path("<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path(
        "<int:pk>/send-for-review/",
        documents.document_send_for_review,
        name="document_send_for_review",
    ),
    path("<int:pk>/review/", documents.document_review, name="document_review"),
    path("<int:pk>/sign/", documents.document_sign, name="document_sign"),
    path("<int:pk>/register/", documents.document_register, name="document_register"),
    path("<int:pk>/correct/", documents.document_correct, name="document_correct"),
    path("<int:pk>/file/<str:fmt>/", documents.document_file, name="document_file"),
    path("registers/", registers.register_list, name="register_list"),
    path("registers/new/", registers.register_edit, name="register_create"),
    path("registers/<slug:code>/edit/", registers.register_edit, name="register_edit"),
    path("registers/<slug:code>/<int:year>/", registers.register_book, name="register_book"),
    path(
        "registers/<slug:code>/<int:year>/xlsx/",
        registers.register_book_xlsx,
        name="register_book_xlsx",
    ),
    path(
        "registers/<slug:code>/<int:year>/<int:seq>/cancel/",
        registers.number_cancel,
        name="number_cancel",
    ),
    path("templates/", registers.template_list, name="template_list"),
    path("templates/new/", registers.template_edit, name="template_create"),
    path("templates/<int:pk>/", registers.template_edit, name="template_edit"),
    path(f"{DOC}dispatch/", dispatch.dispatch_form, name="dispatch_form"),
    path(f"{DOC}recipients/<int:rid>/courier/", dispatch.dispatch_courier, name="dispatch_courier"),
    path(
        f"{DOC}recipients/<int:rid>/acknowledge/",
        dispatch.dispatch_acknowledge,
        name="dispatch_acknowledge",
    ),
    path(
        f"{DOC}expedition.xlsx",
        dispatch.dispatch_expedition_xlsx,
        name="dispatch_expedition_xlsx",
    ),
    *(path("", include(module)) for module in apps.get_app_config("correspondence").more_urls),
]
