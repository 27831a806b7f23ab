"""Dispatch of registered documents and the expedition book (buku ekspedisi).

A registered (signed and numbered) document is dispatched to one, several or all units
and to named addressees outside the system ("Menteri Negara PAN") in one action: one
Recipient line per addressee, written with one INSERT. Electronic lines are delivered at
once; a hard copy's delivery by courier is entered by hand afterwards. Each line then
records when a user of the unit first opened the document and who acknowledged receipt.

Every write here: keyword-only, `actor` first, one transaction, an audit event and a
signal (rkpk.correspondence.signals) for the apps above, e.g. the ministry RK-PK whose
procedure steps a dispatch completes. What a document made for such an app may carry and
when it may go is asked of its purpose (rkpk.correspondence.purposes).
"""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.correspondence import purposes, signals
from rkpk.correspondence.models import Document, DocumentAttachment, Recipient
from rkpk.notifications.services import notify
from rkpk.organisation import roles
from rkpk.organisation.models import UNIT_ROLES, Unit, User
from rkpk.plans.services import (
    ALLOWED_ATTACHMENTS,
    CONTROL_CHARACTERS,
    MAX_ATTACHMENT_BYTES,
    check_attachment,
)

Status = Document.Status
Method = Recipient.Method
MAX_ATTACHMENTS = 10
MAX_OTHERS = 50


# --- Reads ----------------------------------------------------------------------------------


def get_visible(user, pk: int) -> Document:
    """The document if the user may see it; 404 otherwise (its existence is not revealed)."""
    from rkpk.correspondence.selectors import documents_for

    document = documents_for(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def may_dispatch(user) -> bool:
    return user.has_perm("correspondence.dispatch")


def can_be_dispatched(document: Document) -> bool:
    return document.status in (Status.REGISTERED, Status.DISPATCHED)


def recipient_lines(user, document: Document):
    """The expedition book's lines the user may read: all of them for the ministry's roles,
    their own unit's lines for a unit's people. One query, people and units joined."""
    lines = document.recipients.select_related("unit", "opened_by", "acknowledged_by")
    if roles.sees_whole_ministry(user):
        return lines
    return lines.filter(unit_id__in=roles.unit_ids(user))


def may_acknowledge(user, recipient: Recipient) -> bool:
    return recipient.unit_id is not None and recipient.unit_id in roles.unit_ids(user)


def document_url(document: Document) -> str:
    """The document page (the web UI's URL name, or its path under /correspondence/)."""
    for name in ("correspondence:document_detail", "correspondence:document"):
        try:
            return reverse(name, args=[document.pk])
        except NoReverseMatch:
            continue
    return f"/correspondence/{document.pk}/"


# --- Dispatch -------------------------------------------------------------------------------


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def _refuse_unless_dispatchable(document: Document) -> None:
    if document.status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
        raise ValidationError(
            _(
                "The document is %(status)s: it is dispatched only after it has been signed "
                "and registered (numbered)."
            )
            % {"status": document.get_status_display().lower()},
            code="not_signed",
        )
    if document.status == Status.SIGNED:
        raise ValidationError(
            _("The document is signed but not registered yet: register (number) it first."),
            code="not_registered",
        )
    if document.status == Status.SUPERSEDED:
        raise ValidationError(
            _("This version was superseded by a correction; dispatch the new version."),
            code="superseded",
        )


def _units(units, all_units: bool) -> list[Unit]:
    if all_units:
        return list(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))
    wanted = {getattr(u, "pk", u) for u in units or ()}
    if not wanted:
        return []
    try:
        wanted = {int(pk) for pk in wanted}
    except (TypeError, ValueError) as error:
        raise ValidationError({"units": _("Choose units from the list.")}) from error
    found = list(Unit.objects.filter(pk__in=wanted, is_active=True).order_by("sort_order", "code"))
    if len(found) != len(wanted):
        raise ValidationError({"units": _("One of the chosen units is unknown or inactive.")})
    return found


def _others(others) -> list[str]:
    names, seen = [], set()
    for raw in others or ():
        name = " ".join(str(raw or "").translate(CONTROL_CHARACTERS).split())
        if not name or name.lower() in seen:
            continue
        if len(name) > 200:
            raise ValidationError(
                {
                    "others": _("A recipient's name has at most 200 characters: %(n)s…")
                    % {"n": name[:40]}
                }
            )
        seen.add(name.lower())
        names.append(name)
    if len(names) > MAX_OTHERS:
        raise ValidationError(
            {"others": _("At most %(n)s named recipients at once.") % {"n": MAX_OTHERS}}
        )
    return names


def _checked_attachments(attachments) -> list[tuple[str, bytes, str]]:
    attachments = list(attachments or ())
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("At most %(n)s attachments at once.") % {"n": MAX_ATTACHMENTS}}
        )
    checked = []
    for upload in attachments:
        name = (getattr(upload, "name", "") or "lampiran").rsplit("/", 1)[-1][:200]
        if (getattr(upload, "size", 0) or 0) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"attachments": _("%(name)s is larger than 10 MB.") % {"name": name}}
            )
        data = upload.read()
        try:
            mime = check_attachment(name, data)
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
        checked.append((name, data, mime))
    return checked


def _store_attachments(document: Document, checked) -> list[DocumentAttachment]:
    stored = []
    for name, data, mime in checked:
        attachment = DocumentAttachment(
            document=document,
            original_name=name,
            content_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        # A random stored name: the user's file name never becomes a path.
        attachment.file.save(
            f"{secrets.token_hex(16)}.{ALLOWED_ATTACHMENTS[mime]}", ContentFile(data), save=False
        )
        attachment.save()
        stored.append(attachment)
    return stored


def _people_to_tell(unit_ids: list[int], extra_roles: tuple[str, ...]):
    """The operators and heads of the units, and the holders of `extra_roles`: one query."""
    condition = Q(role_assignments__role__in=UNIT_ROLES, role_assignments__unit_id__in=unit_ids)
    if extra_roles:
        condition |= Q(role_assignments__role__in=extra_roles)
    return User.objects.filter(condition, is_active=True).distinct()


def _new_recipients(
    document: Document, units, all_units: bool, others
) -> tuple[list[Unit], list[str]]:
    """The chosen units and named addressees that do not have the document yet."""
    chosen_units = _units(units, all_units)
    chosen_others = _others(others)
    if not chosen_units and not chosen_others:
        raise ValidationError(
            _("Choose at least one recipient: a unit, all units, or a named addressee."),
            code="no_recipients",
        )
    existing = list(document.recipients.values_list("unit_id", "name"))
    had_units = {unit_id for unit_id, _name in existing if unit_id is not None}
    had_names = {name.lower() for unit_id, name in existing if unit_id is None}
    new_units = [u for u in chosen_units if u.pk not in had_units]
    new_others = [n for n in chosen_others if n.lower() not in had_names]
    if not new_units and not new_others:
        raise ValidationError(
            _("Every chosen recipient has already been sent this document."),
            code="already_sent",
        )
    return new_units, new_others


def _write_lines(
    document: Document, new_units: list[Unit], new_others: list[str], method: str, now
) -> list[Recipient]:
    """The expedition-book lines, one per addressee, in one INSERT; an electronic line is
    delivered at once."""
    delivered = now if method == Method.ELECTRONIC else None
    lines = [
        Recipient(
            document=document, unit=u, name=u.name[:200], method=method, delivered_at=delivered
        )
        for u in new_units
    ] + [
        Recipient(document=document, name=n, method=method, delivered_at=delivered)
        for n in new_others
    ]
    return Recipient.objects.bulk_create(lines)


@transaction.atomic
def dispatch(
    *,
    actor,
    document: Document,
    units=(),
    all_units: bool = False,
    others: list[str] = (),
    method: str = Method.ELECTRONIC,
    attachments=(),
) -> list[Recipient]:
    """Send a registered document to units (some, or all active ones) and named addressees.

    A document already dispatched can be sent to further recipients; those who have it are
    left alone. Returns the new expedition-book lines.
    """
    document = _locked(document)
    if not may_dispatch(actor):
        raise PermissionDenied(_("The bureau's staff dispatch official documents."))
    _refuse_unless_dispatchable(document)
    purpose = purposes.of(document)
    purpose.refuse_dispatch(document)
    if method not in Method.values:
        raise ValidationError({"method": _("Choose electronic or courier delivery.")})
    new_units, new_others = _new_recipients(document, units, all_units, others)
    # E.g. the signed RK-PK travels with the documents that carry it, without being uploaded.
    checked = _checked_attachments(attachments) + purpose.enclosures(document)

    now = timezone.now()
    lines = _write_lines(document, new_units, new_others, method, now)
    stored = _store_attachments(document, checked)
    first = document.status != Status.DISPATCHED
    document.status = Status.DISPATCHED
    document.dispatched_at = document.dispatched_at or now
    document.save(update_fields=["status", "dispatched_at"])
    audit.record(
        actor=actor,
        action="document.dispatched",
        obj=document,
        after={
            "recipients": len(lines),
            "units": len(new_units),
            "all_units": bool(all_units),
            "others": new_others,
            "method": method,
            "attachments": [a.original_name for a in stored],
            "first_dispatch": first,
        },
    )
    notify(
        recipients=_people_to_tell([u.pk for u in new_units], purpose.notify_roles(document)),
        event="correspondence.dispatched",
        title=_("Official document %(number)s: %(subject)s")
        % {"number": document.number, "subject": document.subject},
        body=_("From the %(position)s. Open it and acknowledge receipt.")
        % {"position": document.signer_position},
        url=document_url(document),
    )
    signals.document_dispatched.send(sender=Document, document=document, actor=actor)
    return lines


# --- The expedition book --------------------------------------------------------------------


def _locked_line(recipient: Recipient) -> Recipient:
    return (
        Recipient.objects.select_for_update(of=("self",))
        .select_related("document", "unit")
        .get(pk=recipient.pk)
    )


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(12, 0)))
    raise ValidationError({"delivered_at": _("Give the date and time of the delivery.")})


@transaction.atomic
def record_courier_delivery(
    *, actor, recipient: Recipient, delivered_at, courier: str, received_by_name: str
) -> Recipient:
    """Enter by hand a hard copy's delivery: when, by which courier, received by whom."""
    if not may_dispatch(actor):
        raise PermissionDenied(_("The bureau's staff keep the expedition book."))
    recipient = _locked_line(recipient)
    if recipient.method != Method.COURIER:
        raise ValidationError(
            _("%(name)s received the document electronically; no courier delivery to enter.")
            % {"name": recipient.name}
        )
    if recipient.delivered_at is not None:
        raise ValidationError(
            _("The delivery to %(name)s is already recorded.") % {"name": recipient.name}
        )
    courier = " ".join((courier or "").split())
    received_by_name = " ".join((received_by_name or "").split())
    errors = {}
    if not courier:
        errors["courier"] = _("Name the courier.")
    if not received_by_name:
        errors["received_by_name"] = _("Name the person who received it.")
    when = _as_datetime(delivered_at) if delivered_at else None
    if when is None:
        errors["delivered_at"] = _("Give the date and time of the delivery.")
    elif when > timezone.now() + timedelta(minutes=5):
        errors["delivered_at"] = _("The delivery cannot lie in the future.")
    elif recipient.document.dispatched_at and when < recipient.document.dispatched_at - timedelta(
        days=1
    ):
        errors["delivered_at"] = _("The delivery cannot precede the dispatch.")
    if errors:
        raise ValidationError(errors)
    recipient.delivered_at = when
    recipient.courier = courier[:100]
    recipient.received_by_name = received_by_name[:200]
    recipient.save(update_fields=["delivered_at", "courier", "received_by_name"])
    audit.record(
        actor=actor,
        action="document.courier_delivery",
        obj=recipient.document,
        after={
            "recipient": recipient.name,
            "delivered_at": when.isoformat(),
            "courier": recipient.courier,
            "received_by": recipient.received_by_name,
        },
    )
    signals.document_delivered.send(sender=Document, document=recipient.document, actor=actor)
    return recipient


@transaction.atomic
def mark_opened(*, actor, recipient: Recipient) -> Recipient:
    """The first time a user of the recipient unit opens the document; later opens change
    nothing."""
    if not may_acknowledge(actor, recipient):
        raise PermissionDenied(_("Only a user of the recipient unit opens its copy."))
    updated = Recipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
        opened_at=timezone.now(), opened_by=actor
    )
    recipient.refresh_from_db()
    if updated:
        audit.record(
            actor=actor,
            action="document.opened",
            obj=recipient.document,
            after={"recipient": recipient.name},
        )
    return recipient


@transaction.atomic
def note_opened(*, actor, document: Document) -> int:
    """Mark as opened every line of the document addressed to the actor's units that nobody
    of the unit opened yet (for the document page: one UPDATE). Returns how many."""
    units = roles.unit_ids(actor)
    if not units:
        return 0
    lines = Recipient.objects.filter(document=document, unit_id__in=units, opened_at__isnull=True)
    names = list(lines.values_list("name", flat=True))
    if not names:
        return 0
    count = lines.update(opened_at=timezone.now(), opened_by=actor)
    audit.record(actor=actor, action="document.opened", obj=document, after={"recipients": names})
    return count


@transaction.atomic
def acknowledge(*, actor, recipient: Recipient) -> Recipient:
    """A user of the recipient unit acknowledges receipt (who and when). Twice: no change."""
    recipient = _locked_line(recipient)
    if not may_acknowledge(actor, recipient):
        raise PermissionDenied(_("Only a user of the recipient unit acknowledges its receipt."))
    if recipient.acknowledged_at is not None:
        return recipient
    if recipient.delivered_at is None:
        raise ValidationError(
            _("The hard copy's delivery to %(name)s is not recorded yet.")
            % {"name": recipient.name}
        )
    now = timezone.now()
    recipient.acknowledged_at, recipient.acknowledged_by = now, actor
    fields = ["acknowledged_at", "acknowledged_by"]
    if recipient.opened_at is None:
        recipient.opened_at, recipient.opened_by = now, actor
        fields += ["opened_at", "opened_by"]
    recipient.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="document.acknowledged",
        obj=recipient.document,
        after={"recipient": recipient.name},
    )
    signals.document_acknowledged.send(
        sender=Document, document=recipient.document, actor=actor, recipient=recipient
    )
    return recipient


# --- Export ---------------------------------------------------------------------------------

BOOK_HEADERS = [
    "No",
    "Penerima",
    "Kode unit",
    "Cara",
    "Diterima (waktu)",
    "Kurir",
    "Diterima oleh",
    "Dibuka (waktu)",
    "Dibuka oleh",
    "Tanda terima (waktu)",
    "Tanda terima oleh",
]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else ""


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def expedition_book_xlsx(document: Document) -> bytes:
    """The document's expedition book as a workbook; every cell through safe_cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Buku Ekspedisi"
    sheet.append([safe_cell(f"Buku ekspedisi: {document.number or document.subject}")])
    sheet.append([safe_cell(f"Hal: {document.subject}")])
    sheet.append([])
    sheet.append(BOOK_HEADERS)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    lines = document.recipients.select_related("unit", "opened_by", "acknowledged_by")
    for index, line in enumerate(lines, start=1):
        sheet.append(
            [
                safe_cell(value)
                for value in (
                    index,
                    line.name,
                    line.unit.code if line.unit else "",
                    "Elektronik" if line.method == Method.ELECTRONIC else "Kurir",
                    _when(line.delivered_at),
                    line.courier,
                    line.received_by_name,
                    _when(line.opened_at),
                    _who(line.opened_by),
                    _when(line.acknowledged_at),
                    _who(line.acknowledged_by),
                )
            ]
        )
    for column, width in zip(
        "ABCDEFGHIJK", (5, 45, 14, 12, 18, 20, 25, 18, 20, 18, 20), strict=True
    ):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)
