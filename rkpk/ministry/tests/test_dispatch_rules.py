"""Steps 12 and 13 around the signed RK-PK (rkpk.ministry.procedure_documents): the
binding request waits for the minister's signature; the letter to Kementerian PAN and the
distribution memorandum wait for Biro Umum's confirmation of the binding; the signed PDFs
travel with them; the distribution publishes the plan, and the units acknowledge it."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.core.models import AuditEvent
from rkpk.correspondence import dispatch
from rkpk.correspondence import services as correspondence
from rkpk.correspondence.models import Document, DocumentAttachment
from rkpk.ministry import procedure_documents, services
from rkpk.ministry.models import FinalDocument, MinistryPlan
from rkpk.ministry.procedure_documents import BINDING, DISTRIBUTION, TO_MENPAN
from rkpk.ministry.tests.signing_helpers import ready_to_sign
from rkpk.procedure.models import Cycle, CycleStep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


def registered(users, plan, key: str) -> Document:
    """A procedure document of the plan's cycle drafted, reviewed, signed and registered."""
    document = procedure_documents.create_draft(actor=users["staff"], cycle=plan.cycle, key=key)
    if document.requires_review:
        correspondence.send_for_review(actor=users["staff"], document=document)
        correspondence.review(actor=users["head_of_bureau"], document=document, approve=True)
    correspondence.sign(actor=users[document.signer_role], document=document)
    correspondence.register(actor=users["staff"], document=document)
    return Document.objects.get(pk=document.pk)


def sign_plan(users, plan) -> MinistryPlan:
    services.sign(actor=users["minister"], plan=plan, version_number=1)
    plan.refresh_from_db()
    return plan


def step_status(plan, number: int) -> str:
    return CycleStep.objects.get(cycle=plan.cycle, number=number).status


def attachments(document) -> dict[str, DocumentAttachment]:
    return {a.original_name: a for a in DocumentAttachment.objects.filter(document=document)}


def finals(plan) -> dict[str, FinalDocument]:
    return {f.kind: f for f in FinalDocument.objects.filter(plan=plan)}


@pytest.fixture
def plan(role_users, units):
    return ready_to_sign(role_users, units)


def confirmed_binding(users, plan) -> Document:
    binding = registered(users, plan, BINDING)
    dispatch.dispatch(actor=users["staff"], document=binding, others=["Kepala Biro Umum"])
    procedure_documents.confirm_binding(actor=users["general_bureau"], document=binding)
    return binding


def test_the_binding_request_waits_for_the_ministers_signature(role_users, plan):
    binding = registered(role_users, plan, BINDING)
    with pytest.raises(ValidationError) as error:
        dispatch.dispatch(actor=role_users["staff"], document=binding, others=["Kepala Biro Umum"])
    assert error.value.code == "not_signed_by_minister"
    binding.refresh_from_db()
    assert binding.status == Document.Status.REGISTERED and not binding.recipients.exists()

    plan = sign_plan(role_users, plan)
    dispatch.dispatch(actor=role_users["staff"], document=binding, others=["Kepala Biro Umum"])
    binding.refresh_from_db()
    assert binding.status == Document.Status.DISPATCHED
    # The soft copy travels with it: the signed RK and PK, byte for byte.
    sent = attachments(binding)
    issued = finals(plan)
    assert set(sent) == {"PK-KEMENTERIAN-2027.pdf", "RK-KEMENTERIAN-2027.pdf"}
    for kind, final in issued.items():
        attachment = sent[f"{kind.upper()}-KEMENTERIAN-2027.pdf"]
        assert attachment.sha256 == final.pdf_sha256
        assert attachment.content_type == "application/pdf"
        with attachment.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == final.pdf_sha256


@pytest.mark.parametrize("key", [TO_MENPAN, DISTRIBUTION])
def test_the_letter_and_the_distribution_wait_for_the_signature(role_users, plan, key):
    document = registered(role_users, plan, key)
    with pytest.raises(ValidationError) as error:
        dispatch.dispatch(actor=role_users["staff"], document=document, all_units=True)
    assert error.value.code == "not_signed_by_minister"


@pytest.mark.parametrize("key", [TO_MENPAN, DISTRIBUTION])
def test_the_letter_and_the_distribution_wait_for_the_binding(role_users, plan, key):
    plan = sign_plan(role_users, plan)
    document = registered(role_users, plan, key)
    others = ["Menteri Negara PAN"]
    with pytest.raises(ValidationError) as error:
        dispatch.dispatch(actor=role_users["staff"], document=document, others=others)
    assert error.value.code == "binding_not_confirmed"
    # Dispatched but not confirmed yet: still refused.
    binding = registered(role_users, plan, BINDING)
    dispatch.dispatch(actor=role_users["staff"], document=binding, others=["Kepala Biro Umum"])
    with pytest.raises(ValidationError) as error:
        dispatch.dispatch(actor=role_users["staff"], document=document, others=others)
    assert error.value.code == "binding_not_confirmed"
    document.refresh_from_db()
    assert document.status == Document.Status.REGISTERED
    assert MinistryPlan.objects.get(pk=plan.pk).status == MinistryPlan.Status.SIGNED


@pytest.mark.parametrize(
    "code", ["staff", "head_of_bureau", "deputy", "minister", "unit_operator", "viewer"]
)
def test_only_biro_umum_confirms_the_binding(role_users, plan, code):
    plan = sign_plan(role_users, plan)
    binding = registered(role_users, plan, BINDING)
    dispatch.dispatch(actor=role_users["staff"], document=binding, others=["Kepala Biro Umum"])
    with pytest.raises(PermissionDenied):
        procedure_documents.confirm_binding(actor=role_users[code], document=binding)
    assert not procedure_documents.binding_confirmed(binding)


def test_binding_confirmed_then_the_letter_and_the_distribution_publish_the_plan(
    role_users, units, plan
):
    staff = role_users["staff"]
    plan = sign_plan(role_users, plan)
    assert step_status(plan, 11) == "done"
    confirmed_binding(role_users, plan)
    procedure_documents.sync(actor=staff, cycle=plan.cycle)  # step 12 is the bureau's work
    assert step_status(plan, 12) == "done"

    letter = registered(role_users, plan, TO_MENPAN)
    dispatch.dispatch(actor=staff, document=letter, others=["Menteri Negara PAN"])
    # Kementerian PAN receives the PK only.
    assert set(attachments(letter)) == {"PK-KEMENTERIAN-2027.pdf"}
    assert MinistryPlan.objects.get(pk=plan.pk).status == MinistryPlan.Status.SIGNED

    distribution = registered(role_users, plan, DISTRIBUTION)
    dispatch.dispatch(actor=staff, document=distribution, all_units=True)
    plan.refresh_from_db()
    assert plan.status == MinistryPlan.Status.PUBLISHED and plan.published_at is not None
    event = AuditEvent.objects.get(action="ministry_plan.published")
    assert event.after == {"status": "published"}
    sent = attachments(distribution)
    assert set(sent) == {"PK-KEMENTERIAN-2027.pdf", "RK-KEMENTERIAN-2027.pdf"}
    assert {a.sha256 for a in sent.values()} == {f.pdf_sha256 for f in finals(plan).values()}
    assert step_status(plan, 13) == "done"
    assert Cycle.objects.get(pk=plan.cycle_id).status == Cycle.Status.COMPLETED

    # The units acknowledge receipt; each only its own line.
    line_a = distribution.recipients.get(unit=units["a"])
    line_b = distribution.recipients.get(unit=units["b"])
    with pytest.raises(PermissionDenied):
        dispatch.acknowledge(actor=role_users["operator_b"], recipient=line_a)
    dispatch.acknowledge(actor=role_users["unit_operator"], recipient=line_a)
    dispatch.acknowledge(actor=role_users["operator_b"], recipient=line_b)
    line_a.refresh_from_db()
    assert line_a.acknowledged_by == role_users["unit_operator"] and line_a.acknowledged_at
    assert line_a.opened_at is not None
    # Twice: no change.
    at = line_a.acknowledged_at
    dispatch.acknowledge(actor=role_users["unit_operator"], recipient=line_a)
    line_a.refresh_from_db()
    assert line_a.acknowledged_at == at

    # Dispatching the distribution to one more recipient publishes nothing again.
    dispatch.dispatch(actor=staff, document=distribution, others=["Inspektorat"])
    assert AuditEvent.objects.filter(action="ministry_plan.published").count() == 1
    assert len(attachments(distribution)) == 2  # the enclosures are not stored twice


def test_publish_only_a_signed_plan(role_users, plan):
    assert services.publish(actor=role_users["staff"], cycle=plan.cycle) is None
    plan.refresh_from_db()
    assert plan.status == MinistryPlan.Status.APPROVED
