from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from rkpk.api import selectors
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import OfficialOut, UnitDetailOut, UnitOut

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
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
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
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
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
