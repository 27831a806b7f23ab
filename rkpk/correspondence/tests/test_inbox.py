"""The inbox: what each user must review, sign, register or acknowledge, newest first,
and the counts for the home page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rkpk.correspondence import selectors, services
from rkpk.correspondence.models import Document, Recipient
from rkpk.correspondence.tests.test_services import (
    TO_DEPUTY,
    addressed,
    approved,
    draft,
    signed,
    template,
)
from rkpk.correspondence.tests.test_views import (
    ROLES,
    url,
)

Status = Document.Status


@pytest.fixture
def work(role_users, units):
    """One document waiting at each stage."""
    users = role_users
    in_review = draft(users["staff"])
    services.send_for_review(actor=users["staff"], document=in_review)
    to_sign = approved(users)  # signed by the deputy
    to_register = signed(users, TO_DEPUTY)  # signed by the head of bureau
    delivered = signed(users)
    Document.objects.filter(pk=delivered.pk).update(status=Status.DISPATCHED)
    line_a = addressed(delivered, units["a"])
    acknowledged = addressed(signed(users), units["a"])
    Recipient.objects.filter(pk=acknowledged.pk).update(
        acknowledged_at=timezone.now(), acknowledged_by=users["unit_head"]
    )
    addressed(signed(users), units["a"], delivered=False)  # a hard copy still on its way
    return {
        "review": in_review,
        "sign": to_sign,
        "register": to_register,
        "acknowledge": delivered,
        "line": line_a,
    }


EXPECTED = {
    "admin": set(),
    "staff": {"register"},
    "head_of_section": {"review", "register"},
    "head_of_bureau": {"review", "register"},
    "deputy": {"sign"},
    "minister": set(),
    "unit_operator": {"acknowledge"},
    "unit_head": {"acknowledge"},
    "general_bureau": set(),
    "viewer": set(),
    "operator_b": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_user_sees_their_own_work(role_users, client_for, work, role):
    response = client_for(role_users[role]).get(url("inbox"))
    assert response.status_code == 200
    items = response.context["items"]
    kinds = {item.kind for item in items}
    assert kinds == EXPECTED[role]
    signed_count = Document.objects.filter(status=Status.SIGNED).count()
    for item in items:
        if item.kind in ("review", "sign", "acknowledge"):
            assert item.document == work[item.kind]
    counts = response.context["counts"]
    assert counts["register"] == (signed_count if "register" in EXPECTED[role] else 0)
    assert counts["total"] == len(items)
    assert counts == selectors.inbox_counts(role_users[role])
    if not items:
        assert "Nothing waits for you." in response.content.decode()


def test_a_document_without_review_waits_for_its_signer_at_once(role_users):
    t = template(TO_DEPUTY)
    t.requires_review = False
    t.save()
    document = draft(role_users["staff"], TO_DEPUTY)
    items = selectors.inbox_for(role_users["head_of_bureau"])["items"]
    assert [(i.kind, i.document) for i in items] == [("sign", document)]
    assert selectors.inbox_for(role_users["deputy"])["items"] == []


def test_the_inbox_is_newest_first_and_filters_by_kind(role_users, client_for):
    older = signed(role_users)
    newer = signed(role_users)
    Document.objects.filter(pk=older.pk).update(signed_at=timezone.now() - timedelta(days=3))
    client = client_for(role_users["staff"])
    items = client.get(url("inbox")).context["items"]
    assert [i.document.pk for i in items] == [newer.pk, older.pk]
    response = client.get(url("inbox"), {"kind": "review"})
    assert response.context["items"] == [] and response.context["kind"] == "review"
    assert response.context["counts"]["register"] == 2
    body = response.content.decode()
    assert 'data-count="register">2<' in body


def test_the_acknowledgement_links_to_the_document(role_users, units, client_for, work):
    body = client_for(role_users["unit_operator"]).get(url("inbox")).content.decode()
    assert url("document_detail", work["acknowledge"].pk) in body
    assert work["acknowledge"].subject in body


def test_the_inbox_needs_a_login(client):
    response = client.get(url("inbox"))
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["head_of_bureau", "unit_operator"])
def test_the_inbox_query_count_is_constant(role_users, units, client_for, role):
    client = client_for(role_users[role])

    def count_for(n):
        for _ in range(n):
            document = draft(role_users["staff"])
            services.send_for_review(actor=role_users["staff"], document=document)
            done = signed(role_users, TO_DEPUTY)
            addressed(done, units["a"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("inbox"))
        assert response.status_code == 200
        return len(queries), len(response.context["items"])

    few, n_few = count_for(1)
    many, n_many = count_for(5)
    assert n_many > n_few > 0
    assert few == many


def test_inbox_counts_for_the_home_page(role_users, work):
    assert selectors.inbox_counts(role_users["head_of_bureau"]) == {
        "review": 1,
        "sign": 0,
        "register": Document.objects.filter(status=Status.SIGNED).count(),
        "acknowledge": 0,
        "total": 1 + Document.objects.filter(status=Status.SIGNED).count(),
    }
    assert selectors.inbox_counts(role_users["operator_b"])["total"] == 0
    # The home-page snippet renders the counts with links to the inbox.
    from django.template.loader import render_to_string

    html = render_to_string(
        "correspondence/_inbox_counts.html",
        {"inbox_counts": selectors.inbox_counts(role_users["unit_head"])},
    )
    assert "To acknowledge" in html and "?kind=acknowledge" in html
