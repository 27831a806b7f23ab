"""The ministry's own RK-PK of a cycle, from the first draft to the published, signed
documents (steps 7–13 of the procedure).

A `MinistryPlan` holds the narrative sections the bureau edits; the tables are generated
from the compiled unit plans. Each submission for review freezes a `PlanVersion` (sections
and tables, with the people who wrote it). Every version goes to the head of bureau (step 8)
and then to the deputy (step 9); either may comment on a section or a table row and return
it with the changes required. The minister signs the version the deputy approved (step 11):
the final RK and PK PDFs are issued then, each with its verification token, and are
published read-only to every unit when the distribution is dispatched (step 13).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MinistryPlan(models.Model):
    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Being drafted")
        BUREAU_REVIEW = "bureau_review", _("With the head of bureau")
        DEPUTY_REVIEW = "deputy_review", _("With the deputy")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved by the deputy, for the minister")
        SIGNED = "signed", _("Signed by the minister")
        PUBLISHED = "published", _("Published")

    EDITABLE = (Status.DRAFTING, Status.RETURNED)

    cycle = models.OneToOneField(
        "procedure.Cycle", on_delete=models.PROTECT, related_name="ministry_plan"
    )
    year = models.PositiveSmallIntegerField(_("plan year"), unique=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DRAFTING
    )
    compilation = models.ForeignKey(
        "analysis.Compilation", on_delete=models.PROTECT, related_name="+"
    )
    analysis_version = models.ForeignKey(
        "analysis.AnalysisVersion", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The second party of the ministry's PK (the first is the minister who signs).
    second_party_name = models.CharField(_("second party"), max_length=200, blank=True)
    second_party_position = models.CharField(
        _("second party's position"), max_length=200, default="Presiden Republik Indonesia"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The minister's signature (step 11), as printed on the documents.
    signed_version = models.ForeignKey(
        "PlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_name = models.CharField(max_length=200, blank=True)
    signed_nip = models.CharField(max_length=18, blank=True)
    signed_position = models.CharField(max_length=200, blank=True)
    signed_acting = models.CharField(max_length=3, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("ministry RK-PK")
        verbose_name_plural = _("ministry RK-PKs")

    def __str__(self) -> str:
        return f"RK-PK Kementerian {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class PlanSection(models.Model):
    """A narrative section of the draft, edited in the app."""

    plan = models.ForeignKey(MinistryPlan, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="unique_ministry_section_key")
        ]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """The draft as submitted for review: sections and tables frozen, and its reviews."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for revision")

    plan = models.ForeignKey(MinistryPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    # Everyone who wrote this version (edited a section since the previous one, or
    # submitted it): none of them may approve it.
    authors = models.JSONField(default=list)
    bureau_decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    bureau_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bureau_acting = models.CharField(max_length=3, blank=True)
    bureau_at = models.DateTimeField(null=True, blank=True)
    deputy_decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    deputy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deputy_acting = models.CharField(max_length=3, blank=True)
    deputy_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_ministry_version")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class ReviewComment(models.Model):
    """A reviewer's comment on a version, anchored to a section, a table row or the whole;
    `required` marks a change that must be made before the next version."""

    class Stage(models.TextChoices):
        BUREAU = "bureau", _("Head of bureau")
        DEPUTY = "deputy", _("Deputy")

    class Anchor(models.TextChoices):
        GENERAL = "general", _("Whole draft")
        SECTION = "section", _("Section")
        ROW = "row", _("Table row")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    stage = models.CharField(max_length=6, choices=Stage.choices)
    anchor_type = models.CharField(max_length=8, choices=Anchor.choices)
    anchor = models.CharField(max_length=120, blank=True)
    anchor_label = models.CharField(max_length=300, blank=True)
    text = models.TextField(_("comment"))
    required = models.BooleanField(_("required change"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acting = models.CharField(max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.anchor_label or self.anchor_type}: {self.text[:40]}"


class FinalDocument(models.Model):
    """A signed final document (the RK or the PK) as issued: the PDF, its SHA-256 and the
    token its QR code leads to."""

    class Kind(models.TextChoices):
        RK = "rk", _("Performance plan (RK)")
        PK = "pk", _("Performance agreement (PK)")

    plan = models.ForeignKey(MinistryPlan, on_delete=models.PROTECT, related_name="final_documents")
    kind = models.CharField(max_length=2, choices=Kind.choices)
    pdf = models.FileField(upload_to="ministry/final/%Y/")
    pdf_sha256 = models.CharField(max_length=64, db_index=True)
    verification_token = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="one_final_document_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.plan.year}"
