"""The keyed audit chain (issue 13.3): each event names how its hash was made.

Events recorded before this migration keep their plain SHA-256 hash (scheme "sha256").
If there are any, a keyed "audit.chain_keyed" event is appended after them: its HMAC
covers their last hash, so from then on they cannot be rewritten without the key
either, and the verifier refuses an unkeyed chain that no keyed event seals.
"""

from django.db import migrations, models
from django.utils import timezone


def seal_unkeyed_events(apps, schema_editor):
    from rkpk.core import audit

    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    last = AuditEvent.objects.order_by("-seq").first()
    if last is None:
        return
    unkeyed = AuditEvent.objects.count()
    key_id, _key = audit.current_key()
    event = AuditEvent(
        seq=last.seq + 1,
        at=timezone.now(),
        actor=None,
        actor_name="system",
        action=audit.CHAIN_KEYED_ACTION,
        object_type="core.auditevent",
        object_id="",
        object_repr="audit chain",
        before=None,
        after={"legacy_events": unkeyed, "legacy_head": last.hash, "key_id": key_id},
        client_address=None,
        prev_hash=last.hash,
    )
    audit.sign_event(event)
    event.save()
    AuditChainHead.objects.update_or_create(
        id=1, defaults={"last_seq": event.seq, "last_hash": event.hash}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="scheme",
            field=models.CharField(default="sha256", editable=False, max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", editable=False, max_length=16),
        ),
        # Not reversible in substance: the sealing event stays (the trail is append-only).
        migrations.RunPython(seal_unkeyed_events, migrations.RunPython.noop),
    ]
