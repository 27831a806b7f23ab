"""Personal API tokens: the console command, the endpoints, and what makes a token fail."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from rkpk.api import services
from rkpk.api.models import ApiToken
from rkpk.core.models import AuditEvent
from rkpk.procedure.models import Cycle

from .conftest import API

pytestmark = pytest.mark.django_db


def create_with_command(username: str, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", username, "--name", "ci", *extra, stdout=out, stderr=err)
    return out.getvalue().strip()


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_end_to_end_command_call_revoke(role_users):
    secret = create_with_command("u_staff", "--days", "30")
    token = ApiToken.objects.get()
    # Only the hash is stored; the secret appears in no column.
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.key_hash}
    assert secret.startswith(token.prefix)
    assert token.expires_at - timezone.now() > timedelta(days=29)
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()

    client = Client()  # no session: the header alone authenticates
    response = client.get(f"{API}/units", **bearer(secret))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    # Token requests need no CSRF token: a header is not sent by a browser on its own.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"{API}/cycles",
        {"year": 2029, "start_date": "2026-01-05"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201, response.content
    assert Cycle.objects.get(year=2029).created_by == role_users["staff"]

    response = client.delete(f"{API}/tokens/{token.pk}", **bearer(secret))
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()
    assert client.get(f"{API}/units", **bearer(secret)).status_code == 401


def test_command_refuses_unknown_users_and_bad_lifetimes(role_users):
    with pytest.raises(CommandError):
        create_with_command("nosuchuser")
    with pytest.raises(CommandError):
        create_with_command("u_staff", "--days", "0")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("header", ["Bearer rkpk_wrong", "Bearer nonsense", "Bearer "])
def test_unknown_tokens_get_401(role_users, header):
    response = Client().get(f"{API}/units", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_bad_token_is_401_even_with_a_valid_session(role_users, api_as):
    client = api_as(role_users["staff"])
    assert client.get(f"{API}/units").status_code == 200
    assert client.get(f"{API}/units", **bearer("rkpk_wrong")).status_code == 401


def test_expired_tokens_get_401(role_users):
    secret = create_with_command("u_staff", "--days", "1")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(f"{API}/units", **bearer(secret)).status_code == 401


def test_inactive_users_tokens_do_not_work(role_users):
    secret = create_with_command("u_staff")
    assert Client().get(f"{API}/units", **bearer(secret)).status_code == 200
    role_users["staff"].is_active = False
    role_users["staff"].save()
    assert Client().get(f"{API}/units", **bearer(secret)).status_code == 401


def test_demo_accounts_tokens_work_only_with_debug_on(role_users, settings):
    role_users["staff"].is_demo = True
    role_users["staff"].save()
    secret = create_with_command("u_staff")
    settings.DEBUG = False
    assert Client().get(f"{API}/units", **bearer(secret)).status_code == 401
    settings.DEBUG = True
    assert Client().get(f"{API}/units", **bearer(secret)).status_code == 200


def test_a_token_acts_with_its_owners_roles(role_users):
    secret = create_with_command("u_viewer")
    response = Client().post(
        f"{API}/cycles",
        {"year": 2029, "start_date": "2026-01-05"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
    assert not Cycle.objects.exists()


# --- Endpoints ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", "viewer", "unit_operator", "minister"])
def test_users_with_a_role_create_list_and_revoke_their_tokens(role_users, api_as, role):
    client = api_as(role_users[role])
    response = client.post(
        f"{API}/tokens", {"name": "laptop", "days": 7}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    secret = created["token"]
    token = ApiToken.objects.get(pk=created["id"])
    assert token.user == role_users[role]
    assert token.key_hash == services.hash_secret(secret)
    assert created["prefix"] == token.prefix and created["expires_at"]
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()

    listed = client.get(f"{API}/tokens").json()
    assert [t["id"] for t in listed] == [token.pk]
    assert "token" not in listed[0] and secret not in str(listed)

    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    assert client.get(f"{API}/tokens").json()[0]["revoked_at"]
    assert Client().get(f"{API}/units", **bearer(secret)).status_code == 401
    # Revoking twice changes nothing and records nothing more.
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_users_without_a_role_may_not_have_tokens(role_users, api_as):
    client = api_as(role_users["nobody"])
    response = client.post(f"{API}/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert client.get(f"{API}/tokens").status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_cannot_create_tokens(role_users):
    secret = create_with_command("u_staff")
    response = Client().post(
        f"{API}/tokens", {"name": "more"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


def test_others_tokens_are_neither_listed_nor_revocable(role_users, api_as):
    create_with_command("u_staff")
    theirs = ApiToken.objects.get()
    client = api_as(role_users["admin"])
    assert client.get(f"{API}/tokens").json() == []
    assert client.delete(f"{API}/tokens/{theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_token_creation_validates_its_input(role_users, api_as):
    client = api_as(role_users["staff"])
    response = client.post(f"{API}/tokens", {"name": "  "}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    response = client.post(
        f"{API}/tokens", {"name": "x", "days": 0}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "days"
    assert not ApiToken.objects.exists()
