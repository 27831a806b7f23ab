"""Schemathesis against the published schema, in process (Django's WSGI handler, the whole
middleware stack, no server): every operation, as staff and as a unit operator (bearer
tokens), on the demo data. A server error or an answer the schema does not describe (its
status, content type or body) fails the test (issue 13.6).

Three runs per operation and role: valid data (positive), invalid data (negative), and
valid data on the demo's own unit and plan year (the `unit_code`/`year` path parameters
set; only for operations that have them: random codes reach little beyond a 404).
Bounded: a few examples each, derandomized (the same cases on every run), no shrinking.
Each test runs in its own savepoint on the demo data seeded once per module, so a
generated DELETE cannot take data from the next operation. No operation is left out.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rkpk.api import services
from rkpk.api.urls import api
from rkpk.organisation.models import RoleAssignment
from rkpk.plans.models import UnitPlan

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = ("staff", "unit_operator")
MAX_EXAMPLES = 4
DEMO_PARAMETERS = ("unit_code", "year")

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = WSGIHandler()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def path_parameter_names(operation) -> set[str]:
    return {parameter.name for parameter in operation.path_parameters}


CASES = [
    pytest.param(operation, mode, id=f"{mode}-{operation.label}")
    for operation in OPERATIONS
    for mode in ("positive", "negative", "demo")
    if mode != "demo" or path_parameter_names(operation) & set(DEMO_PARAMETERS)
]


def load_reference_tables() -> None:
    """What the migrations seed, in case a transactional test of this worker flushed it."""
    from rkpk.correspondence.models import LetterTemplate, Register
    from rkpk.correspondence.reference_data import load as load_correspondence
    from rkpk.plans.models import MeasureUnit, QualitativeValue, ReturnReason, StatementTemplate
    from rkpk.plans.reference_data import load_reference_data, load_statement_template
    from rkpk.procedure.models import ServiceStandard, StandardStep
    from rkpk.procedure.standard_seed import load_seed_standard
    from rkpk.survey.models import Element, Questionnaire
    from rkpk.survey.reference_data import load as load_questionnaire

    load_seed_standard(ServiceStandard, StandardStep)
    load_reference_data(MeasureUnit, QualitativeValue, ReturnReason)
    load_statement_template(StatementTemplate)
    load_correspondence(Register, LetterTemplate)
    load_questionnaire(Questionnaire, Element)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo (`seed_demo`, with its cycle) and a bearer token per role, once per module,
    rolled back at its end."""
    # As Django's test client does: the handler must not close the connection at the end
    # of a request, which inside the test's transaction would roll it back.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_tables()
        call_command("seed_demo", verbosity=0)
        operator = RoleAssignment.objects.filter(role="unit_operator").order_by("user__username")
        unit = operator.first().unit
        demo = {
            "unit_code": unit.code,
            "year": UnitPlan.objects.filter(unit=unit).order_by("-year").first().year,
        }
        tokens = {}
        for role in ROLES:
            user = (
                RoleAssignment.objects.filter(role=role, user__is_active=True)
                .order_by("user__username")
                .first()
                .user
            )
            tokens[role] = services.create_token(
                actor=None, user=user, name="schemathesis", check_permission=False
            ).secret
        yield tokens, demo
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_operation_answers_as_documented(demo_data, role, operation, mode):
    tokens, demo = demo_data
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    generation_mode = GenerationMode.NEGATIVE if mode == "negative" else GenerationMode.POSITIVE
    path_parameters = None
    if mode == "demo":
        path_parameters = {
            name: demo[name] for name in DEMO_PARAMETERS if name in path_parameter_names(operation)
        }

    @given(
        case=operation.as_strategy(generation_mode=generation_mode, path_parameters=path_parameters)
    )
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
