"""Every integer field of a form is bounded like its database column (issue 13.8): a number
the column cannot hold (10**30) is a field error, never an overflow in the database."""

import pytest

from rkpk.complaints.forms import ComplaintForm
from rkpk.correspondence.forms import DocumentEditForm
from rkpk.meetings.forms import DecisionForm as MeetingDecisionForm
from rkpk.meetings.forms import MeetingForm
from rkpk.ministry.forms import CommentForm, DecisionForm, SectionForm
from rkpk.organisation.forms import UnitForm
from rkpk.procedure.forms import StepActionForm

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
CASES = [
    (ComplaintForm, {}, "step_number"),
    (UnitForm, {}, "sort_order"),
    (StepActionForm, {}, "to_number"),
    (MeetingForm, {}, "revision"),
    (MeetingDecisionForm, {"meeting": None}, "revision"),
    (DocumentEditForm, {}, "revision"),
    (SectionForm, {}, "revision"),
    (CommentForm, {}, "version_number"),
    (DecisionForm, {}, "version_number"),
]


@pytest.mark.parametrize(
    ("form_class", "kwargs", "field"),
    CASES,
    ids=[f"{c[0].__module__.split('.')[1]}.{c[0].__name__}.{c[2]}" for c in CASES],
)
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE])
def test_a_number_the_column_cannot_hold_is_a_field_error(units, form_class, kwargs, field, value):
    form = form_class(data={field: value}, **kwargs)
    assert not form.is_valid()
    assert field in form.errors, form.errors
    # a number the column holds is no error of that field
    fine = form_class(data={field: "1"}, **kwargs)
    fine.is_valid()
    assert field not in fine.errors, fine.errors
