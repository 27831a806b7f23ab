"""Who gets in: 401 without credentials, CSRF on session writes, inactive users out."""

import pytest
from django.test import Client

from rkpk.procedure.models import Cycle

from .conftest import API

pytestmark = pytest.mark.django_db

EVERY_ENDPOINT = [
    ("get", "/units"),
    ("get", "/units/E1"),
    ("get", "/officials"),
    ("get", "/officials/198001012005012001"),
    ("get", "/standards"),
    ("get", "/standards/latest"),
    ("get", "/standards/1"),
    ("get", "/cycles"),
    ("post", "/cycles"),
    ("get", "/cycles/2027"),
    ("post", "/cycles/2027/steps/1/start"),
    ("post", "/cycles/2027/steps/1/complete"),
    ("post", "/cycles/2027/steps/2/return"),
    ("get", "/calendar/2027"),
    ("get", "/calendar/workdays/add?date=2027-03-05&n=1"),
    ("get", "/calendar/workdays/count?start=2027-03-05&end=2027-03-16"),
    ("post", "/calendar/overrides"),
    ("delete", "/calendar/overrides/2027-02-01"),
    ("post", "/tokens"),
    ("get", "/tokens"),
    ("delete", "/tokens/1"),
]


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_unauthenticated_requests_get_401(method, path):
    response = getattr(Client(), method)(API + path, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_anonymous_requests_without_csrf_token_get_401_not_403(method, path):
    # Without a session there is nothing to forge: the client must learn it is not logged in.
    response = getattr(Client(enforce_csrf_checks=True), method)(
        API + path, content_type="application/json"
    )
    assert response.status_code == 401


def test_an_inactive_users_session_does_not_work(role_users, api_as):
    user = role_users["staff"]
    client = api_as(user)
    user.is_active = False
    user.save()
    assert client.get(f"{API}/units").status_code == 401


def test_session_post_without_csrf_token_is_refused(role_users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users["staff"])
    body = {"year": 2028, "start_date": "2026-01-05"}
    response = client.post(f"{API}/cycles", body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Cycle.objects.exists()

    # The same request with the CSRF token (as the docs page hands it out) goes through.
    client.get(f"{API}/docs")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"{API}/cycles", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content
    assert Cycle.objects.filter(year=2028).exists()


def test_session_reads_need_no_csrf_token(role_users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users["viewer"])
    assert client.get(f"{API}/units").status_code == 200
