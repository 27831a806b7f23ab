from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The actors of DESIGN.md §2."""

    ADMIN = "admin", _("System administrator")
    STAFF = "staff", _("Staff, Performance Accountability Bureau")
    HEAD_OF_SECTION = "head_of_section", _("Head of Section")
    HEAD_OF_BUREAU = "head_of_bureau", _("Head of Bureau")
    DEPUTY = "deputy", _("Deputy")
    MINISTER = "minister", _("Minister")
    UNIT_OPERATOR = "unit_operator", _("Unit operator")
    UNIT_HEAD = "unit_head", _("Unit head")
    GENERAL_BUREAU = "general_bureau", _("General Bureau")
    VIEWER = "viewer", _("Viewer")


# Roles held for one unit; every other role is held for the whole ministry.
# A tuple, not a set: its order is written into a migration and must not vary between runs.
UNIT_ROLES = (Role.UNIT_OPERATOR, Role.UNIT_HEAD)


class Unit(models.Model):
    """An organisational unit (satuan organisasi / satuan kerja) in the ministry's tree."""

    class Level(models.IntegerChoices):
        ESELON_I = 1, _("Echelon I")
        ESELON_II = 2, _("Echelon II")
        ESELON_III = 3, _("Echelon III")
        ESELON_IV = 4, _("Echelon IV")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", _("Letters, digits, . _ -"))],
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    head_position = models.CharField(_("head position"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


NIP_VALIDATOR = RegexValidator(r"^\d{18}$", _("A NIP has 18 digits."))


class Official(models.Model):
    """A person who holds (or held) a position: signs, reviews, heads a unit.

    `position` and `unit` are the person's own (definitive) post. Heading a unit, also as
    Plt./Plh. of another unit, is recorded in `Headship`. A pejabat negara (a minister) has
    no NIP: `nip` is empty and no NIP line is printed.
    """

    name = models.CharField(_("name"), max_length=200)
    # NULL, not "", when there is none: the uniqueness holds only between real NIPs.
    nip = models.CharField(  # noqa: DJ001
        _("NIP"), max_length=18, null=True, blank=True, validators=[NIP_VALIDATOR]
    )
    is_state_official = models.BooleanField(
        _("state official (pejabat negara, no NIP)"), default=False
    )
    position = models.CharField(_("position"), max_length=200)
    rank = models.CharField(_("rank/grade"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        verbose_name=_("unit"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=Q(nip__isnull=False), name="unique_official_nip"
            )
        ]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self) -> str:
        return self.name


class Headship(models.Model):
    """An official heading a unit: definitively, or acting (Plt./Plh.) for a period.

    One person may head several units (their own definitively and another as Plt.). The post
    printed for the head is the unit's `head_position`, prefixed "Plt."/"Plh." when acting.
    """

    class Kind(models.TextChoices):
        DEFINITIVE = "def", _("Definitive")
        PLT = "Plt", _("Plt. (pelaksana tugas)")
        PLH = "Plh", _("Plh. (pelaksana harian)")

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="headships", verbose_name=_("official")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="headships", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices, default=Kind.DEFINITIVE)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="headship_period_ordered",
            )
        ]
        verbose_name = _("headship")
        verbose_name_plural = _("headships")

    def __str__(self) -> str:
        prefix = "" if self.kind == self.Kind.DEFINITIVE else f"{self.kind}. "
        return f"{prefix}{self.unit.head_position or self.unit}: {self.official}"


class OrganisationProfile(models.Model):
    """The ministry or agency itself, as printed on every page and document.

    One record (the first); issued documents copy what they print, so a later edit changes
    only what is issued afterwards.
    """

    name = models.CharField(_("official name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    minister_title = models.CharField(_("title of the minister"), max_length=200)
    deputy_title = models.CharField(_("title of the deputy"), max_length=200, blank=True)
    head_of_bureau_title = models.CharField(
        _("title of the head of bureau"), max_length=200, blank=True
    )
    head_of_section_title = models.CharField(
        _("title of the head of section"), max_length=200, blank=True
    )
    general_bureau_title = models.CharField(
        _("name of the general bureau"), max_length=200, blank=True
    )
    pk_second_party_title = models.CharField(_("second party of the ministry's PK"), max_length=200)
    pk_second_party_name = models.CharField(
        _("name of the second party"), max_length=200, blank=True
    )
    pk_second_party_has_nip = models.BooleanField(
        _("the second party carries a NIP"), default=False
    )
    pk_second_party_nip = models.CharField(
        _("NIP of the second party"), max_length=18, blank=True, validators=[NIP_VALIDATOR]
    )
    coordinating_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinating unit"),
    )
    logo = models.FileField(_("logo"), upload_to="profile/", blank=True)
    address = models.TextField(_("address lines"), blank=True)
    signing_city = models.CharField(_("city before signature dates"), max_length=100)
    unit_head_approval = models.BooleanField(
        _("the unit head approves a plan before it goes to the bureau"),
        default=True,
        help_text=_(
            "On: a unit operator's submission waits for the unit head's approval (the first "
            "party of the unit's PK). Off: the operator submits to the bureau directly."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation profile")
        verbose_name_plural = _("organisation profile")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    official = models.ForeignKey(
        Official,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("official"),
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts can only log in on a development server (DEBUG on)."),
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="unique_role_per_user_unit"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True),
                name="unique_global_role_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in UNIT_ROLES], unit__isnull=False)
                    | (~Q(role__in=[r.value for r in UNIT_ROLES]) & Q(unit__isnull=True))
                ),
                name="unit_roles_need_a_unit",
            ),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{label} — {self.unit}" if self.unit_id else str(label)


class ActingAssignment(models.Model):
    """A person acting for an absent leader: Plt (pelaksana tugas, the position vacant or
    its holder away for long) or Plh (pelaksana harian, a short absence). For its dates the
    person reviews and signs in that role, and every document says "Plt."/"Plh."."""

    class Kind(models.TextChoices):
        PLT = "Plt", _("Plt. (pelaksana tugas)")
        PLH = "Plh", _("Plh. (pelaksana harian)")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="acting_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("acts as"), max_length=30, choices=Role.choices)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("set by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="acting_period_ordered"
            )
        ]
        verbose_name = _("acting assignment")
        verbose_name_plural = _("acting assignments")

    def __str__(self) -> str:
        return f"{self.kind}. {self.get_role_display()}: {self.user}"
