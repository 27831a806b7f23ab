"""Every URL of the ministry RK-PK, for every role, on a submitted draft: the bureau and the
leadership read it, its versions and their files; the drafters write; nobody outside sees
a draft."""

import pytest

from rkpk.core.tests.role_matrix import row
from rkpk.ministry import services
from rkpk.ministry.tests.factories import YEAR, ready_for_drafting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

# Who sees the drafts (the whole ministry); everyone else is not told a draft exists.
INSIDE = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister")
SEES = (*INSIDE, "general_bureau")
OUTSIDE = ("unit_operator", "unit_head", "viewer", "operator_b", "nobody")
DRAFTERS = ("staff", "head_of_section")


def test_every_url_for_every_role(role_users, units, role_matrix):
    cycle = ready_for_drafting(role_users, units)
    plan = services.create_plan(actor=role_users["head_of_section"], cycle=cycle)
    services.submit(actor=role_users["head_of_section"], plan=plan)
    key = plan.sections.order_by("pk").values_list("key", flat=True).first()
    # The writes are posted empty: who may act is answered with what is missing (422) or
    # wrong at this stage (409), who may not with 403, and outsiders with 404.
    write = {"method": "post", "not_found": OUTSIDE}
    role_matrix(
        [
            row("ministry:index", other=200),  # the list of years, for everyone signed in
            row("ministry:plan", YEAR, allowed=SEES, other=404),
            row("ministry:version", YEAR, 1, allowed=SEES, other=404),
            row("ministry:version_file", YEAR, 1, "docx", allowed=SEES, other=404),
            row("ministry:compare", YEAR, allowed=SEES, other=404),
            row("ministry:final", YEAR, "pk", other=404),  # not published yet
            # The plan exists: the drafters are sent back to it with the reason.
            row("ministry:start", YEAR, method="post", exact=dict.fromkeys(DRAFTERS, 302)),
            row("ministry:refresh", YEAR, exact=dict.fromkeys(DRAFTERS, 422), **write),
            # Who may not draft is refused (403) before the empty form is judged (422).
            row(
                "ministry:section_save",
                YEAR,
                key,
                exact={**dict.fromkeys(SEES, 403), **dict.fromkeys(DRAFTERS, 422)},
                **write,
            ),
            row("ministry:comment", YEAR, exact={"head_of_bureau": 409}, **write),
            row("ministry:approve", YEAR, exact={"head_of_bureau": 409}, **write),
            row("ministry:return", YEAR, exact={"head_of_bureau": 409}, **write),
            row("ministry:sign", YEAR, exact={"minister": 422}, **write),
            row("ministry:submit", YEAR, exact=dict.fromkeys(DRAFTERS, 422), **write),
        ],
        namespace="ministry",
    )
