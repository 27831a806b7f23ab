from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from rkpk.api import selectors
from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import OfficialOut, UnitDetailOut, UnitOut
from rkpk.organisation import selectors as organisation_selectors
from rkpk.organisation import services
from rkpk.organisation.models import Headship, Official, Unit

router = Router(tags=["organisation"])

MAX_PAGE = 500


class UnitFilters(Schema):
    q: str = ""
    parent: str = ""
    active: bool | None = None


class OfficialFilters(Schema):
    q: str = ""
    unit: str = ""
    active: bool | None = None


@router.get("/units", response={200: list[UnitOut], **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=MAX_PAGE)
def list_units(request, filters: Query[UnitFilters]):
    """Units; `q` searches code and names, `parent` takes the parent's code."""
    require(request, "organisation.view_units")
    return selectors.search_units(
        request.user, q=filters.q, parent=filters.parent, active=filters.active
    )


@router.get("/units/{code}", response={200: UnitDetailOut, **NOT_FOUND, **REFUSALS})
def get_unit(request, code: str):
    require(request, "organisation.view_units")
    unit = selectors.search_units(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    unit.visible_children = list(selectors.search_units(request.user, parent=unit.code))
    return unit


@router.get("/officials", response={200: list[OfficialOut], **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=MAX_PAGE)
def list_officials(request, filters: Query[OfficialFilters]):
    """Officials you may see; `q` searches name, NIP prefix and position, `unit` a unit code."""
    require(request, "organisation.view_officials")
    return selectors.search_officials(
        request.user, q=filters.q, unit=filters.unit, active=filters.active
    )


@router.get("/officials/{nip}", response={200: OfficialOut, **NOT_FOUND, **REFUSALS})
def get_official(request, nip: str):
    """An official outside what you may see is answered 404, as if it did not exist."""
    require(request, "organisation.view_officials")
    official = selectors.search_officials(request.user).filter(nip=nip).first()
    if official is None:
        raise Http404
    return official


# --- Headships: who heads a unit, definitively or acting (Plt./Plh.) ------------------------


class HeadshipIn(Schema):
    official_id: int = Field(..., description="The official (see /officials: `id`).")
    kind: str = Field("def", description="def | Plt | Plh")
    starts_on: date | None = Field(None, description="First day; required for Plt and Plh.")
    ends_on: date | None = Field(None, description="Last day (included); open when omitted.")


class HeadshipEndIn(Schema):
    last_day: date | None = Field(None, description="The last day as head; today when omitted.")


class HeadshipOut(Schema):
    id: int
    unit_code: str
    official_id: int
    name: str
    nip: str | None
    kind: str = Field(..., description="def | Plt | Plh")
    post: str = Field(..., description='The post printed, e.g. "Plt. Kepala Biro Umum".')
    starts_on: date | None
    ends_on: date | None
    current: bool

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.official.name

    @staticmethod
    def resolve_nip(obj) -> str | None:
        return obj.official.nip

    @staticmethod
    def resolve_post(obj) -> str:
        return organisation_selectors.post_title(obj.unit, obj.kind)

    @staticmethod
    def resolve_current(obj) -> bool:
        return organisation_selectors.headship_valid_on(obj, timezone.localdate())


def _visible_unit(request, code: str) -> Unit:
    unit = selectors.search_units(request.user).filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def _headship(pk: int) -> Headship:
    return get_object_or_404(Headship.objects.select_related("unit", "official"), pk=pk)


@router.get("/units/{code}/heads", response={200: list[HeadshipOut], **NOT_FOUND, **REFUSALS})
def list_heads(request, code: str):
    """Every head recorded for the unit (definitive and acting), the newest first."""
    require(request, "organisation.view_units")
    unit = _visible_unit(request, code)
    headships = organisation_selectors.headships_of(unit)
    for headship in headships:
        headship.unit = unit
    return headships


@router.post("/units/{code}/heads", response={201: HeadshipOut, **NOT_FOUND, **REFUSALS})
def add_head(request, code: str, payload: HeadshipIn):
    """Record a head of the unit: definitive, or Plt./Plh. for a period (administrator)."""
    require(request, "organisation.manage")
    unit = _visible_unit(request, code)
    official = get_object_or_404(Official, pk=payload.official_id)
    headship = services.record_headship(
        actor=request.user,
        unit=unit,
        official=official,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, _headship(headship.pk))


@router.post("/heads/{int:headship_id}/end", response={200: HeadshipOut, **NOT_FOUND, **REFUSALS})
def end_head(request, headship_id: int, payload: HeadshipEndIn):
    """End a headship: `last_day` (default today) becomes its last day (administrator)."""
    require(request, "organisation.manage")
    services.end_headship(
        actor=request.user, headship=_headship(headship_id), ends_on=payload.last_day
    )
    return _headship(headship_id)
