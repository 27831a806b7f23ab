"""The reference lists of the plans: units of measure (`measure-units`), qualitative target
values (`qualitative-values`) and return reasons (`return-reasons`).

Everyone with a role reads them; the bureau and the admin change them. The same services
as the pages (rkpk.plans.lists, rkpk.plans.lists_xlsx): every change is audited.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut
from rkpk.plans import lists, lists_xlsx

router = Router(tags=["reference lists"])

VIEW = "plans.view_lists"
MANAGE = "plans.manage_lists"


class ListOut(Schema):
    slug: str
    title: str
    active: int
    inactive: int


class ValueOut(Schema):
    id: int
    value: str
    text_id: str | None = None
    text_en: str | None = None
    sort_order: int
    is_active: bool


class ValueIn(Schema):
    value: str = Field(max_length=200)
    text_id: str = Field("", max_length=400)
    text_en: str = Field("", max_length=400)


class RenameIn(Schema):
    value: str = Field("", max_length=200)
    text_id: str = Field("", max_length=400)
    text_en: str = Field("", max_length=400)


class MergeIn(Schema):
    target_id: int


class MergeOut(Schema):
    source: str
    target: str
    rewritten_rows: int
    source_deleted: bool
    still_referenced: int


class ListMoveIn(Schema):
    direction: str


class ValueFilters(Schema):
    q: str = ""
    active: bool | None = None


class UnknownIn(Schema):
    list: str
    value: str = Field(max_length=200)


class AddUnknownIn(Schema):
    values: list[UnknownIn] = Field(max_length=500)
    source: str = Field("", max_length=200)


class ImportErrorOut(Schema):
    sheet: str
    row: int | None
    column: str
    message: str


class ListImportOut(Schema):
    added: int
    updated: int
    ignored_columns: list[str]


class ListImportRefusedOut(Schema):
    detail: str
    errors: list[ImportErrorOut]
    ignored_columns: list[str]


def _kind(slug: str) -> lists.ListKind:
    if slug not in lists.KINDS:
        raise Http404
    return lists.KINDS[slug]


def _out(kind: lists.ListKind, obj) -> dict:
    return {
        "id": obj.pk,
        "value": getattr(obj, kind.key),
        "text_id": getattr(obj, "text_id", None),
        "text_en": getattr(obj, "text_en", None),
        "sort_order": obj.sort_order,
        "is_active": obj.is_active,
    }


def _value(slug: str, value_id: int):
    return get_object_or_404(_kind(slug).model, pk=value_id)


@router.get("/lists", response={200: list[ListOut], **REFUSALS})
def list_lists(request):
    """The lists, with how many values are active and deactivated."""
    require(request, VIEW)
    return [
        {
            "slug": kind.slug,
            "title": str(kind.title),
            "active": kind.model.objects.filter(is_active=True).count(),
            "inactive": kind.model.objects.filter(is_active=False).count(),
        }
        for kind in lists.KINDS.values()
    ]


@router.get("/lists/{slug}/values", response={200: list[ValueOut], **NOT_FOUND, **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=1000)
def list_values(request, slug: str, filters: Query[ValueFilters]):
    """A list's values in list order (for qualitative values: best first); `q` searches."""
    require(request, VIEW)
    kind = _kind(slug)
    status = {True: "active", False: "inactive", None: ""}[filters.active]
    return [_out(kind, obj) for obj in lists.values(slug, query=filters.q, status=status)]


@router.post("/lists/{slug}/values", response={201: ValueOut, **NOT_FOUND, **REFUSALS})
def create_value(request, slug: str, payload: ValueIn):
    """Add a value (a return reason: `value` is its code, with `text_id` and `text_en`)."""
    require(request, MANAGE)
    kind = _kind(slug)
    obj = lists.create_value(actor=request.user, slug=slug, **payload.dict())
    return Status(201, _out(kind, obj))


@router.post(
    "/lists/{slug}/values/{int:value_id}/rename",
    response={200: ValueOut, **NOT_FOUND, **REFUSALS},
)
def rename_value(request, slug: str, value_id: int, payload: RenameIn):
    """Rename a value; plans still editable that use it follow. A return reason keeps its
    code and takes new texts."""
    require(request, MANAGE)
    kind = _kind(slug)
    obj = lists.rename_value(
        actor=request.user, slug=slug, obj=_value(slug, value_id), **payload.dict()
    )
    return _out(kind, obj)


@router.post(
    "/lists/{slug}/values/{int:value_id}/deactivate",
    response={200: ValueOut, **NOT_FOUND, **REFUSALS},
)
def deactivate_value(request, slug: str, value_id: int):
    """No longer offered and refused in new entries; plans that use it keep it."""
    require(request, MANAGE)
    obj = lists.set_active(actor=request.user, slug=slug, obj=_value(slug, value_id), active=False)
    return _out(_kind(slug), obj)


@router.post(
    "/lists/{slug}/values/{int:value_id}/reactivate",
    response={200: ValueOut, **NOT_FOUND, **REFUSALS},
)
def reactivate_value(request, slug: str, value_id: int):
    require(request, MANAGE)
    obj = lists.set_active(actor=request.user, slug=slug, obj=_value(slug, value_id), active=True)
    return _out(_kind(slug), obj)


@router.post(
    "/lists/{slug}/values/{int:value_id}/merge",
    response={200: MergeOut, **NOT_FOUND, **REFUSALS},
)
def merge_value(request, slug: str, value_id: int, payload: MergeIn):
    """Merge this value into `target_id`: plans still editable that use it now use the
    target; submitted versions keep their snapshot."""
    require(request, MANAGE)
    source = _value(slug, value_id)
    target = _value(slug, payload.target_id)
    return lists.merge_values(actor=request.user, slug=slug, source=source, target=target)


@router.post(
    "/lists/{slug}/values/{int:value_id}/move",
    response={200: list[ValueOut], **NOT_FOUND, **REFUSALS},
)
def move_value(request, slug: str, value_id: int, payload: ListMoveIn):
    """Move a value one place `up` or `down`; answers the list in its new order."""
    require(request, MANAGE)
    kind = _kind(slug)
    lists.move_value(
        actor=request.user, slug=slug, obj=_value(slug, value_id), direction=payload.direction
    )
    return [_out(kind, obj) for obj in lists.values(slug)]


@router.post("/lists/add-unknown", response={200: list[ValueOut], **REFUSALS})
def add_unknown(request, payload: AddUnknownIn):
    """Add the values a workbook import reported as not on the lists (its `unknown_values`);
    values already on a list are skipped. Answers the values added."""
    require(request, MANAGE)
    created = lists.add_unknown_values(
        actor=request.user,
        entries=[(item.list, item.value) for item in payload.values],
        source=payload.source,
    )
    out = []
    for obj in created:
        kind = next(k for k in lists.KINDS.values() if isinstance(obj, k.model))
        out.append(_out(kind, obj))
    return out


@router.get("/lists/{slug}/export.xlsx", response={200: None, **NOT_FOUND, **REFUSALS})
def export_list(request, slug: str):
    """The whole list as XLSX (the columns the import reads)."""
    require(request, VIEW)
    _kind(slug)
    response = HttpResponse(lists_xlsx.export_list(slug), content_type=lists_xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slug}.xlsx"'
    return response


@router.post(
    "/lists/{slug}/import",
    response={
        200: ListImportOut,
        **REFUSALS,
        **NOT_FOUND,
        # The import's own refusal names the cells; a request refused before it (no file)
        # has the error body.
        422: ListImportRefusedOut | ErrorOut,
    },
)
def import_list(request, slug: str, file: File[UploadedFile]):
    """Add or update values from an XLSX/CSV file, all or nothing: 422 names the sheet, row
    and column of every problem."""
    require(request, MANAGE)
    _kind(slug)
    result = lists_xlsx.import_list(actor=request.user, slug=slug, upload=file, filename=file.name)
    if result.ok:
        return {
            "added": result.added,
            "updated": result.updated,
            "ignored_columns": result.ignored_columns,
        }
    errors = [
        {"sheet": e.sheet, "row": e.row, "column": e.label, "message": e.message}
        for e in result.errors
    ]
    return Status(
        422,
        {
            "detail": "; ".join(e["message"] for e in errors[:5]),
            "errors": errors,
            "ignored_columns": result.ignored_columns,
        },
    )
