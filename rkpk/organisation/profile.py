"""The organisation profile: the ministry or agency as every page and document prints it.

- `current_profile()` is the one read used everywhere: the saved `OrganisationProfile` (the
  first), or, before the administrator has saved one, an unsaved neutral instance whose
  `is_configured()` is False. It is cached per process (pages do not pay a query for it),
  dropped whenever a profile is saved or deleted here, and read again after CACHE_SECONDS
  so that an edit made in another process shows within that time.
- `update_profile(actor=…, **fields)` is the one write: validated, audited with the state
  before and after, in one transaction.
- `frozen_values()` is what an issued document copies into its frozen content, and
  `values_from(frozen)` reads them back, so a later edit of the profile does not change a
  document already issued.
"""

import base64
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.organisation.models import OrganisationProfile

MANAGE = "organisation.manage_profile"
NEUTRAL_NAME = "RK-PK"
LOGO_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
LOGO_MAX_BYTES = 1024 * 1024
# The values a document prints, by the key it stores them under.
FROZEN_FIELDS = (
    "name",
    "short_name",
    "minister_title",
    "deputy_title",
    "head_of_bureau_title",
    "head_of_section_title",
    "general_bureau_title",
    "pk_second_party_title",
    "pk_second_party_name",
    "pk_second_party_nip",
    "signing_city",
    "address",
)
EDITABLE_FIELDS = (
    "name",
    "short_name",
    "minister_title",
    "deputy_title",
    "head_of_bureau_title",
    "head_of_section_title",
    "general_bureau_title",
    "pk_second_party_title",
    "pk_second_party_name",
    "pk_second_party_has_nip",
    "pk_second_party_nip",
    "coordinating_unit",
    "address",
    "signing_city",
    "unit_head_approval",
)

CACHE_SECONDS = 30
_cache: dict = {}


# Generic titles printed where the profile leaves one empty (and before it is saved).
GENERIC_TITLES = {
    "minister_title": "Menteri",
    "deputy_title": "Deputi",
    "head_of_bureau_title": "Kepala Biro",
    "head_of_section_title": "Kepala Bagian",
    "general_bureau_title": "Biro Umum",
    "pk_second_party_title": "Presiden Republik Indonesia",
}


def _neutral() -> OrganisationProfile:
    """The profile before one is saved: a neutral name, no titles (documents print the
    generic ones through `title()`), the city from settings.RKPK_DOCUMENT_PLACE."""
    return OrganisationProfile(name=NEUTRAL_NAME, short_name=NEUTRAL_NAME, signing_city="")


def title(name: str, profile: OrganisationProfile | None = None) -> str:
    """A title of the profile, the generic one when it is empty ("Deputi", "Kepala Biro")."""
    profile = profile or current_profile()
    return getattr(profile, name) or GENERIC_TITLES.get(name, "")


def current_profile() -> OrganisationProfile:
    """The organisation profile (cached); an unsaved neutral one before any is saved."""
    profile, read_at = _cache.get("profile"), _cache.get("at", 0.0)
    if profile is None or time.monotonic() - read_at > CACHE_SECONDS:
        found = OrganisationProfile.objects.select_related("coordinating_unit").order_by("pk")
        profile = found.first() or _neutral()
        _cache.update(profile=profile, at=time.monotonic())
    return profile


def clear_cache(**_kwargs) -> None:
    _cache.clear()


def is_configured() -> bool:
    """Whether the administrator has saved the profile (the set-up checklist's first item)."""
    return current_profile().pk is not None


@receiver(post_save, sender=OrganisationProfile)
@receiver(post_delete, sender=OrganisationProfile)
def _profile_changed(**kwargs) -> None:
    clear_cache()
    transaction.on_commit(clear_cache)


# --- values as documents print them -------------------------------------------------------


def frozen_values(profile: OrganisationProfile | None = None) -> dict:
    """The profile's printed values as plain strings, to copy into an issued document."""
    profile = profile or current_profile()
    values = {field: (getattr(profile, field) or "") for field in FROZEN_FIELDS}
    values.update({name: title(name, profile) for name in GENERIC_TITLES})
    if not profile.pk_second_party_has_nip:
        values["pk_second_party_nip"] = ""
    values["signing_city"] = signing_city(profile)
    return values


def values_from(frozen: dict | None) -> dict:
    """The values a document prints: those it froze when issued, else the current profile's."""
    values = frozen_values()
    if frozen:
        values.update({k: v for k, v in frozen.items() if k in FROZEN_FIELDS and v is not None})
    return values


def placeholder_values(profile: OrganisationProfile | None = None) -> dict:
    """The profile's placeholders in letter templates, register patterns and addressees:
    {organisation}, {organisation_upper}, {organisation_short}, {minister_title},
    {deputy_title}, {head_of_bureau_title}, {head_of_section_title}, {general_bureau},
    {coordinating_unit},
    {address}, {signing_city}."""
    profile = profile or current_profile()
    return {
        "organisation": profile.name,
        "organisation_upper": (profile.name or "").upper(),
        "organisation_short": profile.short_name,
        "minister_title": title("minister_title", profile),
        "deputy_title": title("deputy_title", profile),
        "head_of_bureau_title": title("head_of_bureau_title", profile),
        "head_of_section_title": title("head_of_section_title", profile),
        "general_bureau": title("general_bureau_title", profile),
        "coordinating_unit": profile.coordinating_unit.name if profile.coordinating_unit else "",
        "address": profile.address,
        "signing_city": signing_city(profile),
    }


def signing_city(profile: OrganisationProfile | None = None) -> str:
    """The city before signature dates: the profile's, else settings.RKPK_DOCUMENT_PLACE."""
    profile = profile or current_profile()
    return profile.signing_city or getattr(settings, "RKPK_DOCUMENT_PLACE", "") or ""


def second_party(profile: OrganisationProfile | None = None) -> dict:
    """The second party of the ministry's PK: title, name, NIP ("" when it carries none)."""
    profile = profile or current_profile()
    return {
        "position": title("pk_second_party_title", profile),
        "name": profile.pk_second_party_name,
        "nip": profile.pk_second_party_nip if profile.pk_second_party_has_nip else "",
    }


def address_lines(text: str | None = None) -> list[str]:
    if text is None:
        text = current_profile().address
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def logo_bytes(profile: OrganisationProfile | None = None) -> tuple[bytes, str] | None:
    """(content, content type) of the stored logo, or None (none, or gone from storage)."""
    profile = profile or current_profile()
    if not profile.logo:
        return None
    try:
        with profile.logo.open("rb") as handle:
            content = handle.read(LOGO_MAX_BYTES + 1)
    except (FileNotFoundError, OSError, ValueError):
        return None
    kind = logo_type(content)
    return (content, kind) if kind else None


def logo_data_uri(profile: OrganisationProfile | None = None) -> str:
    """The logo as a data: URI for the PDFs (which load no external resource); "" if none."""
    found = logo_bytes(profile)
    if not found:
        return ""
    content, kind = found
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def letterhead(profile: OrganisationProfile | None = None) -> dict:
    """What the letterhead of a naskah dinas or final document prints."""
    profile = profile or current_profile()
    return {
        "name": profile.name,
        "name_upper": (profile.name or "").upper(),
        "address_lines": address_lines(profile.address),
        "logo": logo_data_uri(profile),
    }


# --- the write ----------------------------------------------------------------------------


def logo_type(content: bytes) -> str:
    """ "image/png" or "image/jpeg" by the file's first bytes; "" for anything else."""
    for kind, magic in LOGO_TYPES.items():
        if content.startswith(magic):
            return kind
    return ""


def check_logo(upload) -> None:
    """A logo must be a PNG or JPEG image (judged by its content) of at most 1 MB."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            {"logo": _("The logo is larger than 1 MB; upload a smaller PNG or JPEG image.")}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not logo_type(head):
        raise ValidationError(
            {"logo": _("The logo must be a PNG or JPEG image (the file is neither).")}
        )


def _state(profile: OrganisationProfile) -> dict:
    data = audit.snapshot(profile)
    data.pop("updated_at", None)
    return data


@transaction.atomic
def update_profile(*, actor, logo=None, remove_logo: bool = False, **fields):
    """Create or update the one organisation profile; audited with before and after."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    profile = OrganisationProfile.objects.select_for_update().order_by("pk").first()
    created = profile is None
    profile = profile or OrganisationProfile()
    before = None if created else _state(profile)
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(profile, name, value)
    if not profile.pk_second_party_has_nip:
        profile.pk_second_party_nip = ""
    errors: dict[str, list] = {}
    try:
        profile.full_clean(exclude=["logo"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if profile.pk_second_party_has_nip and not profile.pk_second_party_nip:
        errors.setdefault("pk_second_party_nip", []).append(
            _("Enter the NIP of the second party, or say that it carries none.")
        )
    if profile.coordinating_unit_id and not profile.coordinating_unit.is_active:
        errors.setdefault("coordinating_unit", []).append(
            _("The coordinating unit is inactive; choose an active unit.")
        )
    if logo is not None:
        try:
            check_logo(logo)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    old_logo = profile.logo.name if profile.logo else ""
    if remove_logo and not logo:
        profile.logo = ""
    if logo is not None:
        extension = "png" if logo_type(logo.read(16)) == "image/png" else "jpg"
        logo.seek(0)
        profile.logo.save(f"logo.{extension}", logo, save=False)
    profile.save()
    after = _state(profile)
    if created or before != after:
        audit.record(
            actor=actor,
            action="organisation.profile_created" if created else "organisation.profile_updated",
            obj=profile,
            before=before,
            after=after,
        )
    new_logo = profile.logo.name if profile.logo else ""
    if old_logo and old_logo != new_logo:
        storage = profile.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    clear_cache()
    return profile
