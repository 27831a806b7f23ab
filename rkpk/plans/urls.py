"""URLs of the plans app.

The order matters: the plan pages match `<unit_code>/<year>/`, so the fixed prefixes
(lists/, monitoring/, cycle-documents/) come before them.
"""

from django.urls import path, re_path, register_converter

from rkpk.plans.views import (
    approval,
    documents,
    editor,
    excel,
    lists,
    monitoring,
    parties,
    review,
    rows,
)


class KindConverter:
    """The kinds of rows the editor edits in place."""

    regex = "goal|indicator|activity|output"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "plankind")

PLAN = "<str:unit_code>/<int:year>/"
ROW = f"{PLAN}<plankind:kind>/<int:pk>/"

app_name = "plans"
urlpatterns = [
    # Reference lists
    path("lists/", lists.list_index, name="list_index"),
    path("lists/add-unknown/", lists.add_unknown, name="list_add_unknown"),
    path("lists/<slug:slug>/", lists.list_values, name="list_values"),
    path("lists/<slug:slug>/add/", lists.value_add, name="list_value_add"),
    path("lists/<slug:slug>/export.xlsx", lists.list_export, name="list_export"),
    path("lists/<slug:slug>/import/", lists.list_import, name="list_import"),
    path("lists/<slug:slug>/<int:pk>/rename/", lists.value_rename, name="list_value_rename"),
    path("lists/<slug:slug>/<int:pk>/merge/", lists.value_merge, name="list_value_merge"),
    path("lists/<slug:slug>/<int:pk>/move/", lists.value_move, name="list_value_move"),
    path(
        "lists/<slug:slug>/<int:pk>/<str:action>/",
        lists.value_activation,
        name="list_value_activation",
    ),
    # Monitoring
    path("monitoring/", monitoring.monitoring_index, name="monitoring_index"),
    path("monitoring/<int:year>/", monitoring.monitoring_board, name="monitoring_board"),
    path(
        "monitoring/<int:year>/export.xlsx",
        monitoring.monitoring_export,
        name="monitoring_export",
    ),
    path(
        "monitoring/<int:year>/<str:unit_code>/",
        monitoring.monitoring_unit,
        name="monitoring_unit",
    ),
    # Every unit's PK of a year, in one ZIP
    path("cycle-documents/<int:year>/", documents.cycle_documents, name="cycle_documents"),
    path(
        "cycle-documents/<int:year>/PK.zip",
        documents.cycle_documents_zip,
        name="cycle_documents_zip",
    ),
    # The plan's Excel workbook
    path(f"{PLAN}excel/template.xlsx", excel.template_download, name="excel_template"),
    path(f"{PLAN}excel/upload/", excel.upload, name="excel_upload"),
    path(f"{PLAN}excel/rollups/", excel.rollups_action, name="excel_rollups"),
    path(
        f"{PLAN}excel/annotated/<str:token>.xlsx",
        excel.annotated_download,
        name="excel_annotated",
    ),
    # The RK and PK documents
    re_path(
        r"^(?P<unit_code>[A-Za-z0-9][A-Za-z0-9._-]*)/(?P<year>[0-9]{4})/documents/"
        r"(?P<doc>rkpk|rk|pk)\.(?P<fmt>docx|pdf)$",
        documents.download,
        name="documents_download",
    ),
    # The bureau's review and the clarification thread
    path(f"{PLAN}submissions/", review.submission_list, name="review_submissions"),
    path(f"{PLAN}submissions/compare/", review.submission_compare, name="review_compare"),
    path(f"{PLAN}submissions/<int:number>/", review.submission_detail, name="review_submission"),
    path(f"{PLAN}review/", review.review, name="review_plan"),
    path(
        f"{PLAN}review/clarification/",
        review.decide,
        {"decision": "clarification"},
        name="review_request_clarification",
    ),
    path(f"{PLAN}review/return/", review.decide, {"decision": "return"}, name="review_return"),
    path(f"{PLAN}review/accept/", review.decide, {"decision": "accept"}, name="review_accept"),
    path(f"{PLAN}messages/", review.message_thread, name="review_messages"),
    path(f"{PLAN}attachments/<int:pk>/", review.attachment_download, name="review_attachment"),
    # The unit head's approval
    path(f"{PLAN}approve/", approval.plan_approve, name="plan_approve"),
    path(
        f"{PLAN}return-to-operator/",
        approval.plan_return_to_operator,
        name="plan_return_to_operator",
    ),
    # The plan pages and the editor
    path("", editor.plan_list, name="plan_list"),
    path("start/", editor.plan_start, name="plan_start"),
    path(PLAN, editor.plan_detail, name="plan_detail"),
    path(f"{PLAN}checks/", editor.plan_checks_panel, name="plan_checks"),
    path(f"{PLAN}submit/", editor.plan_submit, name="plan_submit"),
    path(f"{PLAN}copy-previous/", editor.plan_copy, name="plan_copy"),
    path(f"{PLAN}parties/", parties.parties_view, name="editor_parties"),
    path(f"{PLAN}parties/edit/", parties.parties_edit, name="editor_parties_edit"),
    path(f"{PLAN}<plankind:kind>/new/", rows.row_new, name="editor_row_new"),
    path(ROW, rows.row_view, name="editor_row"),
    path(f"{ROW}edit/", rows.row_edit, name="editor_row_edit"),
    path(f"{ROW}delete/", rows.row_delete, name="editor_row_delete"),
    path(f"{ROW}move/", rows.row_move, name="editor_row_move"),
]
