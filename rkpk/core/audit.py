"""The audit trail: append-only events in a hash chain.

Every service that changes state calls `record()` inside its transaction, so an
event exists exactly when the change was committed.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from rkpk.core.middleware import current_client_address
from rkpk.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def to_json(value):
    """Normalise a value to what a JSON column returns when read back."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The audited state of a model instance: concrete fields (foreign keys as ids)."""
    names = set(fields) if fields is not None else None
    data = {}
    for field in instance._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        data[field.attname] = field.value_from_object(instance)
    return to_json(data)


def event_payload(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "client_address": event.client_address,
        "prev_hash": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    canonical = json.dumps(
        event_payload(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain. Call inside the transaction of the change."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        is_user = actor is not None and getattr(actor, "pk", None) is not None
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor if is_user else None,
            actor_name=(actor.get_username() if is_user else (str(actor) if actor else "system")),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:300],
            before=to_json(before) if before is not None else None,
            after=to_json(after) if after is not None else None,
            client_address=current_client_address(),
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        AuditChainHead.objects.filter(id=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain from the start; report the first event that does not link."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(
                checked, expected_seq, f"event #{expected_seq} is missing (next is #{event.seq})"
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked, event.seq, f"event #{event.seq} does not link to the previous event"
            )
        if compute_hash(event) != event.hash:
            return ChainReport(checked, event.seq, f"event #{event.seq} was altered")
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != checked:
        return ChainReport(
            checked,
            checked + 1,
            f"events #{checked + 1} to #{last_seq} are missing from the end of the chain",
        )
    if head and head.last_hash != prev_hash:
        return ChainReport(checked, checked, f"event #{checked} differs from the recorded end")
    return ChainReport(checked)
