"""Malformed and out-of-range requests are refused with the API's JSON error body (4xx), on
every path under /api/v1/, never a server error nor Django's HTML page (issue 13.5)."""

import re

import pytest
from django.test import Client
from ninja.params.models import FileModel

from rkpk.api import services
from rkpk.api.urls import api

from .conftest import API

pytestmark = pytest.mark.django_db

HUGE = 2**63


def bearer(user) -> dict:
    secret = services.create_token(actor=user, user=user, name="test").secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def assert_json_error(response, status: int | tuple[int, ...]):
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


def upload_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation that takes a file, read from the API itself."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if any(issubclass(model, FileModel) for model in operation.models):
                    for method in operation.methods:
                        found.append((method.lower(), prefix + path))
    return found


def concrete(path: str) -> str:
    """A URL that matches the route: 1 for an integer parameter, "x" for any other."""
    path = re.sub(r"\{int:[^}]+\}", "1", path)
    return API + "/" + re.sub(r"\{[^}]+\}", "x", path).lstrip("/")


@pytest.mark.parametrize("path", ["/units", "/officials", "/complaints", "/notifications"])
@pytest.mark.parametrize("param", ["offset", "limit"])
def test_huge_page_parameters_are_refused(role_users, path, param):
    client = Client()
    for value in (HUGE, HUGE * 2**64, -1):
        response = client.get(f"{API}{path}?{param}={value}", **bearer(role_users["staff"]))
        body = assert_json_error(response, 422)
        assert body["errors"][0]["field"] == param


def test_every_paginated_list_bounds_offset(role_users):
    """The bound lives in the shared pagination class, so every paged list has it."""
    schema = api.get_openapi_schema()
    paged = [
        (path, operation)
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        if any(p["name"] == "offset" for p in operation.get("parameters", []))
    ]
    assert len(paged) >= 10
    for path, operation in paged:
        offset = next(p for p in operation["parameters"] if p["name"] == "offset")
        assert offset["schema"].get("maximum", HUGE) < 2**31, path


def test_upload_endpoints_are_known():
    operations = upload_operations()
    assert len(operations) >= 6
    assert ("post", "/plans/{unit_code}/{int:year}/workbook") in operations


@pytest.mark.parametrize(("method", "path"), upload_operations())
def test_multipart_without_boundary_is_a_400(role_users, method, path):
    client = Client()
    for user in (role_users["staff"], role_users["admin"]):
        response = client.generic(
            method.upper(),
            concrete(path),
            b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\nabc\r\n--x--\r\n",
            content_type="multipart/form-data",
            **bearer(user),
        )
        assert_json_error(response, (400, 403, 404))
    # As the operator who may reach the operation (or is refused before the body is read).
    response = client.generic(
        method.upper(),
        concrete(path),
        b"garbage",
        content_type="multipart/form-data; boundary=",
        **bearer(role_users["staff"]),
    )
    assert_json_error(response, (400, 403, 404))


def test_multipart_without_boundary_on_the_workbook_upload_is_a_400(role_users, units):
    from rkpk.plans import services as plan_services

    plan_services.get_or_create_plan(actor=role_users["staff"], unit=units["a"], year=2027)
    response = Client().post(
        f"{API}/plans/{units['a'].code}/2027/workbook",
        b"abc",
        content_type="multipart/form-data",
        **bearer(role_users["staff"]),
    )
    body = assert_json_error(response, 400)
    assert "multipart" in body["detail"].lower() or "boundary" in body["detail"].lower()


def test_a_body_over_the_size_limit_is_a_400_json(role_users, settings):
    body = b'{"name": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024) + b'"}'
    response = Client().post(
        f"{API}/cycles", body, content_type="application/json", **bearer(role_users["staff"])
    )
    error = assert_json_error(response, 400)
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)) in error["detail"]


def test_a_20_megabyte_json_body_is_a_400_json(role_users):
    body = b'{"name": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    response = Client().post(
        f"{API}/plans", body, content_type="application/json", **bearer(role_users["staff"])
    )
    assert_json_error(response, 400)


def test_malformed_json_is_a_4xx_json(role_users):
    response = Client().post(
        f"{API}/cycles",
        b"{not json",
        content_type="application/json",
        **bearer(role_users["staff"]),
    )
    assert_json_error(response, (400, 422))


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/calendar/abc", 404),
        ("get", "/plans/E1.A/abc", 404),
        ("get", "/cycles/-1", 404),
        ("get", "/no-such-thing", 404),
        ("get", "/", 404),
        ("post", "/units", 405),
        ("delete", "/calendar/2027", 405),
    ],
)
def test_every_path_under_the_api_answers_json(role_users, method, path, status):
    for client_kwargs in ({}, bearer(role_users["staff"])):
        response = getattr(Client(), method)(API + path, **client_kwargs)
        if not client_kwargs and status == 404 and path != "/no-such-thing":
            # Anonymous: the route may match and ask for credentials first.
            assert_json_error(response, (401, 404))
        else:
            assert_json_error(response, status)


def test_a_405_names_the_allowed_methods(role_users):
    response = Client().post(f"{API}/units", **bearer(role_users["staff"]))
    assert_json_error(response, 405)
    assert "GET" in response["Allow"]


def test_pages_outside_the_api_keep_their_html_404(role_users):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
