"""The demo organisations `rkpk seed_demo --organisation NAME` loads.

Each is configuration data in its own modules; this registry says how to load one's
organisation (profile, units, officials, accounts) and how to tell which one a database
already holds. Its goals and plans belong to the apps that own them (rkpk.site.demo loads
them). Loading a demo into a database that holds another demo (or another organisation) is
refused: their units, accounts and profile would mix. Loading the same demo again updates
what it made.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from rkpk.organisation.demo_orgs import kelautan, setneg


class DemoConflict(Exception):
    """The database holds another organisation; the demo is not loaded."""


@dataclass(frozen=True)
class DemoOrganisation:
    name: str  # the value of --organisation
    description: str
    profile: dict
    unit_codes: tuple[str, ...]
    load_organisation: Callable[..., dict]  # (password=) -> counts

    @property
    def title(self) -> str:
        return self.profile["name"]


# --- the first demo -----------------------------------------------------------------------


def _setneg_organisation(*, password: str) -> dict:
    from rkpk.organisation.demo import load_demo_organisation

    summary = load_demo_organisation(password=password)
    save_profile(setneg.PROFILE)
    return summary


def _setneg_codes() -> tuple[str, ...]:
    from rkpk.organisation.demo_data import UNITS

    return tuple(code for code, *_rest in UNITS)


# --- the second demo ----------------------------------------------------------------------


def _kelautan_organisation(*, password: str) -> dict:
    return load_structured_organisation(kelautan, password=password)


DEMOS: dict[str, DemoOrganisation] = {
    demo.name: demo
    for demo in (
        DemoOrganisation(
            name="setneg",
            description="36 units under eight Eselon I units (DESIGN.md §6), 21 example goals",
            profile=setneg.PROFILE,
            unit_codes=_setneg_codes(),
            load_organisation=_setneg_organisation,
        ),
        DemoOrganisation(
            name="kelautan",
            description=(
                "23 units, an inspectorate and a centre under the minister, a Plt. heading "
                "two units, roll-up plans, range and qualitative targets"
            ),
            profile=kelautan.PROFILE,
            unit_codes=tuple(code for code, *_rest in kelautan.UNITS),
            load_organisation=_kelautan_organisation,
        ),
    )
}
DEFAULT = "setneg"


def names() -> list[str]:
    return list(DEMOS)


def get(name: str) -> DemoOrganisation:
    """The demo called `name`; KeyError with the known names otherwise."""
    try:
        return DEMOS[name]
    except KeyError:
        raise KeyError(
            f"Unknown demo organisation {name!r}; choose one of: {', '.join(DEMOS)}."
        ) from None


def is_present(demo: DemoOrganisation) -> bool:
    """Whether the database holds units of this demo."""
    from rkpk.organisation.models import Unit

    return Unit.objects.filter(code__in=demo.unit_codes).exists()


def loaded() -> list[str]:
    """The names of the demos whose units are in the database."""
    return [name for name, demo in DEMOS.items() if is_present(demo)]


def check_can_load(name: str) -> DemoOrganisation:
    """The demo, if it may be loaded here: into a database holding no other demo and no
    other organisation's profile (loading it again is fine). Raises DemoConflict."""
    from rkpk.organisation.models import OrganisationProfile

    demo = get(name)
    others = [other for other in loaded() if other != name]
    if others:
        other = DEMOS[others[0]]
        raise DemoConflict(
            f"The database holds the demo organisation {other.name!r} ({other.title}); "
            f"loading {name!r} ({demo.title}) beside it would mix two organisations' units, "
            f"accounts and profile. Load it into an empty database (e.g. a new one, or after "
            f"`rkpk flush`), or run `rkpk seed_demo --organisation {other.name}` to update "
            f"the demo already there."
        )
    profile = OrganisationProfile.objects.order_by("pk").first()
    if profile is not None and profile.name != demo.profile["name"] and not is_present(demo):
        raise DemoConflict(
            f"The database holds the organisation {profile.name!r} (its profile); the demo "
            f"{name!r} ({demo.title}) is loaded only into an empty database or one holding "
            f"the same demo."
        )
    return demo


# --- loading ------------------------------------------------------------------------------


def save_profile(values: dict):
    """Write the organisation profile (the one record) from a demo's PROFILE."""
    from rkpk.organisation.models import OrganisationProfile, Unit

    fields = dict(values)
    code = fields.pop("coordinating_unit", None)
    fields["coordinating_unit"] = Unit.objects.filter(code=code).first() if code else None
    profile = OrganisationProfile.objects.order_by("pk").first() or OrganisationProfile()
    for field, value in fields.items():
        setattr(profile, field, value)
    try:
        profile.full_clean(exclude=["logo"])
    except ValidationError as error:  # demo data is wrong: say where
        raise ValueError(f"Demo profile {values.get('name')!r}: {error.message_dict}") from None
    profile.save()
    return profile


def load_structured_organisation(data, *, password: str) -> dict:
    """Create or update a demo's units, officials, headships (definitive and acting),
    accounts and profile from a data module shaped like `kelautan`. Returns counts."""
    from rkpk.core.calendar import today
    from rkpk.organisation.demo import load_demo_users
    from rkpk.organisation.models import Headship, Official, Unit

    units: dict[str, Unit] = {}
    for order, (code, name, short, level, parent, head) in enumerate(data.UNITS, start=1):
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "level": level,
                "parent": units.get(parent),
                "head_position": head,
                "sort_order": order * 10,
                "is_active": True,
            },
        )
    officials: dict[str, Official] = {}
    headships = 0
    for index, (code, _n, _s, level, _p, head) in enumerate(data.UNITS, start=1):
        person = data.HEADS.get(code)
        if person is None:  # vacant: someone acts for it
            continue
        officials[code], _ = Official.objects.update_or_create(
            nip=data.nip(index, level, person),
            defaults={
                "name": person,
                "position": head,
                "rank": data.RANK_BY_LEVEL[level],
                "unit": units[code],
                "is_state_official": False,
                "is_active": True,
            },
        )
        Headship.objects.update_or_create(
            official=officials[code],
            unit=units[code],
            kind=Headship.Kind.DEFINITIVE,
            defaults={"starts_on": None, "ends_on": None},
        )
        headships += 1
    officials["minister"], _ = Official.objects.update_or_create(
        nip=None,
        is_state_official=True,
        position=data.MINISTER["position"],
        defaults={"name": data.MINISTER["name"], "rank": data.MINISTER["rank"], "unit": None},
    )
    year = today().year - 1
    for holder, code, kind, (month, day), until in data.ACTING:
        Headship.objects.update_or_create(
            official=officials[holder],
            unit=units[code],
            kind=kind,
            defaults={"starts_on": date(year, month, day), "ends_on": until},
        )
        headships += 1
    for index, (key, fields) in enumerate(data.STAFF.items(), start=1):
        officials[key], _ = Official.objects.update_or_create(
            nip=data.nip(100 + index, 3, fields["name"]),
            defaults={**fields, "unit": units[fields["unit"]], "is_active": True},
        )
    load_demo_users(data.DEMO_USERS, officials=officials, units=units, password=password)
    save_profile(data.PROFILE)
    return {
        "units": len(units),
        "officials": len(officials),
        "headships": headships,
        "users": len(data.DEMO_USERS),
    }
