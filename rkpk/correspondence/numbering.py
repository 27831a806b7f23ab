"""Gapless numbering per register per year.

A number is taken inside the transaction that records it: the year's sequence row is
locked (SELECT ... FOR UPDATE), incremented and the allocation written before the lock
is released. A rolled-back transaction gives its number back, so the sequence has no
gaps; a committed number is never given again, and a cancelled one stays recorded.
"""

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.correspondence.models import NumberAllocation, NumberSequence, Register

ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
TOKEN = re.compile(r"\{(seq(?::0?\d+)?|unit|organisation|classification|month|month_roman|year)\}")
KNOWN = {"seq", "unit", "organisation", "classification", "month", "month_roman", "year"}


def validate_pattern(pattern: str) -> None:
    """A pattern needs exactly one {seq}; unknown {tokens} are refused."""
    found = re.findall(r"\{([^{}]*)\}", pattern)
    unknown = [t for t in found if t.split(":")[0] not in KNOWN]
    if unknown:
        raise ValidationError(
            _("Unknown token(s) in the pattern: %(t)s")
            % {"t": ", ".join("{" + t + "}" for t in unknown)}
        )
    if sum(t.split(":")[0] == "seq" for t in found) != 1:
        raise ValidationError(_("The pattern needs exactly one {seq}."))


def format_number(
    pattern: str,
    *,
    seq: int,
    when: datetime,
    unit: str = "",
    classification: str = "",
    organisation: str | None = None,
) -> str:
    """The number; {organisation} is the organisation profile's short name unless given."""
    if organisation is None and "{organisation}" in pattern:
        from rkpk.organisation.profile import current_profile

        organisation = current_profile().short_name
    local = timezone.localtime(when) if timezone.is_aware(when) else when

    def replace(match):
        token = match.group(1)
        if token.startswith("seq"):
            width = int(token.split(":")[1]) if ":" in token else 0
            return str(seq).zfill(width)
        return {
            "unit": unit,
            "organisation": organisation or "",
            "classification": classification,
            "month": f"{local.month:02d}",
            "month_roman": ROMAN_MONTHS[local.month - 1],
            "year": str(local.year),
        }[token]

    return TOKEN.sub(replace, pattern)


def _locked_sequence(register: Register, year: int) -> NumberSequence:
    try:
        with transaction.atomic():
            return NumberSequence.objects.select_for_update().get_or_create(
                register=register, year=year
            )[0]
    except IntegrityError:
        # Another connection created the year's row at the same moment: lock theirs.
        return NumberSequence.objects.select_for_update().get(register=register, year=year)


@transaction.atomic
def allocate(
    *,
    register: Register,
    actor,
    document=None,
    classification: str = "",
    recipient_summary: str = "",
    subject: str = "",
    when: datetime | None = None,
) -> NumberAllocation:
    """Give the next number of the register's current year and record it."""
    when = when or timezone.now()
    year = timezone.localtime(when).year
    sequence = _locked_sequence(register, year)
    sequence.last_seq += 1
    sequence.save(update_fields=["last_seq"])
    number = format_number(
        register.pattern,
        seq=sequence.last_seq,
        when=when,
        unit=register.unit_code,
        classification=classification or register.classification,
    )
    return NumberAllocation.objects.create(
        register=register,
        year=year,
        seq=sequence.last_seq,
        number=number,
        document=document,
        issued_at=when,
        issued_by=actor if getattr(actor, "pk", None) else None,
        recipient_summary=recipient_summary[:300],
        subject=subject[:300],
    )


@transaction.atomic
def cancel(*, allocation: NumberAllocation, actor, reason: str) -> NumberAllocation:
    """Mark a number cancelled. It stays in the book and is never given again."""
    allocation = NumberAllocation.objects.select_for_update().get(pk=allocation.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the number is cancelled.")})
    if allocation.status == NumberAllocation.Status.CANCELLED:
        raise ValidationError(_("Number %(n)s is already cancelled.") % {"n": allocation.number})
    allocation.status = NumberAllocation.Status.CANCELLED
    allocation.cancelled_at, allocation.cancelled_by = timezone.now(), actor
    allocation.cancel_reason = reason[:300]
    allocation.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return allocation
