"""Every URL of the dashboard, for every role."""

from datetime import date

import pytest

from rkpk.core.tests.role_matrix import row
from rkpk.procedure import services

pytestmark = pytest.mark.django_db

MINISTRY = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
            "general_bureau", "viewer")  # fmt: skip


def test_every_url_for_every_role(role_users, role_matrix):
    services.start_cycle(actor=role_users["staff"], year=2027, start_date=date(2026, 1, 5))
    role_matrix(
        [
            row("dashboard:index", allowed=MINISTRY),
            row("dashboard:cycle", 2027, allowed=MINISTRY),
            row("dashboard:report_xlsx", 2027, allowed=MINISTRY),
            row("dashboard:report_pdf", 2027, allowed=MINISTRY),
            row("dashboard:cycle", 2031, exact=dict.fromkeys(MINISTRY, 404)),  # no such cycle
        ],
        namespace="dashboard",
    )
