from rkpk.organisation import demo_data
from rkpk.organisation.models import Headship, Official, RoleAssignment, Unit, User


def load_demo_organisation(*, password: str) -> dict:
    """Create or update the demo units, officials and accounts. Returns counts."""
    units = {}
    for order, (code, name, short, level, parent, head) in enumerate(demo_data.UNITS, start=1):
        unit, _ = Unit.objects.update_or_create(
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
        units[code] = unit
    officials = {}
    for index, ((code, _n, _s, level, _p, head), person) in enumerate(
        zip(demo_data.UNITS, demo_data.HEAD_NAMES, strict=True), start=1
    ):
        official, _ = Official.objects.update_or_create(
            nip=demo_data.head_nip(index, level, person),
            defaults={
                "name": person,
                "position": head,
                "rank": demo_data.RANK_BY_LEVEL[level],
                "unit": units[code],
            },
        )
        officials[code] = official
        # Each unit's head, recorded as its definitive head (re-runnable).
        Headship.objects.update_or_create(
            official=official,
            unit=units[code],
            kind=Headship.Kind.DEFINITIVE,
            defaults={"starts_on": None, "ends_on": None},
        )
    # The minister is a state official (pejabat negara): no NIP. Found by the NIP older demo
    # databases gave them, else by name.
    minister = (
        Official.objects.filter(nip=demo_data.MINISTER_OLD_NIP).first()
        or Official.objects.filter(
            nip__isnull=True, is_state_official=True, name=demo_data.MINISTER["name"]
        ).first()
        or Official(is_state_official=True)
    )
    for name, value in demo_data.MINISTER.items():
        setattr(minister, name, value)
    minister.is_state_official = True
    minister.unit = None
    minister.save()
    officials["minister"] = minister
    for extra in demo_data.EXTRA_OFFICIALS:
        official, _ = Official.objects.update_or_create(
            nip=extra["nip"],
            defaults={
                "name": extra["name"],
                "position": extra["position"],
                "rank": extra["rank"],
                "unit": units[extra["unit"]],
            },
        )
        officials[extra["nip"]] = official
    load_demo_users(demo_data.DEMO_USERS, officials=officials, units=units, password=password)
    return {"units": len(units), "officials": len(officials), "users": len(demo_data.DEMO_USERS)}


def load_demo_users(users: dict, *, officials: dict, units: dict, password: str) -> None:
    """The demo accounts: {username: (first, last, [(role, unit code)], official key)}."""
    for username, (first, last, held, official_key) in users.items():
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.invalid",
                "is_demo": True,
                "is_active": True,
                "official": officials.get(official_key) if official_key else None,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        for role, unit_code in held:
            RoleAssignment.objects.get_or_create(
                user=user, role=role, unit=units[unit_code] if unit_code else None
            )
