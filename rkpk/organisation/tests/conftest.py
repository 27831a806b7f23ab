import pytest


@pytest.fixture
def admin(role_users):
    return role_users["admin"]


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client
