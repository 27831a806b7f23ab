"""The set-up checklist: what a new ministry must enter before its first planning cycle.

`checklist()` reads the state of each item in a fixed number of queries, whatever the size of
the organisation; `pending()` says whether anything required is left to do (the navigation
and the home page link to the checklist while it is).
"""

import os
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rkpk.analysis.models import MinistryIndicator, StrategicGoal
from rkpk.core.calendar import today
from rkpk.core.models import CalendarOverride
from rkpk.organisation import profile
from rkpk.organisation.models import Official, Role, RoleAssignment, Unit
from rkpk.organisation.selectors import current_heads
from rkpk.plans.models import MeasureUnit, QualitativeValue, ReturnReason
from rkpk.procedure.models import ServiceStandard, StandardStep

DONE = "done"
TODO = "todo"
OPTIONAL = "optional"

# The roles a cycle cannot run without: the bureau starts it and checks the plans, the head
# of bureau approves; units need someone to enter their plans.
REQUIRED_ROLES = (Role.STAFF, Role.HEAD_OF_BUREAU, Role.UNIT_OPERATOR)


@dataclass
class Item:
    key: str
    title: str
    state: str
    details: list[str] = field(default_factory=list)
    url: str | None = None
    action: str = ""

    @property
    def is_done(self) -> bool:
        return self.state == DONE


def _profile_details(done: bool) -> list[str]:
    if not done:
        return [_("Not set yet: documents would print a neutral name.")]
    current = profile.current_profile()
    details = [current.name]
    if not current.coordinating_unit_id:
        details.append(_("No coordinating unit chosen yet (choose it once the units are in)."))
    if not (current.address.strip() or current.logo):
        details.append(_("The letterhead has no address lines or logo."))
    return details


def _profile() -> Item:
    done = profile.is_configured()
    return Item(
        "profile",
        _("Organisation profile"),
        DONE if done else TODO,
        _profile_details(done),
        reverse("organisation:profile") if done else reverse("organisation:profile_edit"),
        _("Edit the profile") if done else _("Enter the profile"),
    )


def _units_and_officials() -> tuple[Item, Item]:
    units = list(Unit.objects.filter(is_active=True).only("pk", "head_position"))
    officials = Official.objects.filter(is_active=True).count()
    heads = current_heads(units)
    headless = sum(1 for unit in units if unit.pk not in heads)
    unit_details = [
        ngettext("%(n)d unit", "%(n)d units", len(units)) % {"n": len(units)},
    ]
    if units:
        unit_details[0] += ", " + (
            ngettext("%(n)d without a head", "%(n)d without a head", headless) % {"n": headless}
        )
    units_item = Item(
        "units",
        _("Units"),
        DONE if units else TODO,
        unit_details,
        reverse("organisation:unit_list"),
        _("Import or enter the units"),
    )
    official_details = [ngettext("%(n)d official", "%(n)d officials", officials) % {"n": officials}]
    if headless:
        official_details.append(
            ngettext(
                "%(n)d unit has no head recorded.", "%(n)d units have no head recorded.", headless
            )
            % {"n": headless}
        )
    officials_item = Item(
        "officials",
        _("Officials and unit heads"),
        DONE if officials and units and not headless else TODO,
        official_details,
        reverse("organisation:official_list"),
        _("Import or enter the officials"),
    )
    return units_item, officials_item


def _users() -> Item:
    held = list(
        RoleAssignment.objects.filter(user__is_active=True)
        .values_list("role", "unit_id")
        .distinct()
    )
    users = RoleAssignment.objects.filter(user__is_active=True).values("user_id").distinct().count()
    roles_held = {role for role, _unit in held}
    missing = [Role(role).label for role in REQUIRED_ROLES if role not in roles_held]
    operated = {unit for role, unit in held if role == Role.UNIT_OPERATOR and unit}
    details = [
        ngettext("%(n)d user with a role", "%(n)d users with a role", users) % {"n": users},
        ngettext("%(n)d unit has an operator.", "%(n)d units have an operator.", len(operated))
        % {"n": len(operated)},
    ]
    if missing:
        details.append(_("Nobody holds: %(roles)s.") % {"roles": ", ".join(map(str, missing))})
    return Item(
        "users",
        _("Users and roles"),
        TODO if missing else DONE,
        details,
        reverse("organisation:user_list"),
        _("Add users and give them roles"),
    )


def _goals() -> Item:
    totals = StrategicGoal.objects.aggregate(
        goals=Count("pk", distinct=True),
        without=Count("pk", distinct=True, filter=Q(indicators__isnull=True)),
    )
    year = today().year + 1  # the year the first cycle plans
    indicators_totals = MinistryIndicator.objects.aggregate(
        all=Count("pk", distinct=True),
        targeted=Count("pk", distinct=True, filter=Q(targets__year=year)),
    )
    indicators = indicators_totals["all"]
    untargeted = indicators - indicators_totals["targeted"]
    details = [
        ngettext("%(n)d strategic goal", "%(n)d strategic goals", totals["goals"])
        % {"n": totals["goals"]}
        + ", "
        + ngettext("%(n)d ministry indicator", "%(n)d ministry indicators", indicators)
        % {"n": indicators}
    ]
    if totals["without"]:
        details.append(
            ngettext(
                "%(n)d goal has no indicator.", "%(n)d goals have no indicator.", totals["without"]
            )
            % {"n": totals["without"]}
        )
    if untargeted:
        # Not required: a target can be added later, before the compilation judges it.
        details.append(
            ngettext(
                "%(n)d ministry indicator has no target for %(year)d.",
                "%(n)d ministry indicators have no target for %(year)d.",
                untargeted,
            )
            % {"n": untargeted, "year": year}
        )
    done = totals["goals"] and indicators and not totals["without"]
    return Item(
        "goals",
        _("Strategic goals and ministry indicators"),
        DONE if done else TODO,
        details,
        reverse("analysis:goal_list"),
        _("Import the strategic goals"),
    )


def _reference_lists() -> Item:
    active = Q(is_active=True)
    counts = {
        "measures": MeasureUnit.objects.filter(active).count(),
        "qualitative": QualitativeValue.objects.filter(active).count(),
        "reasons": ReturnReason.objects.filter(active).count(),
    }
    details = [
        _(
            "%(measures)d units of measure (satuan), %(qualitative)d qualitative values, "
            "%(reasons)d return reasons"
        )
        % counts,
        _("The lists start with common values: check them and add your own."),
    ]
    return Item(
        "lists",
        _("Reference lists"),
        DONE if all(counts.values()) else TODO,
        details,
        reverse("plans:list_index"),
        _("Check the lists"),
    )


def _standard() -> Item:
    standard = ServiceStandard.objects.order_by("-version").first()
    steps = StandardStep.objects.filter(standard=standard).count() if standard else 0
    details = (
        [_("Version %(version)d, %(steps)d steps") % {"version": standard.version, "steps": steps}]
        if standard
        else [_("No service standard yet.")]
    )
    return Item(
        "standard",
        _("Service standard"),
        DONE if steps else TODO,
        details,
        reverse("procedure:standard_detail"),
        _("Check the standard"),
    )


def _calendar() -> Item:
    year = today().year
    overrides = CalendarOverride.objects.filter(date__year__in=(year, year + 1)).count()
    return Item(
        "calendar",
        _("Working-day calendar overrides"),
        DONE if overrides else OPTIONAL,
        [
            ngettext(
                "%(n)d override for %(year)d–%(next)d",
                "%(n)d overrides for %(year)d–%(next)d",
                overrides,
            )
            % {"n": overrides, "year": year, "next": year + 1},
            _("Add joint leave days (cuti bersama) and corrections when they are decreed."),
        ],
        reverse("core:calendar"),
        _("Open the calendar"),
    )


def _readable(path: str) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.R_OK)


def _certificate() -> Item:
    cert = getattr(settings, "RKPK_SIGNING_CERT", "") or ""
    key = getattr(settings, "RKPK_SIGNING_KEY", "") or ""
    problems = []
    for name, path in (("RKPK_SIGNING_CERT", cert), ("RKPK_SIGNING_KEY", key)):
        if not path:
            problems.append(_("%(setting)s is not set.") % {"setting": name})
        elif not _readable(path):
            problems.append(
                _("%(setting)s: the file %(path)s cannot be read.")
                % {"setting": name, "path": path}
            )
    if not problems:
        state, details = DONE, [_("Issued PDFs are sealed (PAdES).")]
    else:
        # A development server may run without a certificate: PDFs are then not sealed.
        state = OPTIONAL if settings.DEBUG and not (cert or key) else TODO
        details = [
            *problems,
            _(
                "Set both in the server's environment (see the README; "
                "'rkpk make_signing_certificate' makes a self-signed one for testing)."
            ),
        ]
    return Item("certificate", _("Signing certificate"), state, details)


def checklist() -> list[Item]:
    """Every item of the set-up, in the order to do them. A fixed number of queries."""
    units, officials = _units_and_officials()
    return [
        _profile(),
        units,
        officials,
        _users(),
        _goals(),
        _reference_lists(),
        _standard(),
        _calendar(),
        _certificate(),
    ]


def pending(items: list[Item] | None = None) -> int:
    """How many required items are left to do."""
    return sum(1 for item in (checklist() if items is None else items) if item.state == TODO)


def pending_for(user) -> int:
    """Required set-up items left to do, for the administrator's home page (0 for anyone
    who may not see the checklist); read once per request. Not in the navigation: reading
    the checklist costs a dozen queries, which every page would pay."""
    if user is None or not user.is_authenticated or not user.has_perm("organisation.manage"):
        return 0
    cached = getattr(user, "_rkpk_setup_pending", None)
    if cached is None:
        cached = pending()
        user._rkpk_setup_pending = cached
    return cached
