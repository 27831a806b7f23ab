"""Every URL of core (the working-day calendar and the audit trail) and the site's home
page and set-up checklist, for every role."""

import pytest

from rkpk.core import audit
from rkpk.core.models import CalendarOverride
from rkpk.core.tests.role_matrix import row

pytestmark = pytest.mark.django_db

WITH_A_ROLE = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
               "unit_operator", "unit_head", "general_bureau", "viewer", "operator_b")  # fmt: skip


def test_every_url_for_every_role(role_users, role_matrix):
    audit.record(actor=role_users["admin"], action="test.thing", object_type="x")
    override = CalendarOverride.objects.create(date="2027-02-01", kind="closed", reason="Uji")
    role_matrix(
        [
            row("home", other=200),  # a user without a role is told so there
            row("site:setup", exact={"admin": 200}),
            row("core:calendar", allowed=WITH_A_ROLE),
            row("core:audit", allowed=("admin", "head_of_bureau")),
            row("core:audit_detail", 1, allowed=("admin", "head_of_bureau")),
            row("core:calendar_override_create", method="post", allowed=["admin"]),
            row("core:calendar_override_delete", override.pk, method="post", allowed=["admin"]),
        ],
        namespace=("core", "site"),
    )
