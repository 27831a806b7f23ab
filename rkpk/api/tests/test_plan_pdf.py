"""A plan's PDF through the API: sent from its stored rendering, or 202 while the background
worker renders it (the API, like the page, never renders a PDF inside a request)."""

from unittest import mock

import pytest

from rkpk.api.tests.conftest import API
from rkpk.plans import rendered
from rkpk.plans.tests.factories import complete_plan
from rkpk.plans.tests.test_documents import render_queued_pdfs

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units):
    return complete_plan(units["a"])


def pdf_url(plan, doc="pk"):
    return f"{API}/plans/{plan.unit.code}/{plan.year}/documents/{doc}.pdf"


def test_a_pdf_is_rendered_by_the_worker_then_sent_from_disk(plan, role_users, api_as):
    client = api_as(role_users["unit_operator"])
    with mock.patch.object(rendered, "render_pdf", wraps=rendered.render_pdf) as renders:
        pending = client.get(pdf_url(plan))
        assert pending.status_code == 202
        assert pending["Retry-After"] == "2"
        assert pending.json()["status"] == "queued"
        assert client.get(pdf_url(plan)).status_code == 202  # the same job, not a second
        assert renders.call_count == 0
        render_queued_pdfs()
        assert renders.call_count == 1
        response = client.get(pdf_url(plan))
        assert renders.call_count == 1  # sent as stored
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="PK-2027-E1.A.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_another_units_operator_gets_nothing_and_queues_nothing(plan, role_users, api_as):
    from django_tasks_db.models import DBTaskResult

    assert api_as(role_users["operator_b"]).get(pdf_url(plan)).status_code == 404
    assert api_as(None).get(pdf_url(plan)).status_code == 401
    assert not DBTaskResult.objects.exists()


def test_docx_is_still_sent_at_once(plan, role_users, api_as):
    response = api_as(role_users["staff"]).get(
        f"{API}/plans/{plan.unit.code}/{plan.year}/documents/pk.docx"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
