"""The audit trail: append-only events in a keyed hash chain, anchored outside the database.

Every service that changes state calls `record()` inside its transaction, so an
event exists exactly when the change was committed.

Each event's hash is an HMAC-SHA256, keyed with `settings.RKPK_AUDIT_KEY`, over its
content and the previous event's hash. Whoever can write to the database but does not
hold the key cannot alter an event and recompute the chain. Events recorded before the
key existed (scheme "sha256") stay as they were; migration 0005 appended a keyed
"audit.chain_keyed" event after them, whose HMAC covers their last hash, so they cannot
be rewritten either once that event exists.

The key is named in each event by its id (`key_id_of`), so a key can be rotated: the new
key goes into RKPK_AUDIT_KEY, the old one into RKPK_AUDIT_OLD_KEYS, and events keep
verifying with the key they were made with. A key, once replaced, is never accepted for
later events (a leaked retired key cannot extend the chain).

Anchors (`write_anchor`, run daily by the worker) append the chain's head (seq, hash,
time), HMAC'd with the key, to a JSON-lines file outside the database
(`anchor_dir()/YYYY-MM.jsonl`) and e-mail it to the administrators. `verify_chain`
checks every anchor against the events: removing events from the end, or rewriting the
chain by someone holding the key, shows as an anchor that no longer matches.
"""

import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core.middleware import current_client_address
from rkpk.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
SCHEME_SHA256 = "sha256"  # unkeyed: the events recorded before migration 0005
SCHEME_HMAC = "hmac-sha256"
CHAIN_KEYED_ACTION = "audit.chain_keyed"


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
    payload = {
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
    if event.scheme != SCHEME_SHA256:
        # The scheme and key are part of what is keyed, so neither can be swapped afterwards.
        payload["scheme"] = event.scheme
        payload["key_id"] = event.key_id
    return payload


def canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_id_of(key: str) -> str:
    """A short public name of a key (a fingerprint of a high-entropy secret reveals nothing)."""
    return hashlib.sha256(b"rkpk-audit-key-id:" + key.encode()).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    key = settings.RKPK_AUDIT_KEY
    return key_id_of(key), key.encode()


def known_keys() -> dict[str, bytes]:
    """Every configured key by id: the current one and the retired ones."""
    keys = {key_id_of(k): k.encode() for k in settings.RKPK_AUDIT_OLD_KEYS if k}
    key_id, key = current_key()
    keys[key_id] = key
    return keys


class UnknownKey(Exception):
    def __init__(self, key_id: str):
        super().__init__(key_id)
        self.key_id = key_id


def compute_hash(event: AuditEvent, keys: dict[str, bytes] | None = None) -> str:
    """The event's hash by its own scheme: plain SHA-256 or HMAC with the key it names."""
    data = canonical(event_payload(event))
    if event.scheme == SCHEME_SHA256:
        return hashlib.sha256(data).hexdigest()
    if event.scheme != SCHEME_HMAC:
        raise ValueError(f"unknown audit hash scheme {event.scheme!r}")
    keys = known_keys() if keys is None else keys
    if event.key_id not in keys:
        raise UnknownKey(event.key_id)
    return hmac.new(keys[event.key_id], data, hashlib.sha256).hexdigest()


def sign_event(event: AuditEvent) -> None:
    """Key a new event with the current key and set its hash."""
    event.scheme = SCHEME_HMAC
    event.key_id, key = current_key()
    event.hash = compute_hash(event, {event.key_id: key})


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
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
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
        sign_event(event)
        event.save()
        AuditChainHead.objects.filter(id=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    #: events at the start of the chain recorded before it was keyed
    unkeyed: int = 0
    anchors_checked: int = 0
    anchor_problems: list[str] = dataclass_field(default_factory=list)

    @property
    def chain_ok(self) -> bool:
        return self.broken_seq is None

    @property
    def ok(self) -> bool:
        return self.chain_ok and not self.anchor_problems

    @property
    def problems(self) -> list[str]:
        return ([] if self.chain_ok else [self.reason]) + self.anchor_problems


def verify_chain(batch_size: int = 2000, *, anchors: bool = True) -> ChainReport:
    """Walk the chain from the start with the keys; report the first event that does not
    link or whose HMAC differs, then every anchor that does not match the events."""
    report = _verify_events(batch_size)
    if anchors:
        report.anchors_checked, report.anchor_problems = verify_anchors()
    return report


@dataclass
class _ChainWalk:
    """Where the walk along the chain stands: the next event expected and what it links
    to, how many events were checked (the first `unkeyed` of them without a key), and the
    keys seen so far."""

    keys: dict
    expected_seq: int = 1
    prev_hash: str = GENESIS_HASH
    checked: int = 0
    unkeyed: int = 0
    key_in_use: str | None = None
    replaced_keys: set[str] = dataclass_field(default_factory=set)

    def broken(self, seq: int, reason: str) -> ChainReport:
        return ChainReport(self.checked, seq, reason, unkeyed=self.unkeyed)


# Each check returns (seq, reason) of the break it finds, or None.


def _link_problem(walk: _ChainWalk, event: AuditEvent):
    seq = event.seq
    if seq != walk.expected_seq:
        return walk.expected_seq, _("event #%(seq)s is missing (next is #%(next)s)") % {
            "seq": walk.expected_seq,
            "next": seq,
        }
    if event.prev_hash != walk.prev_hash:
        return seq, _("event #%(seq)s does not link to the previous event") % {"seq": seq}
    return None


def _key_problem(walk: _ChainWalk, event: AuditEvent):
    """The unkeyed events form a prefix sealed by the first keyed one; a key once replaced
    never comes back."""
    seq = event.seq
    if event.scheme == SCHEME_SHA256:
        # Unkeyed events are only the ones from before the key: a prefix of the chain.
        if walk.checked > walk.unkeyed:
            return seq, _(
                "event #%(seq)s is unkeyed although keyed events precede it: "
                "it was rewritten without the key"
            ) % {"seq": seq}
        walk.unkeyed += 1
        return None
    if walk.unkeyed and walk.checked == walk.unkeyed and not _seals(event, walk.unkeyed):
        return seq, _("event #%(seq)s does not seal the %(count)s unkeyed events before it") % {
            "seq": seq,
            "count": walk.unkeyed,
        }
    if event.key_id != walk.key_in_use:
        if event.key_id in walk.replaced_keys:
            return seq, _(
                "event #%(seq)s is keyed with key %(key)s, which had already been replaced"
            ) % {"seq": seq, "key": event.key_id}
        if walk.key_in_use is not None:
            walk.replaced_keys.add(walk.key_in_use)
        walk.key_in_use = event.key_id
    return None


def _hash_problem(walk: _ChainWalk, event: AuditEvent):
    seq = event.seq
    try:
        expected = compute_hash(event, walk.keys)
    except UnknownKey:
        return seq, _(
            "event #%(seq)s is keyed with key %(key)s, which is not configured "
            "(RKPK_AUDIT_KEY, RKPK_AUDIT_OLD_KEYS)"
        ) % {"seq": seq, "key": event.key_id}
    except ValueError:
        return seq, _("event #%(seq)s has an unknown hash scheme %(scheme)s") % {
            "seq": seq,
            "scheme": event.scheme,
        }
    if not hmac.compare_digest(expected, event.hash):
        return seq, _("event #%(seq)s was altered") % {"seq": seq}
    return None


def _end_problem(walk: _ChainWalk):
    """The walked chain against its recorded end (count and last hash)."""
    checked = walk.checked
    if walk.unkeyed and walk.unkeyed == checked:
        # Anyone can recompute an unkeyed chain; only a keyed event after it vouches for it.
        return 1, _(
            "events #1 to #%(last)s are unkeyed and no keyed event seals them: they may "
            "have been rewritten without the key"
        ) % {"last": checked}
    head = AuditChainHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != checked:
        return checked + 1, _(
            "events #%(first)s to #%(last)s are missing from the end of the chain"
        ) % {"first": checked + 1, "last": last_seq}
    if head and head.last_hash != walk.prev_hash:
        return checked, _("event #%(seq)s differs from the recorded end") % {"seq": checked}
    return None


def _verify_events(batch_size: int) -> ChainReport:
    walk = _ChainWalk(keys=known_keys())
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        problem = (
            _link_problem(walk, event) or _key_problem(walk, event) or _hash_problem(walk, event)
        )
        if problem:
            return walk.broken(*problem)
        walk.prev_hash = event.hash
        walk.expected_seq += 1
        walk.checked += 1
    problem = _end_problem(walk)
    if problem:
        return walk.broken(*problem)
    return ChainReport(walk.checked, unkeyed=walk.unkeyed)


def _seals(event: AuditEvent, unkeyed: int) -> bool:
    after = event.after if isinstance(event.after, dict) else {}
    return event.action == CHAIN_KEYED_ACTION and after.get("legacy_events") == unkeyed


# Anchors: the chain's head written outside the database.

ANCHOR_FIELDS = ("seq", "hash", "event_at", "anchored_at", "key_id")


def anchor_dir() -> Path:
    return Path(settings.RKPK_AUDIT_ANCHOR_DIR or Path(settings.MEDIA_ROOT) / "audit-anchors")


def anchor_mac(anchor: dict, key: bytes) -> str:
    body = canonical({name: anchor[name] for name in ANCHOR_FIELDS})
    return hmac.new(key, b"rkpk-audit-anchor\n" + body, hashlib.sha256).hexdigest()


@dataclass
class Anchor:
    file: str
    line: int
    data: dict

    @property
    def label(self) -> str:
        return _("the anchor of %(time)s (%(file)s, line %(line)s)") % {
            "time": self.data.get("anchored_at", "?"),
            "file": self.file,
            "line": self.line,
        }


def read_anchors() -> tuple[list[Anchor], list[str]]:
    """Every anchor line in the anchor files, oldest file first, and the unreadable lines."""
    anchors, problems = [], []
    directory = anchor_dir()
    if not directory.is_dir():
        return anchors, problems
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    valid = isinstance(data, dict) and all(
                        name in data for name in (*ANCHOR_FIELDS, "mac")
                    )
                    valid = valid and isinstance(data["seq"], int)
                except ValueError:
                    valid = False
                if valid:
                    anchors.append(Anchor(path.name, number, data))
                else:
                    problems.append(
                        _("%(file)s line %(line)s is not a valid anchor")
                        % {"file": path.name, "line": number}
                    )
    return anchors, problems


def verify_anchors() -> tuple[int, list[str]]:
    """Check each anchor's HMAC, then that the event it names still has the anchored hash."""
    anchors, problems = read_anchors()
    keys = known_keys()
    sound = []
    for anchor in anchors:
        key = keys.get(anchor.data["key_id"])
        if key is None:
            problems.append(
                _("%(anchor)s is signed with key %(key)s, which is not configured")
                % {"anchor": anchor.label, "key": anchor.data["key_id"]}
            )
        elif not hmac.compare_digest(anchor_mac(anchor.data, key), str(anchor.data["mac"])):
            problems.append(
                _("%(anchor)s was altered: its signature does not match its content")
                % {"anchor": anchor.label}
            )
        else:
            sound.append(anchor)
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    wanted = sorted({anchor.data["seq"] for anchor in sound})
    stored = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stored.update(AuditEvent.objects.filter(seq__in=chunk).values_list("seq", "hash"))
    for anchor in sound:
        seq, anchored = anchor.data["seq"], anchor.data["hash"]
        values = {"anchor": anchor.label, "seq": seq, "last": last_seq, "anchored": anchored}
        if seq > last_seq:
            problems.append(
                _(
                    "%(anchor)s records event #%(seq)s, but the chain ends at #%(last)s: "
                    "events were removed from the end"
                )
                % values
            )
        elif seq not in stored:
            problems.append(
                _("%(anchor)s records event #%(seq)s, which is missing from the chain") % values
            )
        elif stored[seq] != anchored:
            problems.append(
                _(
                    "%(anchor)s records event #%(seq)s with hash %(anchored)s, but the "
                    "database holds %(stored)s: the chain was rewritten up to this event"
                )
                % {**values, "stored": stored[seq]}
            )
    return len(anchors), problems


def latest_anchor() -> Anchor | None:
    anchors, _problems = read_anchors()
    return max(anchors, key=lambda anchor: anchor.data["seq"], default=None)


def write_anchor(now: datetime | None = None) -> Anchor | None:
    """Append the chain's head to this month's anchor file; None when there is nothing new.

    The file is opened for appending only and synced, so an anchor, once written, is
    never rewritten by the application.
    """
    head = AuditEvent.objects.order_by("-seq").first()
    if head is None:
        return None
    last = latest_anchor()
    if last is not None and (last.data["seq"], last.data["hash"]) == (head.seq, head.hash):
        return None
    now = now or timezone.now()
    key_id, key = current_key()
    data = {
        "seq": head.seq,
        "hash": head.hash,
        "event_at": head.at.isoformat(),
        "anchored_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "key_id": key_id,
    }
    data["mac"] = anchor_mac(data, key)
    directory = anchor_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{timezone.localtime(now):%Y-%m}.jsonl"
    line = (json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n").encode()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    with path.open(encoding="utf-8") as lines:
        number = sum(1 for _line in lines)
    return Anchor(path.name, number, data)
