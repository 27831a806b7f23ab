"""The keyed audit chain and its anchors (issue 13.3): someone who can write to the
database, but holds neither the key nor the anchor files, cannot rewrite the trail unseen."""

import hashlib
import hmac
import importlib
import json
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from rkpk.core import audit
from rkpk.core.models import AuditChainHead, AuditEvent
from rkpk.core.tests.test_audit import _sql as tamper

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
HEAD_TABLE = AuditChainHead._meta.db_table
KEY_A = "a" * 40
KEY_B = "b" * 40


def record(n: int) -> None:
    for i in range(n):
        audit.record(
            actor=None,
            action="test.changed",
            object_type="thing",
            object_id=str(i),
            after={"value": i},
        )


@pytest.fixture
def chain():
    record(5)


def rewrite(from_seq: int, hasher, change=lambda event: None) -> None:
    """Rewrite the events from `from_seq` on, re-linking each and hashing it with `hasher`,
    and move the head: what someone with write access to the database can do."""
    prev = audit.GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        if event.seq >= from_seq:
            change(event)
            event.prev_hash = prev
            event.hash = hasher(event)
            tamper(
                f"UPDATE {TABLE} SET actor_name = %s, scheme = %s, key_id = %s, "
                "prev_hash = %s, hash = %s WHERE seq = %s",
                [
                    event.actor_name,
                    event.scheme,
                    event.key_id,
                    event.prev_hash,
                    event.hash,
                    event.seq,
                ],
            )
        prev = event.hash
    last = AuditEvent.objects.order_by("-seq").first()
    tamper(f"UPDATE {HEAD_TABLE} SET last_seq = %s, last_hash = %s", [last.seq, last.hash])


def forge_actor(event) -> None:
    if event.seq == 3:
        event.actor_name = "someone else"


def plain_sha256(event) -> str:
    return hashlib.sha256(audit.canonical(audit.event_payload(event))).hexdigest()


def anchor_lines() -> list[dict]:
    lines = []
    for path in sorted(audit.anchor_dir().glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines()]
    return lines


def test_events_are_keyed_and_the_intact_chain_and_its_anchor_verify(chain):
    event = AuditEvent.objects.get(seq=3)
    assert event.scheme == audit.SCHEME_HMAC
    assert event.key_id == audit.key_id_of(audit.settings.RKPK_AUDIT_KEY)
    assert event.hash != plain_sha256(event)  # not computable without the key
    anchor = audit.write_anchor()
    assert anchor.data["seq"] == 5 and anchor.data["hash"] == AuditEvent.objects.get(seq=5).hash
    assert [line["seq"] for line in anchor_lines()] == [5]
    record(2)
    audit.write_anchor()
    report = audit.verify_chain()
    assert report.ok, report.problems
    assert (report.checked, report.anchors_checked, report.unkeyed) == (7, 2, 0)
    call_command("verify_audit")


def test_an_anchor_is_written_once_per_head(chain):
    assert audit.write_anchor() is not None
    assert audit.write_anchor() is None
    assert len(anchor_lines()) == 1


@pytest.mark.parametrize(
    "hasher",
    [
        plain_sha256,
        lambda e: hmac.new(
            b"a guessed key", audit.canonical(audit.event_payload(e)), "sha256"
        ).hexdigest(),
    ],
    ids=["plain-sha256", "wrong-key"],
)
def test_a_chain_recomputed_without_the_key_fails_at_the_altered_event(chain, hasher):
    rewrite(3, hasher, forge_actor)
    report = audit.verify_chain()
    assert report.broken_seq == 3 and "altered" in report.reason
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


def test_a_chain_rewritten_as_unkeyed_is_refused(chain):
    # The attacker marks every event as from before the key, where plain SHA-256 is the rule.
    def unkeyed(event):
        forge_actor(event)
        event.scheme, event.key_id = audit.SCHEME_SHA256, ""

    audit.write_anchor()
    rewrite(1, audit.compute_hash, unkeyed)
    report = audit.verify_chain()
    assert report.broken_seq == 1 and "no keyed event seals them" in report.reason
    # The anchor names the event it recorded and both hashes.
    [problem] = report.anchor_problems
    assert "records event #5" in problem and "rewritten" in problem
    assert AuditEvent.objects.get(seq=5).hash in problem


def test_an_unkeyed_event_after_keyed_ones_is_refused(chain):
    def unkeyed(event):
        forge_actor(event)
        event.scheme, event.key_id = audit.SCHEME_SHA256, ""

    rewrite(3, audit.compute_hash, unkeyed)
    report = audit.verify_chain()
    assert report.broken_seq == 3 and "unkeyed although keyed events precede it" in report.reason


def test_a_key_of_the_attackers_own_is_not_accepted(chain):
    own_key = b"the attacker's own key"

    def own(event):
        forge_actor(event)
        event.key_id = audit.key_id_of(own_key.decode())

    rewrite(3, lambda e: audit.compute_hash(e, {e.key_id: own_key}), own)
    report = audit.verify_chain()
    assert report.broken_seq == 3 and "not configured" in report.reason


def test_removing_events_after_an_anchor_is_detected(chain):
    audit.write_anchor()
    tamper(f"DELETE FROM {TABLE} WHERE seq >= 4", [])
    three = AuditEvent.objects.get(seq=3)
    tamper(f"UPDATE {HEAD_TABLE} SET last_seq = 3, last_hash = %s", [three.hash])
    report = audit.verify_chain()
    assert report.chain_ok  # the shortened chain is consistent in itself
    [problem] = report.anchor_problems
    anchor = anchor_lines()[0]
    assert "records event #5, but the chain ends at #3" in problem
    assert anchor["anchored_at"] in problem and ".jsonl, line 1" in problem
    with pytest.raises(CommandError, match="removed from the end"):
        call_command("verify_audit")


def test_a_chain_rewritten_with_the_key_differs_from_its_anchor(chain, settings):
    # Even the key's holder cannot rewrite what an anchor has recorded.
    audit.write_anchor()
    rewrite(3, audit.compute_hash, forge_actor)
    report = audit.verify_chain()
    assert report.chain_ok
    [problem] = report.anchor_problems
    assert "records event #5 with hash" in problem


@pytest.mark.parametrize(
    "edit",
    [
        lambda line: line.replace('"seq": 5', '"seq": 4'),
        lambda line: line.replace('"hash": "', '"hash": "f'),
        lambda line: "{not json",
    ],
    ids=["seq", "hash", "garbage"],
)
def test_a_tampered_anchor_file_is_detected(chain, edit):
    anchor = audit.write_anchor()
    path = audit.anchor_dir() / anchor.file
    path.write_text(edit(path.read_text().strip()) + "\n")
    report = audit.verify_chain()
    assert report.chain_ok
    [problem] = report.anchor_problems
    assert anchor.file in problem and "line 1" in problem
    assert "was altered" in problem or "not a valid anchor" in problem
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_a_rotated_key_verifies_old_events_only_while_it_is_kept(settings):
    settings.RKPK_AUDIT_KEY = KEY_A
    record(2)
    settings.RKPK_AUDIT_KEY, settings.RKPK_AUDIT_OLD_KEYS = KEY_B, [KEY_A]
    record(2)
    ids = list(AuditEvent.objects.order_by("seq").values_list("key_id", flat=True))
    assert ids == [audit.key_id_of(KEY_A)] * 2 + [audit.key_id_of(KEY_B)] * 2
    assert audit.verify_chain().ok
    settings.RKPK_AUDIT_OLD_KEYS = []
    report = audit.verify_chain()
    assert report.broken_seq == 1 and "not configured" in report.reason


def test_a_retired_key_cannot_extend_the_chain(settings):
    # A leaked old key lets its holder compute HMACs, but not after its replacement.
    settings.RKPK_AUDIT_KEY = KEY_A
    record(2)
    settings.RKPK_AUDIT_KEY, settings.RKPK_AUDIT_OLD_KEYS = KEY_B, [KEY_A]
    record(2)
    settings.RKPK_AUDIT_KEY, settings.RKPK_AUDIT_OLD_KEYS = KEY_A, [KEY_B]
    record(1)
    report = audit.verify_chain()
    assert report.broken_seq == 5 and "already been replaced" in report.reason


def test_events_from_before_the_key_are_sealed_by_the_migration():
    seal = importlib.import_module("rkpk.core.migrations.0005_audit_keyed_chain")
    prev = audit.GENESIS_HASH
    for n in range(1, 4):  # as recorded before 0005: plain SHA-256
        event = AuditEvent(
            seq=n,
            at=audit.timezone.now(),
            actor_name="system",
            action="old.thing",
            object_type="x",
            object_id=str(n),
            prev_hash=prev,
            scheme=audit.SCHEME_SHA256,
        )
        event.hash = audit.compute_hash(event)
        event.save()
        prev = event.hash
    AuditChainHead.objects.update_or_create(id=1, defaults={"last_seq": 3, "last_hash": prev})
    report = audit.verify_chain()
    assert report.broken_seq == 1 and "no keyed event seals them" in report.reason

    seal.seal_unkeyed_events(apps, None)
    record(1)
    sealing = AuditEvent.objects.get(seq=4)
    assert sealing.action == audit.CHAIN_KEYED_ACTION and sealing.after["legacy_events"] == 3
    report = audit.verify_chain()
    assert report.ok and report.unkeyed == 3

    # Rewriting an unkeyed event, even with its own (keyless) scheme, breaks the sealing link.
    def old(event):
        if event.seq == 2:
            event.actor_name = "someone else"

    event = AuditEvent.objects.get(seq=2)
    old(event)
    tamper(
        f"UPDATE {TABLE} SET actor_name = %s, hash = %s WHERE seq = 2",
        [event.actor_name, audit.compute_hash(event)],
    )
    rewrite(3, lambda e: audit.compute_hash(e) if e.seq == 3 else e.hash)
    report = audit.verify_chain()
    # The attacker re-linked the sealing event, but cannot recompute its HMAC.
    assert report.broken_seq == 4 and "altered" in report.reason


@pytest.mark.django_db(transaction=True)
def test_the_daily_anchor_job_writes_the_file_and_mails_the_administrators(make_user):
    from rkpk.core.tasks import anchor_audit_chain

    make_user("admin1", "admin", email="admin@example.go.id")
    make_user("staff1", "staff", email="staff@example.go.id")
    record(3)
    result = anchor_audit_chain.call()
    head = AuditEvent.objects.order_by("-seq").first()
    assert result == {"anchored": True, "seq": head.seq, "hash": head.hash, "file": result["file"]}
    assert [m.to for m in mail.outbox] == [["admin@example.go.id"]]
    assert head.hash in mail.outbox[0].body and f"#{head.seq}" in mail.outbox[0].subject
    assert anchor_lines()[-1]["hash"] == head.hash
    # Twice in a day: nothing new to anchor, no second e-mail.
    assert anchor_audit_chain.call()["anchored"] is False
    assert len(mail.outbox) == 1 and len(anchor_lines()) == 1
    # A broken chain is not anchored (verify_audit_trail raises the alarm).
    tamper(f"UPDATE {TABLE} SET action = 'forged' WHERE seq = 2", [])
    record(1)
    assert anchor_audit_chain.call()["anchored"] is False
    assert len(anchor_lines()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_daily_check_mails_anchor_problems(make_user):
    from rkpk.core.tasks import verify_audit_trail

    make_user("admin1", "admin", email="admin@example.go.id")
    record(3)
    audit.write_anchor()
    tamper(f"DELETE FROM {TABLE} WHERE seq = 3", [])
    result = verify_audit_trail.call()
    assert result["ok"] is False and result["anchor_problems"] == 1
    assert "records event #3" in mail.outbox[0].body


def test_settings_refuse_to_start_without_an_audit_key_in_production():
    env = {
        **os.environ,
        "DEBUG": "0",
        "RKPK_TESTING": "",
        "SECRET_KEY": "x" * 60,
        "RKPK_AUDIT_KEY": "",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import rkpk.settings",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "RKPK_AUDIT_KEY must be set" in result.stderr
