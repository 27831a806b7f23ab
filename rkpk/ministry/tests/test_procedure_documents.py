"""The procedure's own documents: drafts from a cycle, and the steps they complete."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rkpk.core.calendar import today
from rkpk.core.formatting import format_date_id
from rkpk.correspondence import dispatch, services
from rkpk.correspondence.models import Document
from rkpk.correspondence.tests.test_dispatch import quick_pdf  # noqa: F401
from rkpk.ministry import procedure_documents
from rkpk.ministry.procedure_documents import (
    BINDING,
    BUREAU_TO_DEPUTY,
    CALL,
    COVER_MEMO,
    DISTRIBUTION,
    TO_MENPAN,
    TO_MINISTER,
)
from rkpk.notifications.models import Notification
from rkpk.organisation.models import Role
from rkpk.plans.monitoring import submission_deadline
from rkpk.procedure import services as procedure_services
from rkpk.procedure.models import Cycle, CycleStep, StepTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(role_users):
    return procedure_services.start_cycle(
        actor=role_users["staff"], year=2027, start_date=today() - timedelta(days=60)
    )


@pytest.fixture
def everyone(make_user):
    """A user holding every ministry role (to walk the cycle through the other steps)."""
    roles = [r for r in Role if r not in (Role.UNIT_OPERATOR, Role.UNIT_HEAD)]
    return make_user("u_everyone", *roles)


def status(cycle, number) -> str:
    return CycleStep.objects.get(cycle=cycle, number=number).status


def walk(cycle, actor, numbers) -> None:
    """Start and complete the steps by hand, as their people do on the cycle page."""
    for number in numbers:
        step = CycleStep.objects.get(cycle=cycle, number=number)
        if step.status == CycleStep.Status.NOT_STARTED:
            step = procedure_services.advance(actor=actor, step=step, action="start")
        procedure_services.advance(actor=actor, step=step, action="complete")


def signed(users, document) -> Document:
    if document.requires_review:
        services.send_for_review(actor=users["staff"], document=document)
        services.review(actor=users["head_of_bureau"], document=document, approve=True)
    services.sign(actor=users[document.signer_role], document=document)
    # Signing already ran on_signed (the document_signed signal); running it again changes nothing.
    procedure_documents.on_signed(document, users[document.signer_role])
    return Document.objects.get(pk=document.pk)


def registered(users, document) -> Document:
    if document.status != Document.Status.SIGNED:
        signed(users, document)
    services.register(actor=users["staff"], document=document)
    return Document.objects.get(pk=document.pk)


def signed_ministry_plan(cycle, actor):
    """The ministry RK-PK as the minister left it (its own tests are in rkpk/ministry): the
    binding request, the letter to Kementerian PAN and the distribution wait for it."""
    from rkpk.analysis.models import Compilation
    from rkpk.ministry.models import MinistryPlan

    compilation = Compilation.objects.create(year=cycle.year, number=1, data={})
    return MinistryPlan.objects.create(
        cycle=cycle,
        year=cycle.year,
        compilation=compilation,
        created_by=actor,
        status=MinistryPlan.Status.SIGNED,
    )


def test_drafts_come_from_the_templates_with_the_cycle_values(role_users, cycle):
    made = procedure_documents.create_missing(actor=role_users["staff"], cycle=cycle)
    assert [d.purpose for d in made] == [
        COVER_MEMO,
        CALL,
        BUREAU_TO_DEPUTY,
        TO_MINISTER,
        BINDING,
        TO_MENPAN,
        DISTRIBUTION,
    ]
    call = next(d for d in made if d.purpose == CALL)
    deadline = format_date_id(submission_deadline(cycle))
    assert deadline and deadline in call.body and "{deadline}" not in call.body
    assert "2027" in call.subject and call.cycle == cycle
    assert call.signer_role == Role.DEPUTY and call.status == Document.Status.DRAFT
    letter = next(d for d in made if d.purpose == TO_MENPAN)
    assert letter.kind == "letter" and letter.signer_role == Role.MINISTER
    assert "Pendayagunaan Aparatur Negara" in letter.addressee
    with pytest.raises(ValidationError, match="already has"):
        procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key=CALL)
    with pytest.raises(ValidationError, match="Unknown"):
        procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key="x")
    assert procedure_documents.create_missing(actor=role_users["staff"], cycle=cycle) == []


@pytest.mark.parametrize("code", ["deputy", "minister", "unit_operator", "general_bureau"])
def test_only_the_bureau_creates_the_drafts(role_users, cycle, code):
    with pytest.raises(PermissionDenied):
        procedure_documents.create_draft(actor=role_users[code], cycle=cycle, key=CALL)
    assert not Document.objects.exists()


def test_a_corrected_document_is_the_current_one(role_users, cycle):
    call = procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key=CALL)
    call = signed(role_users, call)
    fresh = services.correct(actor=role_users["staff"], document=call, reason="Tanggal salah")
    assert procedure_documents.current_documents(cycle)[CALL] == fresh


def test_signing_and_dispatching_the_call_complete_steps_1_and_2(role_users, units, cycle):
    call = procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key=CALL)
    assert status(cycle, 1) == "not_started"
    call = signed(role_users, call)
    assert status(cycle, 1) == "done"
    transitions = StepTransition.objects.count()
    procedure_documents.on_signed(call, role_users["deputy"])  # again: nothing changes
    assert StepTransition.objects.count() == transitions
    call = registered(role_users, call)
    assert status(cycle, 2) == "not_started"
    dispatch.dispatch(actor=role_users["staff"], document=call, all_units=True)
    assert status(cycle, 2) == "done"
    step = CycleStep.objects.get(cycle=cycle, number=2)
    assert step.transitions.filter(action="complete").get().actor == role_users["staff"]


def test_step_2_waits_for_every_courier_delivery(role_users, units, cycle):
    call = procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key=CALL)
    call = registered(role_users, call)
    dispatch.dispatch(actor=role_users["staff"], document=call, all_units=True, method="courier")
    lines = list(call.recipients.order_by("id"))
    for line in lines:
        assert status(cycle, 2) != "done"
        dispatch.record_courier_delivery(
            actor=role_users["staff"],
            recipient=line,
            delivered_at=dispatch.timezone.now(),
            courier="Pak Darto",
            received_by_name="Sekretariat",
        )
    assert status(cycle, 2) == "done"


def test_a_user_without_the_steps_role_leaves_a_note_and_sync_catches_up(role_users, units, cycle):
    call = procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key=CALL)
    call = registered(role_users, call)
    # Step 2 is the staff's work; the head of section may dispatch but not complete it.
    dispatch.dispatch(actor=role_users["head_of_section"], document=call, all_units=True)
    assert status(cycle, 2) == "not_started"
    notes = procedure_documents.waiting_notes(call, role_users["head_of_section"])
    assert len(notes) == 1 and "Step 2" in notes[0] and "Staff" in notes[0]
    with pytest.raises(PermissionDenied):
        procedure_documents.sync(actor=role_users["unit_operator"], cycle=cycle)
    assert procedure_documents.sync(actor=role_users["staff"], cycle=cycle) == []
    assert status(cycle, 2) == "done"
    assert procedure_documents.waiting_notes(call, role_users["head_of_section"]) == []


def test_steps_10_12_and_13_through_to_the_end_of_the_cycle(role_users, units, cycle, everyone):
    staff = role_users["staff"]
    drafts = {d.purpose: d for d in procedure_documents.create_missing(actor=staff, cycle=cycle)}
    call = registered(role_users, drafts[CALL])
    dispatch.dispatch(actor=staff, document=call, all_units=True)
    walk(cycle, everyone, range(3, 10))

    to_minister = registered(role_users, drafts[TO_MINISTER])
    dispatch.dispatch(actor=staff, document=to_minister, others=["Menteri Sekretaris Negara"])
    assert status(cycle, 10) == "done"
    told = Notification.objects.filter(recipient=role_users["minister"])
    assert told.filter(event="correspondence.dispatched").exists()
    walk(cycle, everyone, [11])
    signed_ministry_plan(cycle, everyone)

    binding = registered(role_users, drafts[BINDING])
    with pytest.raises(ValidationError, match="not been dispatched"):
        procedure_documents.confirm_binding(actor=role_users["general_bureau"], document=binding)
    dispatch.dispatch(actor=staff, document=binding, others=["Kepala Biro Umum"])
    assert Notification.objects.filter(
        recipient=role_users["general_bureau"], event="correspondence.dispatched"
    ).exists()
    assert status(cycle, 12) == "not_started"
    with pytest.raises(PermissionDenied):
        procedure_documents.confirm_binding(actor=staff, document=binding)
    # Biro Umum confirms; step 12 is the work of the bureau (seeded standard), who are told.
    notes = procedure_documents.confirm_binding(
        actor=role_users["general_bureau"], document=binding
    )
    assert notes and status(cycle, 12) == "not_started"
    assert Notification.objects.filter(
        recipient=role_users["head_of_bureau"], event="correspondence.binding_confirmed"
    ).exists()
    assert (
        procedure_documents.confirm_binding(actor=role_users["general_bureau"], document=binding)
        == []
    )
    assert procedure_documents.sync(actor=staff, cycle=cycle) == []
    assert status(cycle, 12) == "done"

    letter = registered(role_users, drafts[TO_MENPAN])
    dispatch.dispatch(actor=staff, document=letter, others=["Menteri Negara PAN"])
    assert status(cycle, 13) == "not_started"  # the distribution memo is not out yet
    distribution = registered(role_users, drafts[DISTRIBUTION])
    dispatch.dispatch(actor=staff, document=distribution, all_units=True)
    assert status(cycle, 13) == "done"
    assert Cycle.objects.get(pk=cycle.pk).status == Cycle.Status.COMPLETED


def test_a_step_whose_predecessor_is_open_is_explained_not_forced(role_users, units, cycle):
    staff = role_users["staff"]
    to_minister = procedure_documents.create_draft(actor=staff, cycle=cycle, key=TO_MINISTER)
    to_minister = registered(role_users, to_minister)
    dispatch.dispatch(actor=staff, document=to_minister, others=["Menteri Sekretaris Negara"])
    assert status(cycle, 10) == "not_started"
    notes = procedure_documents.sync(actor=staff, cycle=cycle)
    assert any("Step 10" in note and "step 9" in note.lower() for note in notes)


# --- Pages ----------------------------------------------------------------------------------


def test_cycle_documents_page_for_every_role(role_users, cycle, client_for, client):
    url = reverse("correspondence:dispatch_cycle", args=[2027])
    for code in ("staff", "head_of_section", "head_of_bureau", "deputy", "minister", "viewer"):
        response = client_for(role_users[code]).get(url)
        assert response.status_code == 200, code
        assert ("Create draft" in response.content.decode()) == (
            code in ("staff", "head_of_section", "head_of_bureau")
        ), code
    for code in ("unit_operator", "unit_head", "operator_b", "nobody"):
        assert client_for(role_users[code]).get(url).status_code == 403, code
    assert (
        client_for(role_users["staff"])
        .get(reverse("correspondence:dispatch_cycle", args=[2031]))
        .status_code
        == 404
    )
    client.logout()
    assert client.get(url).status_code == 302


def test_create_draft_and_sync_from_the_page(role_users, cycle, client_for):
    drafts = reverse("correspondence:dispatch_cycle_drafts", args=[2027])
    assert client_for(role_users["deputy"]).post(drafts, {"key": CALL}).status_code == 403
    assert client_for(role_users["operator_b"]).post(drafts, {"key": CALL}).status_code == 403
    response = client_for(role_users["staff"]).post(drafts, {"key": CALL})
    assert response.status_code == 302
    assert Document.objects.filter(cycle=cycle, purpose=CALL).count() == 1
    client_for(role_users["staff"]).post(drafts, {"key": CALL})  # refused, shown as a message
    assert Document.objects.filter(cycle=cycle, purpose=CALL).count() == 1
    client_for(role_users["head_of_bureau"]).post(drafts, {"key": "all"})
    assert Document.objects.filter(cycle=cycle).count() == 7
    page = client_for(role_users["staff"]).get(
        reverse("correspondence:dispatch_cycle", args=[2027])
    )
    assert "Create draft" not in page.content.decode()
    sync = reverse("correspondence:dispatch_cycle_sync", args=[2027])
    assert client_for(role_users["unit_operator"]).post(sync).status_code == 403
    assert client_for(role_users["viewer"]).post(sync).status_code == 403
    assert client_for(role_users["staff"]).post(sync).status_code == 302


def test_confirm_binding_page(role_users, units, cycle, client_for):
    signed_ministry_plan(cycle, role_users["staff"])
    binding = procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key=BINDING)
    binding = registered(role_users, binding)
    dispatch.dispatch(actor=role_users["staff"], document=binding, others=["Kepala Biro Umum"])
    url = reverse("correspondence:dispatch_confirm_binding", args=[binding.pk])
    page = client_for(role_users["general_bureau"]).get(
        reverse("correspondence:dispatch_cycle", args=[2027])
    )
    assert url in page.content.decode()
    assert client_for(role_users["staff"]).post(url).status_code == 403
    assert client_for(role_users["operator_b"]).post(url).status_code == 404
    assert client_for(role_users["general_bureau"]).post(url).status_code == 302
    assert procedure_documents.binding_confirmed(binding)


def test_cycle_page_query_count_is_constant(role_users, cycle, client_for):
    client = client_for(role_users["staff"])
    url = reverse("correspondence:dispatch_cycle", args=[2027])
    procedure_documents.create_draft(actor=role_users["staff"], cycle=cycle, key=BINDING)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    made = procedure_documents.create_missing(actor=role_users["staff"], cycle=cycle)
    call = signed(role_users, next(d for d in made if d.purpose == CALL))
    services.correct(actor=role_users["staff"], document=call, reason="Salah tanggal")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
