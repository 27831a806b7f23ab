"""Official correspondence (naskah dinas): documents and their lifecycle, registers (agenda
books), dispatch and the expedition book, the inbox and the cycle's procedure documents.

Every write calls the services the web pages call (rkpk.correspondence.services, .dispatch,
.admin_services; rkpk.ministry.procedure_documents for the cycle's documents): the same
permission checks, audit events and notifications. A document the user may not see answers
404; an action the user may not take, 403; a stale `revision`, 409.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut
from rkpk.correspondence import admin_services, selectors, services
from rkpk.correspondence import dispatch as dispatching
from rkpk.correspondence.models import (
    Document,
    LetterTemplate,
    NumberAllocation,
    Recipient,
    Register,
)
from rkpk.ministry import procedure_documents
from rkpk.organisation.models import Unit
from rkpk.procedure.models import Cycle

router = Router(tags=["correspondence"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}
P = "/correspondence"


# --- Schemas --------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    kind: str
    status: str
    requires_review: bool
    number: str
    subject: str
    purpose: str
    version: int
    revision: int
    register_code: str
    cycle: int | None = Field(None, description="The cycle's plan year.")
    signer_role: str
    created_at: datetime
    signed_at: datetime | None
    registered_at: datetime | None
    dispatched_at: datetime | None


class ReviewOut(Schema):
    reviewer: str
    decision: str
    comment: str
    at: datetime


class LetterAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class DocumentDetailOut(DocumentOut):
    classification: str
    nature: str
    attachments_note: str
    addressee: str
    body: str
    copies: str
    place: str
    signer_position: str
    signed_name: str
    signed_nip: str
    signed_acting: str
    content_hash: str
    pdf_sha256: str
    verification_url: str | None
    previous_id: int | None
    reviews: list[ReviewOut]
    attachments: list[LetterAttachmentOut]


class CreateIn(Schema):
    template: str = Field(..., description="The template's key.")
    values: dict[str, str] = Field(default_factory=dict, description="Placeholder values.")
    addressee: str = ""
    copies: str = ""
    cycle: int | None = Field(None, description="The plan year of the cycle it serves.")


class EditIn(Schema):
    revision: int
    classification: str | None = None
    nature: str | None = None
    attachments_note: str | None = None
    subject: str | None = None
    addressee: str | None = None
    body: str | None = None
    copies: str | None = None
    place: str | None = None
    signer_position: str | None = None


class ReviewIn(Schema):
    approve: bool
    comment: str = ""


class SignIn(Schema):
    acting: str = Field("", description='"", "Plt" or "Plh".')


class LetterReasonIn(Schema):
    reason: str


class DispatchIn(Schema):
    units: list[str] = Field(default_factory=list, description="Unit codes.")
    all_units: bool = False
    others: list[str] = Field(default_factory=list, description="Named addressees.")
    method: str = "electronic"


class RecipientOut(Schema):
    id: int
    name: str
    unit: str | None
    method: str
    delivered_at: datetime | None
    courier: str
    received_by_name: str
    opened_at: datetime | None
    opened_by: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class CourierIn(Schema):
    delivered_at: datetime
    courier: str
    received_by_name: str


class RegisterOut(Schema):
    code: str
    name: str
    pattern: str
    unit_code: str
    classification: str
    is_active: bool
    issued: int
    cancelled: int


class NumberOut(Schema):
    seq: int
    number: str
    status: str
    issued_at: datetime
    recipient_summary: str
    subject: str
    document_id: int | None
    cancelled_at: datetime | None
    cancel_reason: str


class CancelOut(Schema):
    number: NumberOut
    new_version_id: int | None = Field(
        None, description="The new draft, when cancelling corrected a registered document."
    )


class InboxItemOut(Schema):
    kind: str
    at: datetime | None
    document: DocumentOut
    recipient_id: int | None


class InboxOut(Schema):
    counts: dict[str, int]
    items: list[InboxItemOut]


class TemplateOut(Schema):
    key: str
    kind: str
    name: str
    register_code: str
    signer_role: str
    requires_review: bool


class ProcedureDocumentOut(Schema):
    key: str
    step: int
    route: str
    step_status: str | None
    document: DocumentOut | None
    binding_confirmed: bool


class KeyIn(Schema):
    key: str


class NotesOut(Schema):
    notes: list[str] = Field(
        ..., description="Steps the documents would complete but the caller may not."
    )


# --- Helpers --------------------------------------------------------------------------------


def _visible(request, document_id: int) -> Document:
    require(request, "correspondence.view_documents")
    document = (
        selectors.documents_for(request.user)
        .select_related("register", "cycle")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise Http404
    return document


def _document_out(d: Document) -> dict:
    return {
        "id": d.pk,
        "kind": d.kind,
        "status": d.status,
        "requires_review": d.requires_review,
        "number": d.number,
        "subject": d.subject,
        "purpose": d.purpose,
        "version": d.version,
        "revision": d.revision,
        "register_code": d.register.code,
        "cycle": d.cycle.year if d.cycle_id else None,
        "signer_role": d.signer_role,
        "created_at": d.created_at,
        "signed_at": d.signed_at,
        "registered_at": d.registered_at,
        "dispatched_at": d.dispatched_at,
    }


def _verification_url(document: Document) -> str | None:
    if not document.verification_token:
        return None
    from rkpk.correspondence.rendering import verification_url

    return verification_url(document.verification_token)


def _detail(document: Document) -> dict:
    document = Document.objects.select_related("register", "cycle").get(pk=document.pk)
    return {
        **_document_out(document),
        **{
            name: getattr(document, name)
            for name in (
                "classification",
                "nature",
                "attachments_note",
                "addressee",
                "body",
                "copies",
                "place",
                "signer_position",
                "signed_name",
                "signed_nip",
                "signed_acting",
                "content_hash",
                "pdf_sha256",
            )
        },
        "verification_url": _verification_url(document),
        "previous_id": document.previous_id,
        "reviews": [
            {
                "reviewer": r.reviewer.get_username(),
                "decision": r.decision,
                "comment": r.comment,
                "at": r.at,
            }
            for r in document.reviews.select_related("reviewer")
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in document.attachments.all()
        ],
    }


def _recipient_out(r: Recipient) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "unit": r.unit.code if r.unit_id else None,
        "method": r.method,
        "delivered_at": r.delivered_at,
        "courier": r.courier,
        "received_by_name": r.received_by_name,
        "opened_at": r.opened_at,
        "opened_by": r.opened_by.get_username() if r.opened_by_id else None,
        "acknowledged_at": r.acknowledged_at,
        "acknowledged_by": r.acknowledged_by.get_username() if r.acknowledged_by_id else None,
    }


def _number_out(a: NumberAllocation) -> dict:
    return {
        "seq": a.seq,
        "number": a.number,
        "status": a.status,
        "issued_at": a.issued_at,
        "recipient_summary": a.recipient_summary,
        "subject": a.subject,
        "document_id": a.document_id,
        "cancelled_at": a.cancelled_at,
        "cancel_reason": a.cancel_reason,
    }


def _line(request, document_id: int, recipient_id: int) -> Recipient:
    document = _visible(request, document_id)
    line = dispatching.recipient_lines(request.user, document).filter(pk=recipient_id).first()
    if line is None:
        raise Http404
    return line


def _cycle(request, year: int) -> Cycle:
    require(request, "procedure.view_cycle")
    require(request, "correspondence.view_registers")  # the ministry's roles
    return get_object_or_404(Cycle, year=year)


# --- Documents ------------------------------------------------------------------------------


@router.get(f"{P}/documents", response={200: list[DocumentOut], **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=500)
def list_documents(
    request,
    q: str = "",
    status: str = "",
    kind: str = "",
    register_code: str = "",
    cycle: int | None = None,
):
    """The documents you may see, newest first (a unit's people: those addressed to it)."""
    require(request, "correspondence.view_documents")
    documents = selectors.documents_for(request.user).select_related("register", "cycle")
    if q:
        documents = documents.filter(Q(subject__icontains=q) | Q(number__icontains=q))
    if status:
        documents = documents.filter(status=status)
    if kind:
        documents = documents.filter(kind=kind)
    if register_code:
        documents = documents.filter(register__code=register_code)
    if cycle:
        documents = documents.filter(cycle__year=cycle)
    return [_document_out(d) for d in documents.order_by("-created_at", "-id")]


@router.get(f"{P}/documents/{{int:document_id}}", response={200: DocumentDetailOut, **RESPONSES})
def get_document(request, document_id: int):
    """One document; a unit's user opening it is recorded in the expedition book."""
    document = _visible(request, document_id)
    dispatching.note_opened(actor=request.user, document=document)
    return _detail(document)


@router.post(f"{P}/documents", response={201: DocumentDetailOut, **RESPONSES})
def create_document(request, payload: CreateIn):
    """A new draft from a template, its placeholders filled with `values`."""
    require(request, "correspondence.draft")
    template = LetterTemplate.objects.filter(key=payload.template, is_active=True).first()
    if template is None:
        raise Http404
    cycle = None
    if payload.cycle is not None:
        cycle = get_object_or_404(Cycle, year=payload.cycle)
    document = services.create_from_template(
        actor=request.user,
        template=template,
        values=payload.values,
        addressee=payload.addressee,
        copies=payload.copies,
        cycle=cycle,
    )
    return Status(201, _detail(document))


@router.patch(f"{P}/documents/{{int:document_id}}", response={200: DocumentDetailOut, **RESPONSES})
def edit_document(request, document_id: int, payload: EditIn):
    """Change a draft; send the `revision` you read (409 when someone saved since)."""
    document = _visible(request, document_id)
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    revision = fields.pop("revision")
    services.update_draft(actor=request.user, document=document, revision=revision, **fields)
    return _detail(document)


@router.post(
    f"{P}/documents/{{int:document_id}}/send-for-review",
    response={200: DocumentDetailOut, **RESPONSES},
)
def send_for_review(request, document_id: int):
    document = _visible(request, document_id)
    services.send_for_review(actor=request.user, document=document)
    return _detail(document)


@router.post(
    f"{P}/documents/{{int:document_id}}/review", response={200: DocumentDetailOut, **RESPONSES}
)
def review(request, document_id: int, payload: ReviewIn):
    """Approve, or request changes (with a comment: it goes back to draft)."""
    document = _visible(request, document_id)
    services.review(
        actor=request.user, document=document, approve=payload.approve, comment=payload.comment
    )
    return _detail(document)


@router.post(
    f"{P}/documents/{{int:document_id}}/sign", response={200: DocumentDetailOut, **RESPONSES}
)
def sign(request, document_id: int, payload: SignIn):
    """The signer's role signs (optionally as Plt/Plh); the content is fixed from now on."""
    document = _visible(request, document_id)
    services.sign(actor=request.user, document=document, acting=payload.acting)
    return _detail(document)


@router.post(
    f"{P}/documents/{{int:document_id}}/register", response={200: DocumentDetailOut, **RESPONSES}
)
def register_document(request, document_id: int):
    """Number the signed document in its register and issue the official, sealed PDF."""
    document = _visible(request, document_id)
    services.register(actor=request.user, document=document)
    return _detail(document)


@router.post(
    f"{P}/documents/{{int:document_id}}/correct", response={201: DocumentDetailOut, **RESPONSES}
)
def correct(request, document_id: int, payload: LetterReasonIn):
    """A new draft version of a signed document; the old one's number is cancelled."""
    document = _visible(request, document_id)
    fresh = services.correct(actor=request.user, document=document, reason=payload.reason)
    return Status(201, _detail(fresh))


@router.get(f"{P}/documents/{{int:document_id}}/file.{{fmt}}", response={200: None, **RESPONSES})
def document_file(request, document_id: int, fmt: str):
    """The document as PDF (a registered document: the official, sealed file) or DOCX."""
    from rkpk.correspondence import rendering

    return rendering.document_file_response(_visible(request, document_id), fmt)


@router.get(
    f"{P}/documents/{{int:document_id}}/attachments/{{int:attachment_id}}",
    response={200: None, **RESPONSES},
)
def download_attachment(request, document_id: int, attachment_id: int):
    document = _visible(request, document_id)
    attachment = document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Dispatch and the expedition book -------------------------------------------------------


@router.post(
    f"{P}/documents/{{int:document_id}}/dispatch", response={201: list[RecipientOut], **RESPONSES}
)
def dispatch(
    request,
    document_id: int,
    payload: Form[DispatchIn],
    attachments: File[list[UploadedFile]] = None,
):
    """Dispatch a registered document (multipart/form-data: repeat `units` and `others`;
    optional `attachments`). Returns the new expedition-book lines."""
    document = _visible(request, document_id)
    units = []
    if payload.units and not payload.all_units:
        units = list(Unit.objects.filter(code__in=payload.units, is_active=True))
        if len(units) != len(set(payload.units)):
            raise ValidationError({"units": _("Unknown or inactive unit code.")})
    lines = dispatching.dispatch(
        actor=request.user,
        document=document,
        units=units,
        all_units=payload.all_units,
        others=payload.others,
        method=payload.method,
        attachments=attachments or [],
    )
    fresh = Recipient.objects.select_related("unit", "opened_by", "acknowledged_by").filter(
        pk__in=[line.pk for line in lines]
    )
    return Status(201, [_recipient_out(r) for r in fresh])


@router.get(
    f"{P}/documents/{{int:document_id}}/recipients",
    response={200: list[RecipientOut], **RESPONSES},
)
def expedition_book(request, document_id: int):
    """The expedition book (a unit's people: their own unit's lines)."""
    document = _visible(request, document_id)
    return [_recipient_out(r) for r in dispatching.recipient_lines(request.user, document)]


@router.get(f"{P}/documents/{{int:document_id}}/recipients.xlsx", response={200: None, **RESPONSES})
def expedition_book_xlsx(request, document_id: int):
    document = _visible(request, document_id)
    if not request.user.has_perm("correspondence.export_expedition_book"):
        raise PermissionDenied
    response = HttpResponse(
        dispatching.expedition_book_xlsx(document),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ekspedisi-{document.pk}.xlsx"'
    return response


@router.post(
    f"{P}/documents/{{int:document_id}}/recipients/{{int:recipient_id}}/courier",
    response={200: RecipientOut, **RESPONSES},
)
def courier_delivery(request, document_id: int, recipient_id: int, payload: CourierIn):
    """Enter a hard copy's delivery by courier by hand."""
    line = _line(request, document_id, recipient_id)
    dispatching.record_courier_delivery(
        actor=request.user,
        recipient=line,
        delivered_at=payload.delivered_at,
        courier=payload.courier,
        received_by_name=payload.received_by_name,
    )
    return _recipient_out(
        Recipient.objects.select_related("unit", "opened_by", "acknowledged_by").get(pk=line.pk)
    )


@router.post(
    f"{P}/documents/{{int:document_id}}/recipients/{{int:recipient_id}}/acknowledge",
    response={200: RecipientOut, **RESPONSES},
)
def acknowledge(request, document_id: int, recipient_id: int):
    """A user of the recipient unit acknowledges receipt; twice changes nothing."""
    line = _line(request, document_id, recipient_id)
    dispatching.acknowledge(actor=request.user, recipient=line)
    return _recipient_out(
        Recipient.objects.select_related("unit", "opened_by", "acknowledged_by").get(pk=line.pk)
    )


@router.post(
    f"{P}/documents/{{int:document_id}}/confirm-binding", response={200: NotesOut, **RESPONSES}
)
def confirm_binding(request, document_id: int):
    """Biro Umum confirms the RK-PK is bound (step 12)."""
    document = _visible(request, document_id)
    return {"notes": procedure_documents.confirm_binding(actor=request.user, document=document)}


# --- Registers ------------------------------------------------------------------------------


@router.get(f"{P}/registers", response={200: list[RegisterOut], **REFUSALS})
def list_registers(request):
    require(request, "correspondence.view_registers")
    return [
        {
            "code": r.code,
            "name": r.name,
            "pattern": r.pattern,
            "unit_code": r.unit_code,
            "classification": r.classification,
            "is_active": r.is_active,
            "issued": r.issued,
            "cancelled": r.cancelled,
        }
        for r in selectors.registers_overview()
    ]


@router.get(f"{P}/registers/{{code}}/{{int:year}}", response={200: list[NumberOut], **RESPONSES})
def register_book(request, code: str, year: int):
    """The agenda book of a year: every number in order, issued and cancelled."""
    require(request, "correspondence.view_registers")
    register = get_object_or_404(Register, code=code)
    return [_number_out(a) for a in selectors.register_book(register, year)]


@router.post(
    f"{P}/registers/{{code}}/{{int:year}}/{{int:seq}}/cancel",
    response={200: CancelOut, **RESPONSES},
)
def cancel_number(request, code: str, year: int, seq: int, payload: LetterReasonIn):
    """Cancel a number; it stays recorded as cancelled and is never given again. A dispatched
    document's number is refused (correct the document instead)."""
    require(request, "correspondence.view_registers")
    register = get_object_or_404(Register, code=code)
    allocation = get_object_or_404(NumberAllocation, register=register, year=year, seq=seq)
    fresh = admin_services.cancel_number(
        actor=request.user, allocation=allocation, reason=payload.reason
    )
    allocation.refresh_from_db()
    return {"number": _number_out(allocation), "new_version_id": fresh.pk if fresh else None}


@router.get(f"{P}/templates", response={200: list[TemplateOut], **REFUSALS})
def list_templates(request):
    """The active templates a draft can be made from."""
    require(request, "correspondence.draft")
    return [
        {
            "key": t.key,
            "kind": t.kind,
            "name": t.name,
            "register_code": t.register.code,
            "signer_role": t.signer_role,
            "requires_review": t.requires_review,
        }
        for t in LetterTemplate.objects.filter(is_active=True).select_related("register")
    ]


# --- Inbox ----------------------------------------------------------------------------------


@router.get(f"{P}/inbox", response={200: InboxOut, **REFUSALS})
def inbox(request, kind: str = ""):
    """What you must review, sign, register or acknowledge, newest first, with counts."""
    require(request, "correspondence.view_inbox")
    data = selectors.inbox_for(request.user, kind=kind)
    return {
        "counts": data["counts"],
        "items": [
            {
                "kind": item.kind,
                "at": item.at,
                "document": _document_out(item.document),
                "recipient_id": item.recipient.pk if item.recipient else None,
            }
            for item in data["items"]
        ],
    }


# --- The cycle's procedure documents --------------------------------------------------------


def _procedure_rows(cycle: Cycle) -> list[dict]:
    return [
        {
            "key": row.spec.key,
            "step": row.spec.step,
            "route": row.route,
            "step_status": row.step.status if row.step else None,
            "document": _document_out(row.document) if row.document else None,
            "binding_confirmed": row.binding_confirmed,
        }
        for row in procedure_documents.rows(cycle)
    ]


@router.get(
    f"{P}/cycles/{{int:year}}/documents",
    response={200: list[ProcedureDocumentOut], **RESPONSES},
)
def cycle_documents(request, year: int):
    """The procedure's documents of a cycle by step, with their status and the step's."""
    return _procedure_rows(_cycle(request, year))


@router.post(f"{P}/cycles/{{int:year}}/documents", response={201: DocumentDetailOut, **RESPONSES})
def create_procedure_document(request, year: int, payload: KeyIn):
    """Create the draft of one of the procedure's documents (`key`: the template key)."""
    cycle = _cycle(request, year)
    document = procedure_documents.create_draft(actor=request.user, cycle=cycle, key=payload.key)
    return Status(201, _detail(document))


@router.post(f"{P}/cycles/{{int:year}}/sync", response={200: NotesOut, **RESPONSES})
def sync_cycle(request, year: int):
    """Complete every step of the cycle that its documents say is done."""
    cycle = _cycle(request, year)
    return {"notes": procedure_documents.sync(actor=request.user, cycle=cycle)}
