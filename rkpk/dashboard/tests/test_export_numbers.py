"""The service dashboard's XLSX report stores its figures as numbers with number formats."""

import pytest

from rkpk.core.tests import document_checks as checks
from rkpk.dashboard import report, selectors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


def test_report_workbook_numbers_are_numbers(report_cycle):
    data = report.render_xlsx(selectors.dashboard(report_cycle))
    assert checks.number_problems(data) == []
    steps = checks.numbers(data, "Langkah")
    assert steps and all(fmt != "General" for _value, fmt in steps)
