"""Writes of the correspondence's master data (templates, registers) and of the agenda
book (cancelling a number). Each is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.correspondence import numbering, services
from rkpk.correspondence.models import Document, LetterTemplate, NumberAllocation, Register
from rkpk.organisation.models import Role

TEMPLATE_FIELDS = [
    "key",
    "kind",
    "name",
    "letterhead",
    "subject",
    "body",
    "signer_role",
    "signer_position",
    "register",
    "requires_review",
    "is_active",
]
REGISTER_FIELDS = ["code", "name", "pattern", "unit_code", "classification", "is_active"]


def _require_admin(actor, perm: str) -> None:
    require(actor, perm, message=_("Only the system administrator edits templates and registers."))


def _save(actor, instance, fields: list[str], values: dict, action: str):
    creating = instance.pk is None
    before = {} if creating else audit.snapshot(instance, fields)
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance.save()
    audit.record(
        actor=actor,
        action=f"{action}.{'created' if creating else 'edited'}",
        obj=instance,
        before=before or None,
        after=audit.snapshot(instance, fields),
    )
    return instance


@transaction.atomic
def save_template(*, actor, template: LetterTemplate | None = None, **values) -> LetterTemplate:
    """Create (template=None) or edit a document template."""
    _require_admin(actor, "correspondence.manage_templates")
    if template is not None:
        template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
    register = values.get("register")
    if register is not None and not register.is_active:
        raise ValidationError({"register": _("Choose an active register.")})
    if values.get("signer_role") in (Role.UNIT_OPERATOR, Role.UNIT_HEAD):
        raise ValidationError({"signer_role": _("A unit role does not sign the bureau's mail.")})
    return _save(actor, template or LetterTemplate(), TEMPLATE_FIELDS, values, "letter_template")


@transaction.atomic
def save_register(*, actor, register: Register | None = None, **values) -> Register:
    """Create (register=None) or edit a register. The pattern is checked; numbers already
    given keep the text they were given with."""
    _require_admin(actor, "correspondence.manage_registers")
    if register is not None:
        register = Register.objects.select_for_update().get(pk=register.pk)
    if "pattern" in values:
        try:
            numbering.validate_pattern(values["pattern"] or "")
        except ValidationError as error:
            raise ValidationError({"pattern": error.messages}) from error
    if (
        register is not None
        and "code" in values
        and values["code"] != register.code
        and register.allocations.exists()
    ):
        raise ValidationError(
            {"code": _("The register already gave numbers; its code cannot change.")}
        )
    return _save(actor, register or Register(), REGISTER_FIELDS, values, "register")


def was_dispatched(document: Document | None) -> bool:
    if document is None:
        return False
    return (
        document.status == Document.Status.DISPATCHED
        or document.dispatched_at is not None
        or document.recipients.filter(delivered_at__isnull=False).exists()
    )


@transaction.atomic
def cancel_number(*, actor, allocation: NumberAllocation, reason: str):
    """Cancel a number of the agenda book. It stays recorded as cancelled and is never
    given again.

    A dispatched document's number is never cancelled (the recipients hold it; a
    correction is the way). The number of a registered, undispatched document is
    cancelled by correcting the document: it becomes a new draft version.
    Returns the new version when a document was corrected, else None.
    """
    require(
        actor,
        "correspondence.cancel_number",
        message=_("The bureau's staff keep the agenda books."),
    )
    allocation = NumberAllocation.objects.select_for_update().get(pk=allocation.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the number is cancelled.")})
    if allocation.status == NumberAllocation.Status.CANCELLED:
        raise ValidationError(_("Number %(n)s is already cancelled.") % {"n": allocation.number})
    document = allocation.document
    if was_dispatched(document):
        raise ValidationError(
            _(
                "Number %(n)s belongs to a dispatched document and cannot be cancelled; "
                "make a correction of the document instead."
            )
            % {"n": allocation.number}
        )
    if document is not None and document.status == Document.Status.REGISTERED:
        return services.correct(actor=actor, document=document, reason=reason)
    before = audit.snapshot(allocation, ["status", "cancel_reason"])
    allocation = numbering.cancel(allocation=allocation, actor=actor, reason=reason)
    audit.record(
        actor=actor,
        action="number.cancelled",
        obj=allocation,
        before=before,
        after=audit.snapshot(allocation, ["status", "cancel_reason"]),
    )
    return None
