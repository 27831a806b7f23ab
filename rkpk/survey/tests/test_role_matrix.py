"""Every URL of the survey app, for every role, on an open survey of the 2027 cycle."""

import pytest

from rkpk.core.tests.role_matrix import row

pytestmark = pytest.mark.django_db

READERS = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister", "viewer")
BUREAU = ("admin", "staff", "head_of_section", "head_of_bureau")  # open and close surveys
UNIT_A = ("unit_operator", "unit_head")


def test_every_url_for_every_role(survey, role_matrix):
    s = survey.pk
    role_matrix(
        [
            row("survey:list", allowed=(*READERS, *UNIT_A, "operator_b")),
            row("survey:detail", s, allowed=(*READERS, *UNIT_A, "operator_b"), other=404),
            row("survey:export", s, allowed=READERS),
            row("survey:questionnaire", allowed=["admin"]),
            row("survey:answer", s, "E1.A", allowed=UNIT_A),
            row("survey:thanks", s, "E1.A", allowed=UNIT_A),
            # Posted empty: the form again with its errors (422), or back to the list.
            row("survey:open", method="post", exact=dict.fromkeys(BUREAU, 302)),
            row("survey:questionnaire", method="post", exact={"admin": 422}),
            row("survey:answer", s, "E1.A", method="post", exact=dict.fromkeys(UNIT_A, 422)),
            row("survey:close", s, method="post", exact=dict.fromkeys(BUREAU, 302)),
        ],
        namespace="survey",
    )
