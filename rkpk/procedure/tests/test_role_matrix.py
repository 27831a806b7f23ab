"""Every URL of the procedure app, for every role, with the 2027 cycle started."""

from datetime import date

import pytest

from rkpk.core.tests.role_matrix import row
from rkpk.procedure import services

pytestmark = pytest.mark.django_db

WITH_A_ROLE = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
               "unit_operator", "unit_head", "general_bureau", "viewer", "operator_b")  # fmt: skip
PLANNERS = ("admin", "staff", "head_of_section", "head_of_bureau")


def test_every_url_for_every_role(role_users, role_matrix):
    services.start_cycle(actor=role_users["staff"], year=2027, start_date=date(2026, 1, 5))
    role_matrix(
        [
            row("procedure:cycle_list", allowed=WITH_A_ROLE),
            row("procedure:cycle_detail", 2027, allowed=WITH_A_ROLE),
            row("procedure:standard_detail", allowed=WITH_A_ROLE),
            row("procedure:standard_version", 1, allowed=WITH_A_ROLE),
            row("procedure:cycle_create", exact=dict.fromkeys(PLANNERS, 200)),
            row("procedure:standard_edit", exact={"admin": 200}),
            # Posted empty: the form again, with its errors.
            row("procedure:cycle_create", method="post", exact=dict.fromkeys(PLANNERS, 200)),
            row("procedure:standard_edit", method="post", exact={"admin": 200}),
            # A step's action answers everyone on the cycle page, a refusal as a message.
            row("procedure:step_action", 2027, 1, method="post", other=302),
        ],
        namespace="procedure",
    )
