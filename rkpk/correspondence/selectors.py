"""Reads of the correspondence: what a user may see, their inbox, the agenda books."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from rkpk.correspondence.models import Document, NumberAllocation, Recipient, Register
from rkpk.organisation import roles
from rkpk.organisation.models import Role

Status = Document.Status
# The inbox's kinds of work, in the order the page shows their counts.
INBOX_KINDS = ("review", "sign", "register", "acknowledge")


def documents_for(user) -> QuerySet[Document]:
    """Every document the user may see: all for the ministry's roles, those addressed to
    their unit (a Recipient line) for a unit's people, none otherwise."""
    documents = Document.objects.select_related("register", "cycle", "template")
    if roles.sees_whole_ministry(user):
        return documents
    units = roles.unit_ids(user)
    if not units:
        return documents.none()
    addressed = Recipient.objects.filter(document=OuterRef("pk"), unit_id__in=units)
    return documents.filter(Exists(addressed))


def search_documents(
    user,
    *,
    q: str = "",
    status: str = "",
    kind: str = "",
    register: Register | None = None,
    cycle=None,
) -> QuerySet[Document]:
    documents = documents_for(user)
    if q:
        documents = documents.filter(Q(subject__icontains=q) | Q(number__icontains=q))
    if status:
        documents = documents.filter(status=status)
    if kind:
        documents = documents.filter(kind=kind)
    if register is not None:
        documents = documents.filter(register=register)
    if cycle is not None:
        documents = documents.filter(cycle=cycle)
    return documents.order_by("-created_at", "-id")


# --- Inbox ----------------------------------------------------------------------------------


@dataclass
class InboxItem:
    kind: str  # one of INBOX_KINDS
    document: Document
    at: datetime | None
    recipient: Recipient | None = None


def _to_review(user) -> QuerySet[Document]:
    if not user.has_perm("correspondence.review"):
        return Document.objects.none()
    return Document.objects.filter(status=Status.IN_REVIEW)


def _to_sign(user) -> QuerySet[Document]:
    held = [r for r in roles.role_names(user) if r not in (Role.UNIT_OPERATOR, Role.UNIT_HEAD)]
    if not held:
        return Document.objects.none()
    return Document.objects.filter(signer_role__in=held).filter(
        Q(status=Status.APPROVED) | Q(status=Status.DRAFT, requires_review=False)
    )


def _to_register(user) -> QuerySet[Document]:
    if not user.has_perm("correspondence.register"):
        return Document.objects.none()
    return Document.objects.filter(status=Status.SIGNED)


def _to_acknowledge(user) -> QuerySet[Recipient]:
    units = roles.unit_ids(user)
    if not units:
        return Recipient.objects.none()
    return Recipient.objects.filter(
        unit_id__in=units, delivered_at__isnull=False, acknowledged_at__isnull=True
    )


def inbox_counts(user) -> dict[str, int]:
    """How many documents wait for the user, by kind of work, and the total."""
    counts = {
        "review": _to_review(user).count(),
        "sign": _to_sign(user).count(),
        "register": _to_register(user).count(),
        "acknowledge": _to_acknowledge(user).count(),
    }
    counts["total"] = sum(counts.values())
    return counts


def inbox_for(user, *, kind: str = "", limit: int = 200) -> dict:
    """What the user must do, newest first: documents to review, sign, register and
    acknowledge (at most `limit` of each), with the counts of each kind.

    Returns {"items": [InboxItem], "counts": {kind: n, "total": n}}.
    """
    kinds = [kind] if kind in INBOX_KINDS else list(INBOX_KINDS)
    related = ("register", "created_by")
    items: list[InboxItem] = []
    if "review" in kinds:
        items += [
            InboxItem("review", d, d.created_at)
            for d in _to_review(user).select_related(*related).order_by("-created_at")[:limit]
        ]
    if "sign" in kinds:
        items += [
            InboxItem("sign", d, d.created_at)
            for d in _to_sign(user).select_related(*related).order_by("-created_at")[:limit]
        ]
    if "register" in kinds:
        items += [
            InboxItem("register", d, d.signed_at)
            for d in _to_register(user).select_related(*related).order_by("-signed_at")[:limit]
        ]
    if "acknowledge" in kinds:
        lines = (
            _to_acknowledge(user)
            .select_related("document__register", "document__created_by", "unit")
            .order_by("-delivered_at")[:limit]
        )
        items += [InboxItem("acknowledge", r.document, r.delivered_at, r) for r in lines]
    items.sort(key=lambda item: (item.at is not None, item.at), reverse=True)
    return {"items": items, "counts": inbox_counts(user)}


# --- Registers (agenda books) ---------------------------------------------------------------


def register_years(register: Register) -> list[int]:
    """The years the register gave numbers in, newest first."""
    return sorted(
        set(register.sequences.values_list("year", flat=True))
        | set(register.allocations.values_list("year", flat=True)),
        reverse=True,
    )


def register_book(register: Register, year: int) -> QuerySet[NumberAllocation]:
    """Every number the register gave in the year, in order — issued and cancelled.

    The sequence is gapless by construction (rkpk.correspondence.numbering)."""
    return (
        NumberAllocation.objects.filter(register=register, year=year)
        .select_related("document", "issued_by", "cancelled_by")
        .order_by("seq")
    )


def registers_overview() -> list[dict]:
    """Each register with its numbers issued and cancelled (all years)."""
    from django.db.models import Count

    rows = Register.objects.annotate(
        issued=Count("allocations", filter=Q(allocations__status=NumberAllocation.Status.ISSUED)),
        cancelled=Count(
            "allocations", filter=Q(allocations__status=NumberAllocation.Status.CANCELLED)
        ),
    ).order_by("code")
    return list(rows)
