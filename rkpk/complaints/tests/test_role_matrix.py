"""Every URL of the complaints app, for every role, on a complaint filed by unit A."""

import pytest

from rkpk.complaints.tests.helpers import file
from rkpk.core.tests.role_matrix import row

pytestmark = pytest.mark.django_db

WITH_A_ROLE = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
               "unit_operator", "unit_head", "general_bureau", "viewer", "operator_b")  # fmt: skip
REGISTER = ("admin", "staff", "head_of_section", "head_of_bureau", "viewer")
# Who sees unit A's operator's complaint: the register's readers and its author.
SEE = (*REGISTER, "unit_operator")


def test_every_url_for_every_role(role_users, units, role_matrix):
    c = file(role_users["unit_operator"]).pk
    post = {"method": "post"}
    role_matrix(
        [
            row("complaints:index", exact=dict.fromkeys(WITH_A_ROLE, 302)),  # to the right list
            row("complaints:file", allowed=WITH_A_ROLE),
            row("complaints:step_options", allowed=WITH_A_ROLE),
            row("complaints:mine", allowed=WITH_A_ROLE),
            row("complaints:register", allowed=REGISTER),
            row("complaints:register_xlsx", allowed=REGISTER),
            row("complaints:statistics", allowed=REGISTER),
            row("complaints:detail", c, allowed=SEE, other=404),
            # No such attachment; not even the anonymous visitor is sent to log in.
            row("complaints:attachment", c, 999, other=404, anonymous=404),
            # Posted empty: who may act gets the form's errors (400), who sees the complaint
            # but may not act is refused, and everyone else is not told it exists.
            row("complaints:file", exact=dict.fromkeys(WITH_A_ROLE, 400), **post),
            *(
                row(f"complaints:{name}", c, exact=dict.fromkeys(SEE, 400), other=404, **post)
                for name in ("delegate", "follow_up", "answer", "rate")
            ),
            row(
                "complaints:close", c, exact={"head_of_bureau": 400}, refused=SEE, other=404, **post
            ),
            row(
                "complaints:withdraw",
                c,
                exact={"unit_operator": 302},
                refused=SEE,
                other=404,
                **post,
            ),
        ],
        namespace="complaints",
    )
