"""Every URL of the organisation app, for every role: the administrator manages, every
user with a role reads the units, the officials and the profile, nobody else gets in."""

from datetime import timedelta

import pytest

from rkpk.core.calendar import today
from rkpk.core.tests.role_matrix import row
from rkpk.organisation.models import (
    ActingAssignment,
    Headship,
    Official,
    Role,
    RoleAssignment,
    Unit,
)

pytestmark = pytest.mark.django_db

READERS = [role.value for role in Role] + ["operator_b"]  # every user with a role
ADMIN = {"admin": 200}


def test_every_url_for_every_role(role_users, units, role_matrix):
    staff = role_users["staff"]
    official = Official.objects.create(name="Ani", nip="197001011990031001", position="Kepala")
    headship = Headship.objects.create(unit=units["a"], official=official)
    acting = ActingAssignment.objects.create(
        user=staff,
        role=Role.HEAD_OF_BUREAU,
        kind="Plt",
        starts_on=today(),
        ends_on=today() + timedelta(days=10),
        reason="Cuti",
    )
    assignment = RoleAssignment.objects.get(user=staff)
    spare = Unit.objects.create(code="E9", name="Cadangan", level=1)
    unit = units["a"].pk
    # The administrator's writes run last, each on its own object, after every refusal.
    admin_last = {code: user for code, user in role_users.items() if code != "admin"}
    admin_last["admin"] = role_users["admin"]
    post_only = {"admin": 405}  # a GET of a POST-only page: refused (403) to the others
    role_matrix(
        [
            row("organisation:unit_list", allowed=READERS),
            row("organisation:unit_detail", unit, allowed=READERS),
            row("organisation:official_list", allowed=READERS),
            row("organisation:profile", allowed=READERS),
            row("organisation:profile_logo", exact=dict.fromkeys(READERS, 404)),  # no logo
            row("organisation:unit_create", exact=ADMIN),
            row("organisation:unit_edit", unit, exact=ADMIN),
            row("organisation:official_create", exact=ADMIN),
            row("organisation:official_edit", official.pk, exact=ADMIN),
            row("organisation:user_list", exact=ADMIN),
            row("organisation:user_create", exact=ADMIN),
            row("organisation:user_edit", staff.pk, exact=ADMIN),
            row("organisation:user_password", staff.pk, exact=post_only),
            row("organisation:import", exact=ADMIN),
            row("organisation:import_template", "units", exact=ADMIN),
            row("organisation:export", "officials", exact=ADMIN),
            row("organisation:acting_list", exact=ADMIN),
            row("organisation:acting_create", exact=ADMIN),
            row("organisation:profile_edit", exact=ADMIN),
            row("organisation:unit_deactivate", spare.pk, exact=post_only),
            row("organisation:unit_activate", spare.pk, exact=post_only),
            row("organisation:unit_delete", spare.pk, exact=post_only),
            row("organisation:headship_add", unit, exact=post_only),
            row("organisation:headship_end", headship.pk, exact=post_only),
            row("organisation:role_add", staff.pk, exact=post_only),
            row("organisation:role_remove", assignment.pk, exact=post_only),
            row("organisation:acting_end", acting.pk, exact=ADMIN),  # asks to confirm
            row("organisation:acting_delete", acting.pk, exact=ADMIN),
            # The writes with nothing filled in: the administrator is answered (the form
            # with its errors, 400 or 422 on some pages, or back to the page), everyone
            # else refused.
            row("organisation:unit_create", method="post", allowed=["admin"]),
            row("organisation:official_create", method="post", allowed=["admin"]),
            row("organisation:user_create", method="post", allowed=["admin"]),
            row("organisation:headship_add", unit, method="post", exact={"admin": 400}),
            row("organisation:role_add", staff.pk, method="post", allowed=["admin"]),
            row("organisation:acting_create", method="post", allowed=["admin"]),
            row("organisation:profile_edit", method="post", exact={"admin": 422}),
            row("organisation:import", method="post", allowed=["admin"]),
            row("organisation:headship_end", headship.pk, method="post", allowed=["admin"]),
            row("organisation:acting_end", acting.pk, method="post", allowed=["admin"]),
            row("organisation:unit_deactivate", spare.pk, method="post", allowed=["admin"]),
            row("organisation:unit_activate", spare.pk, method="post", allowed=["admin"]),
            row("organisation:unit_delete", spare.pk, method="post", allowed=["admin"]),
            row("organisation:role_remove", assignment.pk, method="post", allowed=["admin"]),
            row("organisation:acting_delete", acting.pk, method="post", allowed=["admin"]),
        ],
        namespace="organisation",
        users=admin_last,
    )
