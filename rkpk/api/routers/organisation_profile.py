"""The organisation profile: everyone with a role reads it; the administrator writes it
(the same service as the page, audited)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from rkpk.api.permissions import REFUSALS, require
from rkpk.organisation import profile as organisation_profile
from rkpk.organisation.models import Unit

router = Router(tags=["organisation"])
VIEW = "organisation.view_profile"


class OrganisationProfileOut(Schema):
    configured: bool
    name: str
    short_name: str
    minister_title: str
    deputy_title: str
    head_of_bureau_title: str
    head_of_section_title: str
    general_bureau_title: str
    pk_second_party_title: str
    pk_second_party_name: str
    pk_second_party_has_nip: bool
    pk_second_party_nip: str
    coordinating_unit: str | None  # the unit's code
    address: str
    signing_city: str
    unit_head_approval: bool
    has_logo: bool


class OrganisationProfileIn(Schema):
    name: str
    short_name: str
    minister_title: str
    deputy_title: str = ""
    head_of_bureau_title: str = ""
    head_of_section_title: str = ""
    general_bureau_title: str = ""
    pk_second_party_title: str
    pk_second_party_name: str = ""
    pk_second_party_has_nip: bool = False
    pk_second_party_nip: str = ""
    coordinating_unit: str | None = None  # a unit's code; empty for none
    address: str = ""
    signing_city: str
    # On: a unit operator's submission waits for the unit head's approval.
    unit_head_approval: bool = True


def _out(profile) -> dict:
    return {
        "configured": profile.pk is not None,
        **{
            name: getattr(profile, name)
            for name in organisation_profile.EDITABLE_FIELDS
            if name != "coordinating_unit"
        },
        "coordinating_unit": profile.coordinating_unit.code if profile.coordinating_unit else None,
        "has_logo": bool(profile.logo),
    }


@router.get("/organisation-profile", response={200: OrganisationProfileOut, **REFUSALS})
def get_profile(request):
    """The organisation profile; `configured` is false until an administrator saves it."""
    require(request, VIEW)
    return _out(organisation_profile.current_profile())


@router.put("/organisation-profile", response={200: OrganisationProfileOut, **REFUSALS})
def put_profile(request, payload: OrganisationProfileIn):
    """Replace the organisation profile (administrators). The logo is sent separately."""
    require(request, organisation_profile.MANAGE)
    data = payload.dict()
    code = (data.pop("coordinating_unit") or "").strip()
    unit = None
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise ValidationError(
                {
                    "coordinating_unit": _("There is no unit with the code %(code)s.")
                    % {"code": code}
                }
            )
    profile = organisation_profile.update_profile(
        actor=request.user, coordinating_unit=unit, **data
    )
    return _out(profile)


@router.post("/organisation-profile/logo", response={200: OrganisationProfileOut, **REFUSALS})
def put_logo(request, logo: File[UploadedFile]):
    """Upload the logo (PNG or JPEG, at most 1 MB) as multipart field `logo` (administrators).
    The profile must have been saved first."""
    require(request, organisation_profile.MANAGE)
    if not organisation_profile.is_configured():
        raise ValidationError(_("Save the organisation profile before its logo."))
    profile = organisation_profile.update_profile(actor=request.user, logo=logo)
    return _out(profile)
