from datetime import date

import pytest

from rkpk.dashboard.tests.factories import reference_cycle, submitted_plan


@pytest.fixture
def report_cycle(units, role_users):
    """The reference cycle of 2026 (see factories): unit A on time, unit B 3 working days
    late, the root unit never submitted (7 working days late)."""
    cycle = reference_cycle()
    submitted_plan(
        units["a"], 2026, role_users["unit_operator"], on=date(2025, 10, 22),
        accepted_on=date(2025, 10, 24),
    )  # fmt: skip
    submitted_plan(
        units["b"], 2026, role_users["operator_b"], on=date(2025, 10, 27),
        accepted_on=date(2025, 10, 30),
    )  # fmt: skip
    return cycle
