"""Every URL of the analysis app, for every role: the strategic goals, the 2027 draft, the
mapping and a compilation of unit A's accepted plan."""

import pytest

from rkpk.analysis import services, services_drafts
from rkpk.analysis.tests.compilation_factories import accepted_plan, map_all, period_with_goals
from rkpk.core.tests.role_matrix import row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

MINISTRY = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
            "general_bureau", "viewer")  # fmt: skip
WITH_A_ROLE = (*MINISTRY, "unit_operator", "unit_head", "operator_b")
BUREAU = ("staff", "head_of_section", "head_of_bureau")


def test_every_url_for_every_role(role_users, units, role_matrix):
    staff = role_users["staff"]
    period, goals = period_with_goals()
    plan = accepted_plan(units["a"], staff, role_users["unit_operator"])
    map_all(plan, goals[0], staff)
    services.compile_year(actor=staff, year=2027)
    draft = services_drafts.create_or_refresh_draft(actor=staff, year=2027)
    section = draft.sections.order_by("pk").first().pk
    goal = goals[0]
    indicator = goal.indicators.order_by("pk").first().pk
    post = {"method": "post"}
    admin_posts = {"exact": {"admin": 405}}  # a GET of the goal forms: they are posted
    role_matrix(
        [
            row("analysis:goal_list", allowed=WITH_A_ROLE),
            row("analysis:goals_template", allowed=WITH_A_ROLE),
            row("analysis:goals_import", allowed=["admin"]),
            row("analysis:goals_goal_add", period.pk, **admin_posts),
            row("analysis:goals_goal_edit", period.pk, goal.pk, **admin_posts),
            row("analysis:goals_indicator_add", goal.pk, **admin_posts),
            row("analysis:goals_indicator_edit", goal.pk, indicator, **admin_posts),
            row("analysis:draft_current", allowed=MINISTRY),
            row("analysis:draft_detail", 2027, allowed=MINISTRY),
            row("analysis:draft_compare", 2027, allowed=MINISTRY),
            row("analysis:mapping_list", 2027, allowed=MINISTRY),
            row("analysis:compilation_index", exact=dict.fromkeys(MINISTRY, 302)),  # to a year
            row("analysis:compilation_list", 2027, allowed=MINISTRY),
            row("analysis:compilation_coverage", 2027, allowed=MINISTRY),
            row("analysis:compilation_detail", 2027, 1, allowed=MINISTRY),
            row("analysis:compilation_download", 2027, 1, "pk", "xlsx", allowed=MINISTRY),
            # The writes, posted empty: the administrator's goal forms answer on the goal
            # page with the errors, the draft's section is stale (409) without a revision.
            row("analysis:goals_period_add", exact={"admin": 302}, **post),
            row("analysis:goals_goal_add", period.pk, exact={"admin": 302}, **post),
            row("analysis:goals_goal_edit", period.pk, goal.pk, exact={"admin": 302}, **post),
            row("analysis:goals_indicator_add", goal.pk, exact={"admin": 302}, **post),
            row("analysis:goals_indicator_edit", goal.pk, indicator, exact={"admin": 302}, **post),
            row("analysis:goals_import", exact={"admin": 200}, **post),
            row("analysis:draft_section_save", section, exact=dict.fromkeys(BUREAU, 409), **post),
            row("analysis:draft_review", 2027, exact={"head_of_bureau": 302}, **post),
            row("analysis:draft_create", 2027, exact=dict.fromkeys(BUREAU, 302), **post),
            row("analysis:compilation_compile", 2027, exact=dict.fromkeys(BUREAU, 302), **post),
            row("analysis:draft_submit", 2027, exact=dict.fromkeys(BUREAU, 302), **post),
        ],
        namespace="analysis",
    )
