"""The ministry RK-PK (steps 7-13): the draft and its sections, the review chain of the head
of bureau and the deputy, the minister's signature and the final documents. Every write calls
rkpk.ministry.services, as the web pages do.

Who sees what (rkpk.ministry.selectors): the bureau, the leadership (or whoever acts for a
leader today), the administrator and Biro Umum see every plan, with its versions and
reviews; everyone else signed in (the units' people, viewers) sees a plan only once it is
published, and never its reviews. A plan you may not see is answered 404, as if it did not
exist.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from rkpk.api.permissions import NOT_FOUND, REFUSALS
from rkpk.api.schemas import ErrorOut
from rkpk.core.downloads import stored_file_response
from rkpk.correspondence.models import Document
from rkpk.ministry import procedure_documents, selectors, services
from rkpk.ministry.models import (
    FinalDocument,
    MinistryPlan,
    PlanSection,
    PlanVersion,
    ReviewComment,
)
from rkpk.ministry.tables import generate_tables
from rkpk.procedure.models import Cycle

router = Router(tags=["ministry RK-PK"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}
MEMORANDA = (
    procedure_documents.BUREAU_TO_DEPUTY,
    procedure_documents.TO_MINISTER,
    procedure_documents.BINDING,
    procedure_documents.TO_MENPAN,
    procedure_documents.DISTRIBUTION,
)


# --- Visibility (rkpk.ministry.selectors decides) -----------------------------------------


def _plan(request, year: int) -> MinistryPlan:
    """The plan of the year; 404 unless the user may see it."""
    return selectors.get_plan(request.user, year)


def _reviews_visible(request) -> None:
    """Versions and reviews are for the bureau and the leadership, even once published."""
    if not selectors.sees_drafts(request.user):
        raise PermissionDenied


# --- Schemas --------------------------------------------------------------------------------


class MinistryPlanIn(Schema):
    cycle: int | None = Field(None, description="The cycle's id; or give its year.")
    year: int | None = Field(None, description="The cycle's year, when no id is given.")


class MinistrySectionIn(Schema):
    revision: int = Field(
        ..., description="The revision you loaded (409 when someone saved since)."
    )
    text: str
    title: str | None = None


class VersionIn(Schema):
    version_number: int = Field(..., description="The version you decide on (409 when outdated).")


class MinistryCommentIn(VersionIn):
    text: str
    anchor_type: str = Field(ReviewComment.Anchor.GENERAL, description="general | section | row")
    anchor: str = Field("", description="The section key or the table row key.")
    required: bool = Field(False, description="A change that must be made before the next version.")


class ReturnIn(VersionIn):
    changes: list[str] = Field(
        [], description="The changes required, besides the comments marked required."
    )


class PlanSummaryOut(Schema):
    year: int
    cycle: int
    status: str
    status_label: str
    created_at: datetime
    signed_at: datetime | None
    published_at: datetime | None


class MinistrySectionOut(Schema):
    id: int
    key: str
    title: str
    text: str
    position: int
    revision: int


class MinistryStepOut(Schema):
    number: int
    title: str
    status: str
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None


class VersionSummaryOut(Schema):
    number: int
    submitted_by: str
    submitted_at: datetime
    content_hash: str
    bureau_decision: str
    deputy_decision: str
    comments: int


class FinalDocumentOut(Schema):
    kind: str
    label: str
    sha256: str
    verification_url: str
    download_url: str
    created_at: datetime


class MemoOut(Schema):
    id: int
    purpose: str
    status: str
    number: str
    subject: str
    signed_at: datetime | None


class SignatureOut(Schema):
    version: int | None
    name: str
    nip: str
    position: str
    acting: str
    at: datetime | None


class AllowedOut(Schema):
    edit: bool
    submit: bool
    review: bool
    sign: bool


class MinistryPlanOut(PlanSummaryOut):
    compilation: int
    analysis_version: int | None
    second_party_name: str
    second_party_position: str
    steps: list[MinistryStepOut]
    sections: list[MinistrySectionOut]
    tables: dict
    versions: list[VersionSummaryOut]
    final_documents: list[FinalDocumentOut]
    memoranda: list[MemoOut]
    signature: SignatureOut | None
    allowed: AllowedOut


class CommentOut(Schema):
    id: int
    stage: str
    anchor_type: str
    anchor: str
    anchor_label: str
    text: str
    required: bool
    author: str
    acting: str
    created_at: datetime


class MinistryDecisionOut(Schema):
    decision: str
    by: str | None
    acting: str
    at: datetime | None


class MinistryVersionOut(Schema):
    number: int
    submitted_by: str
    submitted_at: datetime
    content_hash: str
    authors: list[str]
    content: dict
    bureau: MinistryDecisionOut
    deputy: MinistryDecisionOut
    comments: list[CommentOut]


class MinistryCompareOut(Schema):
    a: int
    b: int
    sections: list[dict] = Field(
        ...,
        description="Per section: key, title, status (added, removed, changed, same) and the "
        "word-level segments (op: equal, insert, delete).",
    )
    tables: dict = Field(
        ...,
        description="Rows of table 1 (goals, indicators) and table 2 (programs) added, removed "
        "or changed, field by field, and the budget total.",
    )


# --- Building the answers -------------------------------------------------------------------


def _name(user) -> str | None:
    return user.get_username() if user is not None else None


def _summary(plan: MinistryPlan) -> dict:
    return {
        "year": plan.year,
        "cycle": plan.cycle_id,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "created_at": plan.created_at,
        "signed_at": plan.signed_at,
        "published_at": plan.published_at,
    }


def _final_documents(plan: MinistryPlan) -> list[dict]:
    from rkpk.correspondence.rendering import verification_url

    return [
        {
            "kind": doc.kind,
            "label": doc.get_kind_display(),
            "sha256": doc.pdf_sha256,
            "verification_url": verification_url(doc.verification_token),
            "download_url": f"/api/v1/ministry/plans/{plan.year}/documents/{doc.kind}.pdf",
            "created_at": doc.created_at,
        }
        for doc in FinalDocument.objects.filter(plan=plan)
    ]


def _version_summaries(plan: MinistryPlan) -> list[dict]:
    versions = (
        plan.versions.select_related("submitted_by")
        .annotate(comment_count=Count("comments"))
        .order_by("number")
    )
    return [
        {
            "number": v.number,
            "submitted_by": v.submitted_by.get_username(),
            "submitted_at": v.submitted_at,
            "content_hash": v.content_hash,
            "bureau_decision": v.bureau_decision,
            "deputy_decision": v.deputy_decision,
            "comments": v.comment_count,
        }
        for v in versions
    ]


def _plan_out(request, plan: MinistryPlan) -> dict:
    user = request.user
    internal = selectors.sees_drafts(user)
    steps = selectors.stepper(plan)
    memoranda = Document.objects.filter(cycle_id=plan.cycle_id, purpose__in=MEMORANDA).order_by(
        "created_at", "id"
    )
    editable = plan.is_editable and user.has_perm(services.DRAFT)
    return {
        **_summary(plan),
        "compilation": plan.compilation.number,
        "analysis_version": plan.analysis_version.number if plan.analysis_version else None,
        "second_party_name": plan.second_party_name,
        "second_party_position": plan.second_party_position,
        "steps": [
            {
                "number": s.number,
                "title": s.standard_step.title,
                "status": s.status,
                "planned_start": s.planned_start,
                "planned_end": s.planned_end,
                "actual_start": s.actual_start,
                "actual_end": s.actual_end,
            }
            for s in steps
        ],
        "sections": list(plan.sections.all()),
        "tables": generate_tables(plan.compilation),
        "versions": _version_summaries(plan) if internal else [],
        "final_documents": _final_documents(plan)
        if plan.status in (MinistryPlan.Status.SIGNED, MinistryPlan.Status.PUBLISHED)
        else [],
        "memoranda": list(memoranda) if internal else [],
        "signature": {
            "version": plan.signed_version.number if plan.signed_version else None,
            "name": plan.signed_name,
            "nip": plan.signed_nip,
            "position": plan.signed_position,
            "acting": plan.signed_acting,
            "at": plan.signed_at,
        }
        if plan.signed_at
        else None,
        "allowed": {
            "edit": editable,
            "submit": editable,
            "review": internal and services.may_review(user, plan),
            "sign": user.has_perm("ministry.sign", plan),
        },
    }


def _decision(decision: str, by, acting: str, at) -> dict:
    return {"decision": decision, "by": _name(by), "acting": acting, "at": at}


def _version(plan: MinistryPlan, number: int) -> PlanVersion:
    comments = ReviewComment.objects.select_related("author").order_by("created_at", "id")
    return get_object_or_404(
        plan.versions.select_related("submitted_by", "bureau_by", "deputy_by").prefetch_related(
            Prefetch("comments", queryset=comments)
        ),
        number=number,
    )


def _version_out(version: PlanVersion) -> dict:
    from rkpk.organisation.models import User

    names = dict(User.objects.filter(pk__in=version.authors or []).values_list("pk", "username"))
    return {
        "number": version.number,
        "submitted_by": version.submitted_by.get_username(),
        "submitted_at": version.submitted_at,
        "content_hash": version.content_hash,
        "authors": [names[pk] for pk in version.authors or [] if pk in names],
        "content": version.content,
        "bureau": _decision(
            version.bureau_decision, version.bureau_by, version.bureau_acting, version.bureau_at
        ),
        "deputy": _decision(
            version.deputy_decision, version.deputy_by, version.deputy_acting, version.deputy_at
        ),
        "comments": [
            {
                "id": c.pk,
                "stage": c.stage,
                "anchor_type": c.anchor_type,
                "anchor": c.anchor,
                "anchor_label": c.anchor_label,
                "text": c.text,
                "required": c.required,
                "author": c.author.get_username(),
                "acting": c.acting,
                "created_at": c.created_at,
            }
            for c in version.comments.all()
        ],
    }


# --- Endpoints ------------------------------------------------------------------------------


@router.get("/ministry/plans", response={200: list[PlanSummaryOut], **REFUSALS})
def list_plans(request):
    """The ministry RK-PKs you may see, newest first: all of them for the bureau and the
    leadership, the published ones for everyone else."""
    return [_summary(plan) for plan in selectors.plans_for(request.user).order_by("-year")]


@router.post("/ministry/plans", response={201: MinistryPlanOut, **RESPONSES})
def create_plan(request, payload: MinistryPlanIn):
    """Draft the ministry RK-PK of a cycle (step 7), from its latest compilation and the
    approved analysis. Name the cycle by `cycle` (id) or `year`."""
    if payload.cycle is not None:
        cycle = get_object_or_404(Cycle, pk=payload.cycle)
    elif payload.year is not None:
        cycle = get_object_or_404(Cycle, year=payload.year)
    else:
        raise ValidationError({"cycle": _("Give the cycle's id or its year.")})
    plan = services.create_plan(actor=request.user, cycle=cycle)
    return Status(201, _plan_out(request, _plan(request, plan.year)))


@router.get("/ministry/plans/{int:year}", response={200: MinistryPlanOut, **RESPONSES})
def get_plan(request, year: int):
    """Status, steps 7-13, sections (with their revisions), tables, versions, the final
    documents (SHA-256 and verification address, once signed) and the memoranda produced."""
    return _plan_out(request, _plan(request, year))


@router.put(
    "/ministry/plans/{int:year}/sections/{key}", response={200: MinistrySectionOut, **RESPONSES}
)
def update_section(request, year: int, key: str, payload: MinistrySectionIn):
    """Save a section; `revision` must be the one you read (409 when someone saved since)."""
    section = get_object_or_404(PlanSection, plan=_plan(request, year), key=key)
    return services.update_section(
        actor=request.user,
        section=section,
        revision=payload.revision,
        text=payload.text,
        title=payload.title,
    )


@router.post(
    "/ministry/plans/{int:year}/refresh-tables", response={200: MinistryPlanOut, **RESPONSES}
)
def refresh_tables(request, year: int):
    """Use the latest compilation for the tables (after unit plans were recompiled)."""
    services.refresh_tables(actor=request.user, plan=_plan(request, year))
    return _plan_out(request, _plan(request, year))


@router.post("/ministry/plans/{int:year}/submit", response={201: MinistryVersionOut, **RESPONSES})
def submit(request, year: int):
    """Freeze the draft as the next version and send it to the head of bureau."""
    plan = _plan(request, year)
    version = services.submit(actor=request.user, plan=plan)
    return Status(201, _version_out(_version(plan, version.number)))


@router.get(
    "/ministry/plans/{int:year}/versions", response={200: list[VersionSummaryOut], **RESPONSES}
)
def list_versions(request, year: int):
    plan = _plan(request, year)
    _reviews_visible(request)
    return _version_summaries(plan)


@router.get(
    "/ministry/plans/{int:year}/versions/{int:number}",
    response={200: MinistryVersionOut, **RESPONSES},
)
def get_version(request, year: int, number: int):
    """A version as submitted: its content, the reviewers' comments with their anchors, and
    the decisions of the head of bureau and the deputy (with Plt./Plh. when acting)."""
    plan = _plan(request, year)
    _reviews_visible(request)
    return _version_out(_version(plan, number))


@router.get("/ministry/plans/{int:year}/compare", response={200: MinistryCompareOut, **RESPONSES})
def compare(request, year: int, a: int, b: int):
    """What changed from version `a` to version `b`, in the text and in the tables."""
    plan = _plan(request, year)
    _reviews_visible(request)
    result = selectors.compare_versions(
        selectors.get_version(plan, a), selectors.get_version(plan, b)
    )
    return {"a": a, "b": b, **result}


@router.post("/ministry/plans/{int:year}/comments", response={201: CommentOut, **RESPONSES})
def comment(request, year: int, payload: MinistryCommentIn):
    """The reviewer's comment on the version under review: on a section (`anchor` = its
    key), a table row (`anchor` = the row key) or the whole draft."""
    note = services.comment(
        actor=request.user,
        plan=_plan(request, year),
        version_number=payload.version_number,
        text=payload.text,
        anchor_type=payload.anchor_type,
        anchor=payload.anchor,
        required=payload.required,
    )
    return Status(
        201,
        {
            "id": note.pk,
            "stage": note.stage,
            "anchor_type": note.anchor_type,
            "anchor": note.anchor,
            "anchor_label": note.anchor_label,
            "text": note.text,
            "required": note.required,
            "author": note.author.get_username(),
            "acting": note.acting,
            "created_at": note.created_at,
        },
    )


@router.post("/ministry/plans/{int:year}/approve", response={200: MinistryVersionOut, **RESPONSES})
def approve(request, year: int, payload: VersionIn):
    """The head of bureau (step 8) or then the deputy (step 9) approves the version."""
    plan = _plan(request, year)
    version = services.approve(actor=request.user, plan=plan, version_number=payload.version_number)
    return _version_out(_version(plan, version.number))


@router.post("/ministry/plans/{int:year}/return", response={200: MinistryVersionOut, **RESPONSES})
def return_for_revision(request, year: int, payload: ReturnIn):
    """Return the version with the changes required (these lines and the comments marked
    required; at least one)."""
    plan = _plan(request, year)
    version = services.return_for_revision(
        actor=request.user,
        plan=plan,
        version_number=payload.version_number,
        changes=payload.changes,
    )
    return _version_out(_version(plan, version.number))


@router.post("/ministry/plans/{int:year}/sign", response={200: MinistryPlanOut, **RESPONSES})
def sign(request, year: int, payload: VersionIn):
    """The minister (or their Plt./Plh.) signs the version the deputy approved: the final RK
    and PK are issued."""
    services.sign(
        actor=request.user, plan=_plan(request, year), version_number=payload.version_number
    )
    return _plan_out(request, _plan(request, year))


@router.get("/ministry/plans/{int:year}/documents/{kind}.pdf", response={200: None, **RESPONSES})
def final_document(request, year: int, kind: str):
    """The signed final RK or PK (kind: rk | pk) as issued."""
    plan = _plan(request, year)
    if kind not in FinalDocument.Kind.values:
        raise Http404
    document = selectors.final_document(request.user, plan, kind)
    if not document.pdf:
        raise Http404
    return stored_file_response(
        document.pdf,
        original_name=document.pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
