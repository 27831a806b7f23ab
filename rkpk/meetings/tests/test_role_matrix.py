"""Every URL of the meetings app, for every role, on a meeting unit A was invited to, with
its attendance, agenda and decision recorded."""

import pytest

from rkpk.core.tests.role_matrix import row
from rkpk.meetings.models import AgendaItem, Decision

pytestmark = pytest.mark.django_db

READERS = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
           "general_bureau", "viewer")  # fmt: skip
INVITED = ("unit_operator", "unit_head")  # unit A
BUREAU = ("staff", "head_of_section", "head_of_bureau")
HIDDEN = ("operator_b", "nobody")


def test_every_url_for_every_role(ready, role_matrix):
    m = ready.pk
    invitee = ready.invitees.order_by("position").first().pk
    item = AgendaItem.objects.filter(meeting=ready).order_by("pk").first().pk
    decision = Decision.objects.filter(meeting=ready).order_by("pk").first().pk
    post = {"method": "post"}
    role_matrix(
        [
            row("meetings:list", allowed=(*READERS, *INVITED, "operator_b")),
            row("meetings:detail", m, allowed=(*READERS, *INVITED), not_found=HIDDEN),
            row("meetings:create", allowed=BUREAU),
            row("meetings:edit", m, allowed=BUREAU),
            # The report is a draft until filed: not for the invited units yet.
            row("meetings:report", m, allowed=READERS, not_found=HIDDEN),
            row("meetings:report_download", m, "pdf", allowed=READERS, not_found=HIDDEN),
            row("meetings:invitation", m, exact=dict.fromkeys(BUREAU, 405)),  # POST only
            # The writes, posted empty: the form again (200, or 422 / 409 from the
            # services), or back to the meeting with the reason; destructive ones last.
            *(
                row(f"meetings:{name}", *args, exact=dict.fromkeys(BUREAU, status), **post)
                for name, args, status in (
                    ("create", (), 200),
                    ("edit", (m,), 200),
                    ("invitee_add", (m,), 302),
                    ("attendance", (m,), 302),
                    ("agenda_add", (m,), 422),
                    ("agenda_save", (m, item), 409),
                    ("agenda_move", (m, item), 302),
                    ("decision_add", (m,), 422),
                    ("decision_edit", (m, decision), 200),
                    ("invitation", (m,), 302),
                )
            ),
            row("meetings:file", m, exact=dict.fromkeys(("staff", "head_of_bureau"), 302), **post),
            *(
                row(f"meetings:{name}", m, *args, exact=dict.fromkeys(BUREAU, 302), **post)
                for name, args in (
                    ("decision_delete", (decision,)),
                    ("agenda_delete", (item,)),
                    ("invitee_delete", (invitee,)),
                    ("cancel", ()),
                )
            ),
        ],
        namespace="meetings",
    )
