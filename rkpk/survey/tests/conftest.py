"""Fixtures of the survey tests: a cycle whose RK-PK is distributed (step 13 done), its
survey, and helpers to answer for a unit."""

import pytest

from rkpk.organisation.models import Role, Unit
from rkpk.procedure.tests.factories import cycle_done_through
from rkpk.survey import services
from rkpk.survey.models import ELEMENT_CODES, Element, Questionnaire
from rkpk.survey.reference_data import load

YEAR = 2027


def scores_of(*values: int) -> dict[str, int]:
    """{"U1": values[0], …, "U9": values[8]}; one value gives it to every element."""
    if len(values) == 1:
        values = values * len(ELEMENT_CODES)
    return dict(zip(ELEMENT_CODES, values, strict=True))


@pytest.fixture(autouse=True)
def _questionnaire(db):
    """The seeded questionnaire (a transactional test flushes the migration's data)."""
    load(Questionnaire, Element)


@pytest.fixture
def distributed(db):
    """A cycle with every step, 13 included, done."""
    return cycle_done_through(13, year=YEAR, start_next=False)


@pytest.fixture
def survey(distributed, role_users, units):
    return services.open_for_cycle(actor=role_users["staff"], cycle=distributed)


@pytest.fixture
def root_head(make_user, units):
    return make_user("u_root_head", (Role.UNIT_HEAD, units["root"]))


@pytest.fixture
def answer_as():
    def run(user, survey, unit, scores=None, **extra):
        return services.answer(
            actor=user, survey=survey, unit=unit, scores=scores or scores_of(4), **extra
        )

    return run


@pytest.fixture
def many_units(make_user):
    """A function making n more units, each with an operator: [(unit, operator)]."""

    def make(n: int, prefix: str = "X"):
        made = []
        for i in range(n):
            unit = Unit.objects.create(code=f"{prefix}{i}", name=f"Unit {prefix}{i}", level=2)
            made.append((unit, make_user(f"op_{prefix}{i}", (Role.UNIT_OPERATOR, unit))))
        return made

    return make
