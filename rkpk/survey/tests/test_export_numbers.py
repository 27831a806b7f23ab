"""The survey's results workbook stores its figures (counts, rates, NRR, IKM) as numbers
with number formats, never as text."""

import pytest

from rkpk.core.tests import document_checks as checks
from rkpk.survey import exports, selectors
from rkpk.survey.tests.conftest import scores_of

pytestmark = pytest.mark.django_db


def test_results_workbook_numbers_are_numbers(survey, role_users, units, root_head, answer_as):
    answer_as(root_head, survey, units["root"], scores_of(4, 4, 3, 3, 4, 3, 4, 2, 3))
    answer_as(role_users["unit_operator"], survey, units["a"], scores_of(3, 4, 3, 2, 4, 3, 4, 3, 3))
    result = selectors.results(survey, with_suggestions=True)
    data = exports.workbook(survey, result, with_responses=True)
    assert checks.number_problems(data) == []
    elements = checks.numbers(data, "Elements")
    assert elements and all(isinstance(v, int | float) for v, _fmt in elements)
    summary = dict(
        (row[0], row[1]) for row in checks.workbook(data)["Summary"].iter_rows(values_only=True)
    )
    assert isinstance(summary["Satisfaction index (IKM)"], int | float)
