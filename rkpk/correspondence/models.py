"""Official correspondence (naskah dinas): memoranda and letters, their registers (agenda
books) with gapless numbering, signatures, and the expedition book of their delivery."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rkpk.organisation.models import Role, Unit


class Kind(models.TextChoices):
    MEMO = "memo", _("Memorandum (nota dinas)")
    LETTER = "letter", _("Letter (surat dinas)")


class LetterTemplate(models.Model):
    """An admin-edited template: letterhead, subject and body with placeholders.

    Placeholders: {cycle}, {year}, {deadline}, {recipients}, {sender}, {date}, {subject},
    the organisation profile's {organisation}, {organisation_upper}, {organisation_short},
    {minister_title}, {deputy_title}, {head_of_bureau_title}, {coordinating_unit},
    {general_bureau}, {address}, and any other key the document passes (unknown ones are left
    as written). The letterhead and signer's position take the profile's placeholders too.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    letterhead = models.TextField(_("letterhead"), help_text=_("One line per line of the head."))
    subject = models.CharField(_("subject (hal)"), max_length=300)
    body = models.TextField(_("body"))
    signer_role = models.CharField(_("signer's role"), max_length=30, choices=Role.choices)
    signer_position = models.CharField(_("signer's position"), max_length=200)
    register = models.ForeignKey(
        "Register", on_delete=models.PROTECT, related_name="templates", verbose_name=_("register")
    )
    requires_review = models.BooleanField(_("reviewed before signing"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")

    def __str__(self) -> str:
        return self.name


class Register(models.Model):
    """An agenda book with its number pattern.

    Tokens: {seq} (or {seq:04} for zero padding), {unit}, {organisation} (the short name in
    the organisation profile), {classification}, {month}, {month_roman}, {year}; anything
    else is fixed text, e.g. "B-{seq}/{organisation}/Was/{classification}/{month}/{year}".
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    pattern = models.CharField(_("number pattern"), max_length=200)
    unit_code = models.CharField(_("unit token"), max_length=60, blank=True)
    classification = models.CharField(_("default classification code"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("register")
        verbose_name_plural = _("registers")

    def __str__(self) -> str:
        return self.name


class NumberSequence(models.Model):
    """The last number given in a register in a year; locked while a number is given."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="sequences")
    year = models.PositiveSmallIntegerField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="one_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.register.code} {self.year}: {self.last_seq}"


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Reviewed, awaiting signature")
        SIGNED = "signed", _("Signed")
        REGISTERED = "registered", _("Registered and numbered")
        DISPATCHED = "dispatched", _("Dispatched")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    EDITABLE = (Status.DRAFT,)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="documents")
    cycle = models.ForeignKey(
        "procedure.Cycle", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=60,
        blank=True,
        help_text=_("Which step of the procedure it serves."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    requires_review = models.BooleanField(_("reviewed before signing"), default=True)
    classification = models.CharField(_("classification code"), max_length=30, blank=True)
    nature = models.CharField(_("nature (sifat)"), max_length=30, default="Biasa")
    attachments_note = models.CharField(_("enclosures (lampiran)"), max_length=100, blank=True)
    subject = models.CharField(_("subject (hal)"), max_length=300)
    addressee = models.TextField(_("addressee (Yth.)"))
    body = models.TextField(_("body"))
    copies = models.TextField(_("copies (tembusan)"), blank=True)
    place = models.CharField(_("place"), max_length=60, default="Jakarta")
    # The letterhead as printed, copied from the template and the organisation profile
    # when the document is created, so a later edit of either does not change it.
    letterhead = models.TextField(_("letterhead"), blank=True)
    signer_role = models.CharField(_("signer's role"), max_length=30, choices=Role.choices)
    signer_position = models.CharField(_("signer's position"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1)
    # Signing fixes the content: its hash is kept, and the signed PDF with its own hash.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    signed_acting = models.CharField(_("acting"), max_length=3, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    number = models.CharField(_("number"), max_length=200, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    pdf = models.FileField(upload_to="correspondence/signed/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    verification_token = models.CharField(max_length=40, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")

    def __str__(self) -> str:
        return self.number or self.subject[:80]

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class NumberAllocation(models.Model):
    """Every number a register gave, in order; a cancelled one stays recorded as cancelled."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        CANCELLED = "cancelled", _("Cancelled")

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="allocations")
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(max_length=200)
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="allocation"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The agenda book's columns, kept as issued.
    recipient_summary = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["register", "year", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["register", "year", "seq"], name="unique_number_seq"),
            models.UniqueConstraint(fields=["register", "number"], name="unique_number_text"),
        ]

    def __str__(self) -> str:
        return self.number


class Review(models.Model):
    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGES = "changes", _("Changes requested")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "at"]

    def __str__(self) -> str:
        return f"{self.document}: {self.decision}"


class Recipient(models.Model):
    """One line of the expedition book: to whom, and when it was delivered, opened,
    acknowledged — and by whom."""

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic")
        COURIER = "courier", _("Courier (hard copy)")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("recipient"), max_length=200)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ELECTRONIC)
    delivered_at = models.DateTimeField(null=True, blank=True)
    courier = models.CharField(_("courier"), max_length=100, blank=True)
    received_by_name = models.CharField(_("received by"), max_length=200, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit"],
                condition=models.Q(unit__isnull=False),
                name="one_line_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.name}"


class DocumentAttachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="correspondence/attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name
