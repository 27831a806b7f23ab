from datetime import timedelta

import pytest
from django.test import Client

from rkpk.core.calendar import today
from rkpk.organisation.models import Official
from rkpk.procedure import services as procedure_services

API = "/api/v1"


@pytest.fixture
def api_as():
    """A fresh logged-in client per user (the shared `client` fixture holds one session)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def officials(units):
    return {
        "a": Official.objects.create(
            name="Ani Rahma", nip="198001012005012001", position="Kepala Biro A", unit=units["a"]
        ),
        "b": Official.objects.create(
            name="Budi Santoso", nip="198102022006021002", position="Kepala Biro B", unit=units["b"]
        ),
    }


@pytest.fixture
def cycle(role_users):
    """A cycle of the seeded 13-step standard that started a month ago, nothing done yet."""
    return procedure_services.start_cycle(
        actor=role_users["staff"], year=2027, start_date=today() - timedelta(days=30)
    )
