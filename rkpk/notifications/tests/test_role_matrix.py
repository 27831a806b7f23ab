"""Every URL of the notification centre, for every role: each user reads and settles their
own notifications; another user's is not found."""

import pytest

from rkpk.core.tests.role_matrix import row
from rkpk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_every_url_for_every_role(role_users, role_matrix):
    mine = Notification.objects.create(
        recipient=role_users["staff"], event="plan.submitted", title="Uji", url="/"
    )
    role_matrix(
        [
            row("notifications:list", other=200),
            row("notifications:settings", other=200),
            row("notifications:settings", method="post", other=200),  # empty: the form again
            row("notifications:open", mine.pk, exact={"staff": 302}, other=404),  # to its link
            row(
                "notifications:toggle_read", mine.pk, method="post", exact={"staff": 302}, other=404
            ),
            row("notifications:mark_all_read", method="post", other=302),
        ],
        namespace="notifications",
    )
