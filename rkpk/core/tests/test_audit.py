import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from rkpk.core import audit
from rkpk.core.models import AuditChainHead, AuditEvent
from rkpk.core.tests.role_matrix import row

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(make_user):
    admin = make_user("admin1", "admin")
    for n in range(5):
        audit.record(
            actor=admin,
            action="test.changed",
            object_type="thing",
            object_id=str(n),
            before={"value": n},
            after={"value": n + 1, "text": "Rp1.234,5 ✓"},
        )
    return admin


def test_events_link_into_a_chain(chain):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == audit.GENESIS_HASH
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert events[0].actor_name == "admin1"
    assert audit.verify_chain().ok
    call_command("verify_audit")


def test_the_trail_cannot_be_changed_through_the_orm(chain):
    event = AuditEvent.objects.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=1).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def _sql(statement, params):
    """Tamper with the table as someone with database access would (bypassing the app)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser can switch the trigger off
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_changes_to_audit_rows(chain):
    from django.db import DatabaseError, transaction

    for statement in (
        f"UPDATE {AuditEvent._meta.db_table} SET action = 'x' WHERE seq = 1",
        f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 1",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 5


def test_verify_names_the_first_altered_event(chain):
    table = AuditEvent._meta.db_table
    _sql(f"UPDATE {table} SET object_repr = %s WHERE seq = 3", ["edited afterwards"])
    report = audit.verify_chain()
    assert report.broken_seq == 3 and "altered" in report.reason
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


def test_verify_notices_a_removed_event(chain):
    _sql(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 2", [])
    report = audit.verify_chain()
    assert report.broken_seq == 2 and "missing" in report.reason


def test_verify_notices_events_removed_from_the_end(chain):
    _sql(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq >= 4", [])
    report = audit.verify_chain()
    assert report.broken_seq == 4
    assert AuditChainHead.objects.get().last_seq == 5


def test_verify_notices_a_rewritten_chain(chain):
    # Altering an event and recomputing its own hash still breaks the next link.
    event = AuditEvent.objects.get(seq=2)
    event.actor_name = "someone else"
    new_hash = audit.compute_hash(event)
    _sql(
        f"UPDATE {AuditEvent._meta.db_table} SET actor_name = %s, hash = %s WHERE seq = 2",
        ["someone else", new_hash],
    )
    report = audit.verify_chain()
    assert report.broken_seq == 3 and "link" in report.reason


def test_the_client_address_is_recorded_from_the_request(role_users, client):
    client.force_login(role_users["admin"])
    client.post(
        reverse("core:calendar_override_create"),
        {"date": "2027-02-01", "kind": "closed", "reason": "SKB"},
        REMOTE_ADDR="10.1.2.3",
    )
    event = AuditEvent.objects.get(action="calendar.override_set")
    assert event.client_address == "10.1.2.3"
    assert event.actor == role_users["admin"]
    assert event.after["reason"] == "SKB"


def test_audit_page_only_for_admin_and_head_of_bureau(chain, role_matrix):
    auditors = ("admin", "head_of_bureau")
    role_matrix(
        [row("core:audit", allowed=auditors), row("core:audit_detail", 1, allowed=auditors)]
    )


def test_audit_page_filters(chain, role_users, client_for):
    client = client_for(role_users["admin"])
    audit.record(actor=role_users["staff"], action="other.thing", object_type="x")
    page = client.get(reverse("core:audit"), {"action": "other.thing"}).context["page"]
    assert [e.action for e in page.object_list] == ["other.thing"]
    page = client.get(reverse("core:audit"), {"actor": "admin1"}).context["page"]
    assert len(page.object_list) == 5


def test_audit_page_queries_do_not_grow(
    chain, role_users, client_for, django_assert_max_num_queries
):
    client = client_for(role_users["admin"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("core:audit")).status_code == 200
    for n in range(60):
        audit.record(actor=role_users["staff"], action="bulk.thing", object_id=str(n))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:audit"))
        assert response.status_code == 200
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_writers_keep_one_unbroken_chain(make_user):
    import threading

    from django.db import connections

    actor = make_user("admin1", "admin")
    barrier = threading.Barrier(8)
    failures = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(10):
                audit.record(actor=actor, action="test.concurrent", object_id=f"{n}-{i}")
        except Exception as error:  # reported below; a thread cannot fail the test itself
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditEvent.objects.count() == 80
    report = audit.verify_chain()
    assert report.ok, report.reason
