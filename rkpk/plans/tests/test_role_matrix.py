"""Every URL of the plans app, for every role: unit A's draft for 2028 (the editor, the
workbook, the documents) and its submitted plan for 2027 (the review and the approval).

The writes are posted empty: who may act gets the form with its errors or is sent back
with the reason, who may not is refused (403), and who may not see the plan is not told it
exists (404). Operator B and the user without a role are the outsiders of unit A's plans.
"""

import pytest

from rkpk.core.tests.role_matrix import row
from rkpk.plans import lists
from rkpk.plans.models import MeasureUnit
from rkpk.plans.tests.test_review_support import make_officials, make_plan, submitted_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

HIDDEN = ("operator_b", "nobody")  # unit A's plans are not revealed to them
READERS = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
           "unit_operator", "unit_head", "general_bureau", "viewer")  # fmt: skip
EDITORS = ("staff", "unit_operator", "unit_head")
SUBMITTERS = ("unit_operator", "unit_head")
REVIEWERS = ("staff", "head_of_section", "head_of_bureau")
MONITORS = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
            "general_bureau", "viewer")  # fmt: skip
LIST_READERS = (*READERS, "operator_b")  # every user with a role
LIST_MANAGERS = ("admin", "staff", "head_of_section", "head_of_bureau")


def test_every_url_for_every_role(role_users, units, role_matrix):
    officials = make_officials(units)
    submitted_plan(units, officials, role_users["unit_operator"])  # 2027
    draft = make_plan(units["a"], officials, year=2028)
    goal = draft.goals.get()
    value = MeasureUnit.objects.get(name="Kali")
    a27, a28 = ("E1.A", 2027), ("E1.A", 2028)
    g = (*a28, "goal", goal.pk)
    m = lists.MEASURES
    post = {"method": "post"}
    plan = {"not_found": HIDDEN}  # and 403 for the readers who may not do it
    everyone = dict.fromkeys(LIST_READERS, 200)
    manage = dict.fromkeys(LIST_MANAGERS, 200)
    managed = dict.fromkeys(LIST_MANAGERS, 302)
    role_matrix(
        [
            row("plans:list_index", exact=everyone),
            row("plans:list_values", m, exact=everyone),
            row("plans:list_export", m, exact=everyone),
            row("plans:list_value_add", m, exact=manage),
            row("plans:list_import", m, exact=manage),
            row("plans:list_value_rename", m, value.pk, exact=manage),
            row("plans:list_value_merge", m, value.pk, exact=manage),
            row("plans:monitoring_index", exact=dict.fromkeys(MONITORS, 302)),  # to the year
            row("plans:monitoring_board", 2027, exact=dict.fromkeys(MONITORS, 200)),
            row("plans:monitoring_export", 2027, exact=dict.fromkeys(MONITORS, 200)),
            row("plans:monitoring_unit", 2027, "E1.A", allowed=MONITORS, **plan),
            row("plans:cycle_documents", 2027, exact=dict.fromkeys(MONITORS, 200)),
            # Not prepared: 404 for those who may download it.
            row("plans:cycle_documents_zip", 2027, exact=dict.fromkeys(MONITORS, 404)),
            row("plans:plan_list", exact=everyone),
            row("plans:plan_detail", *a28, allowed=READERS, **plan),
            # Fragments: a plain request is sent to the plan page.
            row("plans:plan_checks", *a28, exact=dict.fromkeys(READERS, 302), **plan),
            row("plans:editor_parties", *a28, exact=dict.fromkeys(READERS, 302), **plan),
            row("plans:editor_row", *g, exact=dict.fromkeys(READERS, 302), **plan),
            row("plans:editor_parties_edit", *a28, allowed=EDITORS, **plan),
            row("plans:editor_row_new", *a28, "goal", allowed=EDITORS, **plan),
            row("plans:editor_row_edit", *g, allowed=EDITORS, **plan),
            row("plans:excel_template", *a28, allowed=READERS, **plan),
            row("plans:excel_upload", *a28, allowed=EDITORS, **plan),
            # No such annotated copy: the editors get 404 too.
            row(
                "plans:excel_annotated", *a28, "unknown", exact=dict.fromkeys(EDITORS, 404), **plan
            ),
            row("plans:documents_download", *a28, "rkpk", "pdf", allowed=READERS, **plan),
            row("plans:review_submissions", *a27, allowed=READERS, **plan),
            row("plans:review_compare", *a27, allowed=READERS, **plan),
            row("plans:review_submission", *a27, 1, allowed=READERS, **plan),
            row("plans:review_plan", *a27, allowed=REVIEWERS, **plan),
            row("plans:review_messages", *a27, allowed=READERS, **plan),
            # No such attachment; not even the anonymous visitor is sent to log in.
            row("plans:review_attachment", *a27, 999, other=404, anonymous=404),
            # The writes, posted empty; those that change the plans come last.
            row("plans:list_value_move", m, value.pk, exact=managed, **post),
            row("plans:list_value_activation", m, value.pk, "deactivate", exact=managed, **post),
            row("plans:list_add_unknown", exact=managed, **post),
            # Refusals come back as a message on the page the user is sent to.
            row("plans:plan_start", other=302, **post),
            # The bureau queues the job preparing the ZIP and comes back to the page.
            row("plans:cycle_documents", 2027, exact=dict.fromkeys(REVIEWERS, 302), **post),
            row(
                "plans:plan_return_to_operator",
                *a27,
                exact=dict.fromkeys(READERS, 302),
                **plan,
                **post,
            ),
            row("plans:plan_approve", *a27, exact={"unit_head": 302}, **plan, **post),
            *(
                row(f"plans:{name}", *a27, exact=dict.fromkeys(REVIEWERS, 400), **plan, **post)
                for name in ("review_request_clarification", "review_return", "review_accept")
            ),
            row("plans:editor_row_move", *g, exact=dict.fromkeys(EDITORS, 400), **plan, **post),
            row("plans:excel_rollups", *a28, exact=dict.fromkeys(EDITORS, 302), **plan, **post),
            row("plans:editor_row_delete", *g, exact=dict.fromkeys(EDITORS, 302), **plan, **post),
            row("plans:plan_copy", *a28, exact=dict.fromkeys(EDITORS, 302), **plan, **post),
            row("plans:plan_submit", *a28, exact=dict.fromkeys(SUBMITTERS, 302), **plan, **post),
        ],
        namespace="plans",
    )
