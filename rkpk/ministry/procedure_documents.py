"""The procedure's own documents, made from a cycle, and the steps they complete.

step  document (template key = Document.purpose)           the step is done when
1     step1-bureau-to-deputy: Head of Bureau → Deputy
1     step1-call-for-submissions: Deputy → every unit      the Deputy signed it
2     (the same call for submissions)                      every active unit has it delivered
8     step8-bureau-to-deputy: Head of Bureau → Deputy      (the head of bureau's approval of the
                                                           draft completes step 8 and signs it)
10    step10-deputy-to-minister: Deputy → Minister         it was dispatched (the deputy's approval
                                                           of the draft produces and signs it)
12    step12-binding-request: Head of Bureau → Biro Umum   Biro Umum confirmed the binding
13    step13-letter-to-menpan: Minister → Kementerian PAN  both were dispatched
13    step13-distribution: Deputy → every unit, RK-PK

A cycle moves only through rkpk.procedure.services.advance, whose actor must hold one of
the step's responsible roles. The hooks here (`on_signed`, `after_delivery`,
`confirm_binding`) use the acting user when they may; when they may not, the step stays as
it is and a note says who has to complete it (`sync` catches up later, with any
responsible user). A step already done is left alone: every hook can run twice.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.core import audit
from rkpk.core.formatting import format_date_id
from rkpk.core.models import AuditEvent
from rkpk.correspondence import purposes, services
from rkpk.correspondence.dispatch import document_url
from rkpk.correspondence.models import Document, LetterTemplate, Recipient
from rkpk.ministry.models import FinalDocument, MinistryPlan
from rkpk.notifications.services import notify
from rkpk.organisation.models import Role, Unit, User
from rkpk.organisation.profile import placeholder_values
from rkpk.plans.monitoring import submission_deadline
from rkpk.procedure import services as procedure_services
from rkpk.procedure.models import Cycle, CycleStep

Status = Document.Status
SENT = (Status.DISPATCHED,)
SIGNED_OR_LATER = (Status.SIGNED, Status.REGISTERED, Status.DISPATCHED)
BINDING_CONFIRMED = "document.binding_confirmed"

COVER_MEMO = "step1-bureau-to-deputy"
CALL = "step1-call-for-submissions"
BUREAU_TO_DEPUTY = "step8-bureau-to-deputy"
TO_MINISTER = "step10-deputy-to-minister"
BINDING = "step12-binding-request"
TO_MENPAN = "step13-letter-to-menpan"
DISTRIBUTION = "step13-distribution"


@dataclass(frozen=True)
class Spec:
    """One of the procedure's documents: its template, step, default addressee and
    recipients (the drafter may change them on the draft and in the dispatch form)."""

    key: str
    step: int
    route: str
    addressee: str
    all_units: bool = False
    others: tuple[str, ...] = ()
    # Besides the recipient units' people: who is told when it is dispatched.
    notify_roles: tuple[str, ...] = field(default=())


SPECS = (
    Spec(
        COVER_MEMO,
        1,
        gettext_lazy("Head of Bureau → Deputy: draft of the call for submissions"),
        "{deputy_title}",
        others=("{deputy_title}",),
        notify_roles=(Role.DEPUTY,),
    ),
    Spec(
        CALL,
        1,
        gettext_lazy("Deputy → every unit: call for RK-PK submissions"),
        "Para Pimpinan Satuan Organisasi/Satuan Kerja di lingkungan {organisation}",
        all_units=True,
    ),
    Spec(
        BUREAU_TO_DEPUTY,
        8,
        gettext_lazy("Head of Bureau → Deputy: the draft RK-PK for review"),
        "{deputy_title}",
        others=("{deputy_title}",),
        notify_roles=(Role.DEPUTY,),
    ),
    Spec(
        TO_MINISTER,
        10,
        gettext_lazy("Deputy → Minister: the ministry's RK-PK for approval"),
        "{minister_title}",
        others=("{minister_title}",),
        notify_roles=(Role.MINISTER,),
    ),
    Spec(
        BINDING,
        12,
        gettext_lazy("Head of Bureau → Biro Umum: binding request, soft copy attached"),
        "Kepala Biro Umum",
        others=("Kepala Biro Umum",),
        notify_roles=(Role.GENERAL_BUREAU,),
    ),
    Spec(
        TO_MENPAN,
        13,
        gettext_lazy("Minister → Kementerian PAN: letter with the PK"),
        "Menteri Negara Pendayagunaan Aparatur Negara",
        others=("Menteri Negara Pendayagunaan Aparatur Negara",),
    ),
    Spec(
        DISTRIBUTION,
        13,
        gettext_lazy("Deputy → every unit: the signed RK-PK"),
        "Para Pimpinan Satuan Organisasi/Satuan Kerja di lingkungan {organisation}",
        all_units=True,
    ),
)
BY_KEY = {spec.key: spec for spec in SPECS}
# The steps these documents complete, in the order they are checked.
STEPS = (1, 2, 10, 12, 13)


def with_profile(text: str) -> str:
    """A spec's addressee or recipient with the organisation profile's placeholders filled."""
    return services.fill(text, placeholder_values())


def spec_for(document: Document) -> Spec | None:
    return BY_KEY.get(document.purpose) if document.cycle_id else None


# --- Reads ----------------------------------------------------------------------------------


def current_documents(cycle: Cycle) -> dict[str, Document]:
    """The cycle's current (not superseded) version of each procedure document. One query."""
    found = {}
    documents = (
        Document.objects.filter(cycle=cycle, purpose__in=BY_KEY)
        .exclude(status=Status.SUPERSEDED)
        .order_by("version", "id")
    )
    for document in documents:
        found[document.purpose] = document  # the newest version wins
    return found


def binding_confirmed(document: Document | None) -> bool:
    return document is not None and _confirmations([document.pk]) != set()


def _confirmations(document_ids) -> set[str]:
    return set(
        AuditEvent.objects.filter(
            action=BINDING_CONFIRMED,
            object_type=Document._meta.label_lower,
            object_id__in=[str(pk) for pk in document_ids],
        ).values_list("object_id", flat=True)
    )


def _every_unit_has_it(document: Document) -> bool:
    active = set(Unit.objects.filter(is_active=True).values_list("pk", flat=True))
    delivered = set(
        Recipient.objects.filter(
            document=document, unit__isnull=False, delivered_at__isnull=False
        ).values_list("unit_id", flat=True)
    )
    return bool(active) and active <= delivered


def step_condition(step: int, docs: dict[str, Document]) -> bool:
    """Whether the documents say the step is done."""
    if step == 1:
        return CALL in docs and docs[CALL].status in SIGNED_OR_LATER
    if step == 2:
        return CALL in docs and docs[CALL].status in SENT and _every_unit_has_it(docs[CALL])
    if step == 10:
        return TO_MINISTER in docs and docs[TO_MINISTER].status in SENT
    if step == 12:
        return BINDING in docs and binding_confirmed(docs[BINDING])
    if step == 13:
        return all(key in docs and docs[key].status in SENT for key in (TO_MENPAN, DISTRIBUTION))
    return False


def template_values(cycle: Cycle) -> dict:
    """The placeholders of the procedure's templates for a cycle."""
    return {
        "cycle": cycle.name,
        "year": cycle.year,
        "deadline": format_date_id(submission_deadline(cycle)),
    }


@dataclass
class Row:
    spec: Spec
    document: Document | None
    step: CycleStep | None
    binding_confirmed: bool = False

    @property
    def route(self) -> str:
        return str(self.spec.route)


def rows(cycle: Cycle) -> list[Row]:
    """Each procedure document of the cycle with its step; a fixed number of queries."""
    docs = current_documents(cycle)
    steps = {
        s.number: s for s in CycleStep.objects.filter(cycle=cycle).select_related("standard_step")
    }
    confirmed = _confirmations([d.pk for d in docs.values() if d.purpose == BINDING])
    return [
        Row(
            spec=spec,
            document=docs.get(spec.key),
            step=steps.get(spec.step),
            binding_confirmed=spec.key in docs and str(docs[spec.key].pk) in confirmed,
        )
        for spec in SPECS
    ]


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, actor, cycle: Cycle, key: str) -> Document:
    """The draft of one of the procedure's documents for a cycle, from its template."""
    spec = BY_KEY.get(key)
    if spec is None:
        raise ValidationError(_("Unknown procedure document %(key)s.") % {"key": key})
    if not actor.has_perm("ministry.draft_procedure_documents"):
        raise PermissionDenied(_("Only the bureau drafts official documents."))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)  # one draft per key, also racing
    if key in current_documents(cycle):
        raise ValidationError(
            _("This cycle already has the document “%(route)s”.") % {"route": spec.route}
        )
    template = LetterTemplate.objects.filter(key=key, is_active=True).first()
    if template is None:
        raise ValidationError(
            _("The template %(key)s is missing or inactive; an administrator restores it.")
            % {"key": key}
        )
    addressee = with_profile(spec.addressee)
    values = {**template_values(cycle), "recipients": addressee}
    return services.create_from_template(
        actor=actor,
        template=template,
        values=values,
        addressee=addressee,
        cycle=cycle,
        purpose=key,
    )


def create_missing(*, actor, cycle: Cycle) -> list[Document]:
    """Every procedure document the cycle does not have yet, as drafts."""
    have = current_documents(cycle)
    return [create_draft(actor=actor, cycle=cycle, key=s.key) for s in SPECS if s.key not in have]


def _blocker(step: CycleStep | None, actor) -> str | None:
    """Why `actor` cannot complete the step now (None: they can, or there is nothing to do)."""
    if step is None or step.status == CycleStep.Status.DONE:
        return None
    if not procedure_services.may_act_on(actor, step):
        return _(
            "Step %(n)s is ready to be completed, but it is the work of: %(roles)s. One of "
            "them completes it on the cycle page."
        ) % {
            "n": step.number,
            "roles": ", ".join(str(Role(r).label) for r in step.standard_step.responsible_roles),
        }
    return None


def _step(cycle: Cycle, number: int) -> CycleStep | None:
    return (
        CycleStep.objects.select_related("standard_step").filter(cycle=cycle, number=number).first()
    )


def _complete(cycle: Cycle, number: int, actor, reason: str) -> str | None:
    """Start (if needed) and complete a step through advance(); a note when it cannot."""
    step = _step(cycle, number)
    note = _blocker(step, actor)
    if note or step is None or step.status == CycleStep.Status.DONE:
        return note
    try:
        with transaction.atomic():
            procedure_services.complete_step(actor=actor, cycle=cycle, number=number, reason=reason)
    except (ValidationError, PermissionDenied) as error:
        message = " ".join(getattr(error, "messages", None) or [str(error)])
        return _("Step %(n)s could not be completed: %(error)s") % {"n": number, "error": message}
    return None


REASONS = {
    1: "The Deputy signed the call for submissions.",
    2: "The call for submissions was delivered to every unit.",
    10: "The Deputy's memorandum with the RK-PK was dispatched to the Minister.",
    12: "Biro Umum confirmed the binding.",
    13: "The letter to Kementerian PAN and the distribution memorandum were dispatched.",
}


def _sync(cycle: Cycle, actor, steps) -> list[str]:
    docs = current_documents(cycle)
    notes = []
    for number in steps:
        if step_condition(number, docs):
            note = _complete(cycle, number, actor, REASONS[number])
            if note:
                notes.append(note)
    return notes


def on_signed(document: Document, actor) -> list[str]:
    """The Deputy's call for submissions signed completes step 1."""
    if document.cycle_id and document.purpose == CALL:
        return _sync(document.cycle, actor, (1,))
    return []


DELIVERY_STEPS = {CALL: (1, 2), TO_MINISTER: (10,), TO_MENPAN: (13,), DISTRIBUTION: (13,)}


def after_delivery(*, document: Document, actor) -> list[str]:
    """After a dispatch or a recorded courier delivery. The distribution memorandum
    dispatched publishes the signed RK-PK to every unit."""
    if not document.cycle_id:
        return []
    if document.purpose == DISTRIBUTION and document.status in SENT:
        from rkpk.ministry.services import publish  # the services use this module's specs

        publish(actor=actor, cycle=document.cycle)
    return _sync(document.cycle, actor, DELIVERY_STEPS.get(document.purpose, ()))


# Documents that carry the signed RK-PK: sent only once the minister signed and, for the
# letter to Kementerian PAN and the distribution, once Biro Umum confirmed the binding.
NEEDS_SIGNED_PLAN = (BINDING, TO_MENPAN, DISTRIBUTION)
NEEDS_BINDING = (TO_MENPAN, DISTRIBUTION)


def refuse_early_dispatch(document: Document) -> None:
    """Refuse to dispatch a procedure document whose time has not come (ValidationError)."""
    if not document.cycle_id or document.purpose not in NEEDS_SIGNED_PLAN:
        return
    plan = MinistryPlan.objects.filter(cycle_id=document.cycle_id).first()
    if plan is None or plan.status not in (
        MinistryPlan.Status.SIGNED,
        MinistryPlan.Status.PUBLISHED,
    ):
        raise ValidationError(
            _("The minister has not signed the RK-PK %(year)s yet (step 11).")
            % {"year": document.cycle.year},
            code="not_signed_by_minister",
        )
    if document.purpose in NEEDS_BINDING:
        docs = current_documents(document.cycle)
        if not binding_confirmed(docs.get(BINDING)):
            raise ValidationError(
                _(
                    "Biro Umum has not confirmed the binding of the RK-PK yet (step 12): "
                    "it is distributed only after that."
                ),
                code="binding_not_confirmed",
            )


def enclosures(document: Document) -> list[tuple[str, bytes, str]]:
    """The signed final documents a procedure document carries: (name, bytes, type)."""
    if not document.cycle_id or document.purpose not in NEEDS_SIGNED_PLAN:
        return []
    kinds = ("pk",) if document.purpose == TO_MENPAN else ("rk", "pk")
    have = set(document.attachments.values_list("original_name", flat=True))
    found = []
    for final in FinalDocument.objects.filter(
        plan__cycle_id=document.cycle_id, kind__in=kinds
    ).order_by("kind"):
        name = final.pdf.name.rsplit("/", 1)[-1]
        if name not in have:
            with final.pdf.open("rb") as handle:
                found.append((name, handle.read(), "application/pdf"))
    return found


def waiting_notes(document: Document, user) -> list[str]:
    """Without changing anything: the document's steps whose condition is met but that are
    not done, and why `user` could not complete them (for the page after an action)."""
    if not document.cycle_id:
        return []
    numbers = {CALL: (1, 2), BINDING: (12,)}.get(document.purpose) or DELIVERY_STEPS.get(
        document.purpose, ()
    )
    docs = current_documents(document.cycle)
    notes = []
    for number in numbers:
        if step_condition(number, docs):
            note = _blocker(_step(document.cycle, number), user)
            if note:
                notes.append(note)
    return notes


@transaction.atomic
def sync(*, actor, cycle: Cycle) -> list[str]:
    """Complete every step whose documents say it is done (catching up after a hook could not,
    e.g. when the acting user did not hold the step's role). Returns notes."""
    if not actor.has_perm("ministry.sync_procedure_documents"):
        raise PermissionDenied(_("Only the bureau and the leadership move the cycle."))
    return _sync(cycle, actor, STEPS)


@transaction.atomic
def confirm_binding(*, actor, document: Document) -> list[str]:
    """Biro Umum confirms that the RK-PK is bound; that completes step 12. Twice: no change.

    Step 12 is the work of the roles the service standard names (by default the Head of
    Bureau and staff): when Biro Umum's user holds none of them, the step waits for one of
    those people, who are told.
    """
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not actor.has_perm("ministry.confirm_binding"):
        raise PermissionDenied(_("Biro Umum confirms the binding."))
    if document.purpose != BINDING or not document.cycle_id:
        raise ValidationError(_("This document is not a binding request of a cycle."))
    if document.status != Status.DISPATCHED:
        raise ValidationError(_("The binding request has not been dispatched yet."))
    if binding_confirmed(document):
        return []
    audit.record(
        actor=actor, action=BINDING_CONFIRMED, obj=document, after={"cycle": document.cycle.year}
    )
    notes = _sync(document.cycle, actor, (12,))
    if notes:
        step = document.cycle.steps.select_related("standard_step").get(number=12)
        notify(
            recipients=User.objects.filter(
                role_assignments__role__in=step.standard_step.responsible_roles, is_active=True
            ).distinct(),
            event="correspondence.binding_confirmed",
            title=_("Biro Umum confirmed the binding of the RK-PK %(year)s")
            % {"year": document.cycle.year},
            body=_("Step 12 can now be completed."),
            url=document_url(document),
        )
    return notes


# --- What correspondence asks of these documents, and what it tells ----------------------------


class ProcedureDocuments(purposes.Purpose):
    """The procedure's documents of a cycle, as correspondence sees them (registered in
    rkpk.ministry.apps)."""

    def claims(self, document) -> bool:
        return spec_for(document) is not None

    def refuse_dispatch(self, document) -> None:
        refuse_early_dispatch(document)

    def enclosures(self, document) -> list[tuple[str, bytes, str]]:
        return enclosures(document)

    def dispatch_initial(self, document) -> dict:
        spec = spec_for(document)
        return {"all_units": spec.all_units, "others": "\n".join(map(with_profile, spec.others))}

    def notify_roles(self, document) -> tuple[str, ...]:
        return spec_for(document).notify_roles

    def waiting_notes(self, document, user) -> list[str]:
        return waiting_notes(document, user)

    def panel(self, document, user) -> dict:
        return {
            "may_confirm_binding": document.purpose == BINDING
            and document.status == Status.DISPATCHED
            and user.has_perm("ministry.confirm_binding")
            and not binding_confirmed(document)
        }


PURPOSE = ProcedureDocuments()


def document_signed(sender, *, document, actor, **kwargs) -> None:
    on_signed(document, actor)


def document_delivered(sender, *, document, actor, **kwargs) -> None:
    """A dispatch or a recorded courier delivery."""
    after_delivery(document=document, actor=actor)
