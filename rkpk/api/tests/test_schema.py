"""The OpenAPI schema and the interactive docs, which must load nothing from a CDN."""

import json
import re

import pytest
from django.test import Client

from .conftest import API

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/ministry/plans": {"get", "post"},
    "/api/v1/ministry/plans/{year}": {"get"},
    "/api/v1/ministry/plans/{year}/sections/{key}": {"put"},
    "/api/v1/ministry/plans/{year}/refresh-tables": {"post"},
    "/api/v1/ministry/plans/{year}/submit": {"post"},
    "/api/v1/ministry/plans/{year}/versions": {"get"},
    "/api/v1/ministry/plans/{year}/versions/{number}": {"get"},
    "/api/v1/ministry/plans/{year}/compare": {"get"},
    "/api/v1/ministry/plans/{year}/comments": {"post"},
    "/api/v1/ministry/plans/{year}/approve": {"post"},
    "/api/v1/ministry/plans/{year}/return": {"post"},
    "/api/v1/ministry/plans/{year}/sign": {"post"},
    "/api/v1/ministry/plans/{year}/documents/{kind}.pdf": {"get"},
    "/api/v1/acting-assignments": {"get", "post"},
    "/api/v1/acting-assignments/{assignment_id}": {"delete"},
    "/api/v1/acting-assignments/{assignment_id}/end": {"post"},
    "/api/v1/units": {"get"},
    "/api/v1/units/{code}": {"get"},
    "/api/v1/officials": {"get"},
    "/api/v1/officials/{nip}": {"get"},
    "/api/v1/standards": {"get"},
    "/api/v1/standards/latest": {"get"},
    "/api/v1/standards/{version}": {"get"},
    "/api/v1/cycles": {"get", "post"},
    "/api/v1/cycles/{year}": {"get"},
    "/api/v1/cycles/{year}/steps/{number}/start": {"post"},
    "/api/v1/cycles/{year}/steps/{number}/complete": {"post"},
    "/api/v1/cycles/{year}/steps/{number}/return": {"post"},
    "/api/v1/calendar/{year}": {"get"},
    "/api/v1/calendar/workdays/add": {"get"},
    "/api/v1/calendar/workdays/count": {"get"},
    "/api/v1/calendar/overrides": {"post"},
    "/api/v1/calendar/overrides/{day}": {"delete"},
    "/api/v1/plans": {"get", "post"},
    "/api/v1/plans/{unit_code}/{year}": {"get"},
    "/api/v1/plans/{unit_code}/{year}/copy-previous": {"post"},
    "/api/v1/plans/{unit_code}/{year}/parties": {"put"},
    "/api/v1/plans/{unit_code}/{year}/rows/{kind}": {"post"},
    "/api/v1/plans/{unit_code}/{year}/rows/{kind}/{row_id}": {"patch", "delete"},
    "/api/v1/plans/{unit_code}/{year}/rows/{kind}/{row_id}/move": {"post"},
    "/api/v1/plans/{unit_code}/{year}/checks": {"get"},
    "/api/v1/plans/{unit_code}/{year}/submit": {"post"},
    "/api/v1/plans/{unit_code}/{year}/clarification": {"post"},
    "/api/v1/plans/{unit_code}/{year}/return": {"post"},
    "/api/v1/plans/{unit_code}/{year}/accept": {"post"},
    "/api/v1/plans/{unit_code}/{year}/submissions": {"get"},
    "/api/v1/plans/{unit_code}/{year}/submissions/{number}": {"get"},
    "/api/v1/plans/{unit_code}/{year}/messages": {"get", "post"},
    "/api/v1/attachments/{attachment_id}": {"get"},
    "/api/v1/monitoring/{year}": {"get"},
    "/api/v1/plans/{unit_code}/{year}/compare": {"get"},
    "/api/v1/plans/{unit_code}/{year}/workbook.xlsx": {"get"},
    "/api/v1/plans/{unit_code}/{year}/workbook": {"post"},
    "/api/v1/plans/{unit_code}/{year}/documents/{doc}.{fmt}": {"get"},
    "/api/v1/monitoring/{year}/export.xlsx": {"get"},
    "/api/v1/tokens": {"get", "post"},
    "/api/v1/tokens/{token_id}": {"delete"},
}


def test_openapi_schema_is_valid_json_listing_every_path():
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = {path: set(ops) for path, ops in schema["paths"].items()}
    # Every listed path is served; newer areas (correspondence) add their own.
    assert EXPECTED_PATHS.items() <= paths.items()
    assert any(path.startswith("/api/v1/correspondence/") for path in paths)
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    # Every operation declares its refusals with the error body.
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "401" in operation["responses"], (method, path)


def test_docs_page_loads_swagger_from_this_server_only(role_users):
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith(f"{API}/docs/assets/") for s in sources)
    assert "cdn" not in html.lower()
    for source in sources:
        asset = Client().get(source)
        assert asset.status_code == 200, source
        assert asset["Content-Type"].split("/")[0] in {"text", "image"}


@pytest.mark.parametrize("name", ["conf.py", "..%2F__init__.py", "redoc.standalone.js.map"])
def test_docs_assets_serve_only_the_listed_files(name):
    assert Client().get(f"{API}/docs/assets/{name}").status_code == 404


def schema_classes_by_name() -> dict[str, set[type]]:
    """Every pydantic model an operation of the API reads or answers with, nested ones
    included, by the name it gets in the published schema."""
    import inspect
    import typing

    from ninja.params.models import ParamModel
    from pydantic import BaseModel

    from rkpk.api.urls import api

    found: dict[str, set[type]] = {}
    visited: set = set()

    def walk(annotation) -> None:
        if annotation in visited:
            return
        visited.add(annotation)
        if inspect.isclass(annotation) and issubclass(annotation, ParamModel):
            # ninja's containers of an operation's parameters (PathParams, BodyParams...):
            # flattened into the operation, never a named component; their fields are.
            for field in annotation.model_fields.values():
                walk(field.annotation)
            return
        if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
            found.setdefault(annotation.__name__, set()).add(annotation)
            for field in annotation.model_fields.values():
                walk(field.annotation)
            return
        for argument in typing.get_args(annotation):
            walk(argument)

    operations = [
        operation
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]
    assert len(operations) > 100
    for operation in operations:
        for model in (operation.response_models or {}).values():
            # ninja wraps each answer's type in a model of its own, never a component.
            if inspect.isclass(model) and issubclass(model, BaseModel):
                walk(model.model_fields["response"].annotation)
        for model in operation.models:
            walk(model)
    return found


def test_no_two_schema_classes_share_a_name():
    """ninja keys the schema's components by class name: two classes of one name collapse
    into one, and operations are documented with the other's body."""
    found = schema_classes_by_name()
    assert "ErrorOut" in found and "UnitPlanOut" in found
    shared = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in found.items()
        if len(classes) > 1
    }
    assert shared == {}


def test_each_operation_is_documented_with_its_own_body():
    schema = Client().get(f"{API}/openapi.json").json()
    names = set(schema["components"]["schemas"])
    assert len(names) >= len(schema_classes_by_name()) - 10  # ninja inlines a few param models

    def ref(path, method, status="200"):
        content = schema["paths"][path][method]["responses"][status]["content"]
        return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]

    assert ref("/api/v1/plans", "get") == "PagedUnitPlanOut"
    assert ref("/api/v1/ministry/plans/{year}", "get") == "MinistryPlanOut"
    ministry_plan = schema["components"]["schemas"]["MinistryPlanOut"]["properties"]
    unit_plan = schema["components"]["schemas"]["UnitPlanOut"]["properties"]
    assert "unit_name" in unit_plan and "unit_name" not in ministry_plan


def test_every_operation_documents_its_refusals():
    """400, 401, 403 and 422 may answer any operation, 404 any with a path parameter; each
    is documented, with the error body (or a body that includes it)."""
    schema = Client().get(f"{API}/openapi.json").json()
    for path, operations in schema["paths"].items():
        expected = {"400", "401", "403", "422"} | ({"404"} if "{" in path else set())
        for method, operation in operations.items():
            responses = operation["responses"]
            assert expected <= set(responses), (method, path, expected - set(responses))
            for status in expected:
                body = responses[status]["content"]["application/json"]["schema"]
                refs = [body.get("$ref")] + [s.get("$ref") for s in body.get("anyOf", [])]
                assert "#/components/schemas/ErrorOut" in refs, (method, path, status)


def test_the_workbook_import_documents_both_refusal_bodies():
    schema = Client().get(f"{API}/openapi.json").json()
    responses = schema["paths"]["/api/v1/plans/{unit_code}/{year}/workbook"]["post"]["responses"]
    for status in ("409", "422"):
        body = responses[status]["content"]["application/json"]["schema"]
        refs = {s["$ref"].rsplit("/", 1)[1] for s in body["anyOf"]}
        assert refs == {"WorkbookImportRefusedOut", "ErrorOut"}
