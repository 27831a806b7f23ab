"""Services of the discussion meeting: every rule, with the refusals."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.correspondence.models import Document
from rkpk.meetings import services
from rkpk.meetings.dates import combine, format_day_date_id, format_time_id
from rkpk.meetings.models import AgendaItem, Decision, Invitee, Meeting
from rkpk.notifications.models import Notification
from rkpk.plans.services import ConflictError as PlanConflict
from rkpk.procedure.models import CycleStep
from rkpk.procedure.tests.factories import cycle_done_through

pytestmark = [pytest.mark.django_db]


def _step6(cycle) -> CycleStep:
    return CycleStep.objects.get(cycle=cycle, number=6)


# --- Dates ---------------------------------------------------------------------------------


def test_indonesian_day_date_and_time():
    start = combine(date(2026, 11, 25), time(9, 0))
    assert format_day_date_id(start) == "Rabu, 25 November 2026"
    assert format_day_date_id(date(2026, 11, 23)) == "Senin, 23 November 2026"
    assert format_time_id(start) == "09.00 WIB"
    assert format_time_id(start, start + timedelta(hours=2, minutes=30)) == "09.00–11.30 WIB"
    # A UTC time is shown in Jakarta.
    assert format_time_id(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) == "09.00 WIB"


# --- Scheduling ----------------------------------------------------------------------------


def test_schedule_defaults_the_chair_and_audits(cycle, role_users, chair):
    start = timezone.now() + timedelta(days=2)
    meeting = services.schedule(
        actor=role_users["staff"], cycle=cycle, title="  Rapat  ", starts_at=start, place="R. 1"
    )
    assert meeting.chair == chair and meeting.title == "Rapat"
    assert meeting.status == Meeting.Status.PLANNED and meeting.revision == 1
    assert AuditEvent.objects.filter(action="meeting.scheduled", object_id=str(meeting.pk)).exists()


@pytest.mark.parametrize(
    "role", ["unit_operator", "unit_head", "viewer", "deputy", "minister", "general_bureau"]
)
def test_only_the_bureau_schedules(cycle, role_users, role):
    with pytest.raises(PermissionDenied):
        services.schedule(
            actor=role_users[role],
            cycle=cycle,
            title="Rapat",
            starts_at=timezone.now(),
            place="R. 1",
        )


@pytest.mark.parametrize("role", ["staff", "head_of_section", "head_of_bureau"])
def test_the_bureau_schedules(cycle, role_users, role):
    meeting = services.schedule(
        actor=role_users[role], cycle=cycle, title="Rapat", starts_at=timezone.now(), place="R"
    )
    assert meeting.pk


def test_schedule_refuses_bad_input(cycle, role_users):
    staff, start = role_users["staff"], timezone.now()
    with pytest.raises(ValidationError) as error:
        services.schedule(actor=staff, cycle=cycle, title=" ", starts_at=start, place="")
    assert set(error.value.message_dict) == {"title", "place"}
    with pytest.raises(ValidationError) as error:
        services.schedule(
            actor=staff, cycle=cycle, title="R", starts_at=start, ends_at=start, place="R"
        )
    assert "ends_at" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.schedule(
            actor=staff, cycle=cycle, title="R", starts_at=datetime(2027, 1, 1, 9), place="R"
        )


def test_update_with_a_stale_revision_is_a_conflict(meeting, role_users):
    staff = role_users["staff"]
    services.update(actor=staff, meeting=meeting, revision=1, place="Aula")
    meeting.refresh_from_db()
    assert meeting.place == "Aula" and meeting.revision == 2
    with pytest.raises(services.ConflictError) as error:
        services.update(actor=staff, meeting=meeting, revision=1, place="Ruang 2")
    assert isinstance(error.value, PlanConflict)
    meeting.refresh_from_db()
    assert meeting.place == "Aula"
    with pytest.raises(ValidationError):
        services.update(actor=staff, meeting=meeting, revision=2, colour="red")


def test_cancel_needs_a_reason_and_freezes(meeting, role_users, units):
    staff = role_users["staff"]
    with pytest.raises(ValidationError):
        services.cancel(actor=staff, meeting=meeting, reason=" ")
    services.cancel(actor=staff, meeting=meeting, reason="Kepala Biro berhalangan")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert Notification.objects.filter(
        recipient=role_users["unit_operator"], event="meeting.cancelled"
    ).exists()
    with pytest.raises(ValidationError, match="cancelled"):
        services.add_agenda_item(actor=staff, meeting=meeting, title="X")


# --- Invitees and attendance ------------------------------------------------------------


def test_invite_units_officials_and_guests(meeting, role_users, units, officials):
    staff = role_users["staff"]
    added = services.invite(
        actor=staff,
        meeting=meeting,
        units=[units["a"], units["b"]],
        officials=[officials["b"]],
        guests=["Perwakilan KemenPAN", "perwakilan kemenpan", " "],
    )
    # unit A was invited already; the guest's second spelling is the same guest.
    assert [i.display_name for i in added] == [
        "Biro B",
        "Budi Santoso (Kepala Biro B)",
        "Perwakilan KemenPAN",
    ]
    assert meeting.invitees.count() == 4
    with pytest.raises(ValidationError):
        services.invite(actor=staff, meeting=meeting)
    units["root"].is_active = False
    units["root"].save()
    with pytest.raises(ValidationError):
        services.invite(actor=staff, meeting=meeting, units=[units["root"]])
    with pytest.raises(PermissionDenied):
        services.invite(actor=role_users["unit_operator"], meeting=meeting, guests=["X"])
    invitee = meeting.invitees.get(unit=units["b"])
    services.uninvite(actor=staff, invitee=invitee)
    assert meeting.invitees.count() == 3


def test_attendance_rules(cycle, make_meeting, role_users, units):
    staff = role_users["staff"]
    future = make_meeting(cycle, hours_ago=-24)
    services.invite(actor=staff, meeting=future, units=[units["a"]])
    invitee = future.invitees.get()
    with pytest.raises(ValidationError, match="not started"):
        services.record_attendance(
            actor=staff, meeting=future, entries=[{"invitee": invitee, "attendance": "present"}]
        )
    past = make_meeting(cycle)
    services.invite(actor=staff, meeting=past, units=[units["a"]], guests=["Tamu"])
    a, guest = past.invitees.order_by("position")
    with pytest.raises(ValidationError, match="represented"):
        services.record_attendance(
            actor=staff, meeting=past, entries=[{"invitee": a.pk, "attendance": "represented"}]
        )
    with pytest.raises(ValidationError):
        services.record_attendance(
            actor=staff, meeting=past, entries=[{"invitee": invitee.pk, "attendance": "present"}]
        )
    with pytest.raises(ValidationError):
        services.record_attendance(
            actor=staff, meeting=past, entries=[{"invitee": a.pk, "attendance": "asleep"}]
        )
    services.record_attendance(
        actor=staff,
        meeting=past,
        entries=[
            {"invitee": a.pk, "attendance": "represented", "represented_by": "Sdr. Wakil"},
            {"invitee": guest.pk, "attendance": "absent", "represented_by": "ignored"},
        ],
    )
    a.refresh_from_db()
    guest.refresh_from_db()
    past.refresh_from_db()
    assert (a.attendance, a.represented_by) == ("represented", "Sdr. Wakil")
    assert (guest.attendance, guest.represented_by) == ("absent", "")
    assert past.status == Meeting.Status.HELD
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=role_users["viewer"], meeting=past, entries=[])


# --- Agenda ------------------------------------------------------------------------------


def test_agenda_items_add_edit_reorder_delete(meeting, role_users):
    staff = role_users["staff"]
    one = services.add_agenda_item(actor=staff, meeting=meeting, title="Satu")
    two = services.add_agenda_item(actor=staff, meeting=meeting, title="Dua", notes="n")
    three = services.add_agenda_item(actor=staff, meeting=meeting, title="Tiga")
    assert [one.position, two.position, three.position] == [1, 2, 3]
    with pytest.raises(ValidationError):
        services.add_agenda_item(actor=staff, meeting=meeting, title="")
    services.update_agenda_item(actor=staff, item=one, revision=1, notes="Catatan\r\nbaris 2")
    one.refresh_from_db()
    assert one.notes == "Catatan\nbaris 2" and one.revision == 2 and one.title == "Satu"
    with pytest.raises(services.ConflictError):
        services.update_agenda_item(actor=staff, item=one, revision=1, notes="lama")
    services.reorder_agenda(actor=staff, meeting=meeting, order=[three.pk, one.pk, two.pk])
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order == ["Tiga", "Satu", "Dua"]
    with pytest.raises(ValidationError):
        services.reorder_agenda(actor=staff, meeting=meeting, order=[one.pk, two.pk])
    with pytest.raises(ValidationError):
        services.reorder_agenda(actor=staff, meeting=meeting, order=[one.pk, one.pk, two.pk])
    services.move_agenda_item(actor=staff, item=two, direction="up")
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order == ["Tiga", "Dua", "Satu"]
    services.delete_agenda_item(actor=staff, item=three)
    assert not AgendaItem.objects.filter(pk=three.pk).exists()
    with pytest.raises(PermissionDenied):
        services.delete_agenda_item(actor=role_users["unit_operator"], item=one)


# --- Decisions -----------------------------------------------------------------------------


def test_decision_rules(meeting, role_users, units, officials, cycle, make_meeting):
    staff = role_users["staff"]
    item = services.add_agenda_item(actor=staff, meeting=meeting, title="Satu")
    due = today() + timedelta(days=5)
    with pytest.raises(ValidationError) as error:
        services.add_decision(actor=staff, meeting=meeting, text=" ")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_decision(
            actor=staff, meeting=meeting, text="X", owner_unit=units["a"], owner_text="Budi"
        )
    assert "owner_text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.add_decision(
            actor=staff, meeting=meeting, text="X", due_date=today() - timedelta(days=30)
        )
    assert "due_date" in error.value.message_dict
    other = make_meeting(cycle, title="Rapat lain")
    other_item = services.add_agenda_item(actor=staff, meeting=other, title="Lain")
    with pytest.raises(ValidationError) as error:
        services.add_decision(actor=staff, meeting=meeting, text="X", agenda_item=other_item)
    assert "agenda_item" in error.value.message_dict
    decision = services.add_decision(
        actor=staff, meeting=meeting, text="Tindak lanjut", agenda_item=item, due_date=due
    )
    assert not decision.has_owner
    services.update_decision(
        actor=staff, decision=decision, revision=1, owner_official=officials["a"], status="done"
    )
    decision.refresh_from_db()
    assert decision.owner_name == "Ani Rahma (Kepala Biro A)" and decision.status == "done"
    with pytest.raises(services.ConflictError):
        services.update_decision(actor=staff, decision=decision, revision=1, text="Y")
    with pytest.raises(ValidationError):
        services.update_decision(actor=staff, decision=decision, revision=2, status="maybe")
    services.delete_agenda_item(actor=staff, item=item)
    decision.refresh_from_db()
    assert decision.agenda_item is None
    with pytest.raises(PermissionDenied):
        services.delete_decision(actor=role_users["viewer"], decision=decision)
    services.delete_decision(actor=staff, decision=decision)
    assert not Decision.objects.filter(pk=decision.pk).exists()


# --- The invitation -----------------------------------------------------------------------


def test_invitation_from_the_template(meeting, role_users, units, officials):
    staff = role_users["staff"]
    services.invite(actor=staff, meeting=meeting, officials=[officials["b"]], guests=["Tamu"])
    services.add_agenda_item(actor=staff, meeting=meeting, title="Pembahasan RK-PK")
    document = services.create_invitation(actor=staff, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.invitation == document
    assert document.template.key == "step6-meeting-invitation"
    assert document.purpose == "step6-meeting-invitation" and document.cycle == meeting.cycle
    assert document.status == Document.Status.DRAFT
    assert document.addressee.splitlines() == ["Biro A", "Budi Santoso (Kepala Biro B)", "Tamu"]
    assert "2027" in document.subject
    assert format_day_date_id(meeting.starts_at) in document.body
    assert format_time_id(meeting.starts_at, meeting.ends_at) in document.body
    assert meeting.place in document.body and "Pembahasan RK-PK" in document.body
    with pytest.raises(ValidationError, match="already"):
        services.create_invitation(actor=staff, meeting=meeting)
    assert AuditEvent.objects.filter(action="meeting.invitation_created").count() == 1


def test_invitation_refusals(cycle, make_meeting, role_users):
    meeting = make_meeting(cycle)
    with pytest.raises(ValidationError, match="Invite someone"):
        services.create_invitation(actor=role_users["staff"], meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.create_invitation(actor=role_users["unit_operator"], meeting=meeting)
    assert not Document.objects.exists()


# --- Filing ----------------------------------------------------------------------------------


def test_filing_freezes_the_report_and_completes_step_6(ready, role_users):
    head = role_users["head_of_bureau"]
    services.file_report(actor=head, meeting=ready)
    ready.refresh_from_db()
    assert ready.status == Meeting.Status.FILED
    assert ready.filed_by == head and ready.filed_at is not None
    assert ready.report_sha256 == services.report_sha256(ready.report)
    assert ready.report["decisions"][0]["text"] == "Menyempurnakan indikator sasaran 3"
    assert ready.report["decisions"][0]["owner"] == "Biro A"
    assert ready.report["present"] == ["Biro A"]
    assert ready.report["represented"] == [
        {"name": "Perwakilan Kementerian PAN", "by": "Sdr. Wakil"}
    ]
    assert ready.report["chair"]["nip"] == "197001011995031001"
    assert ready.report["title"].endswith("KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027")
    step = _step6(ready.cycle)
    assert step.status == CycleStep.Status.DONE
    assert CycleStep.objects.get(cycle=ready.cycle, number=7).status == "not_started"
    assert AuditEvent.objects.filter(action="meeting.report_filed").exists()
    told = set(
        Notification.objects.filter(event="meeting.report_filed").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"u_unit_operator", "u_unit_head", "u_staff", "u_head_of_bureau"} <= told
    assert "u_operator_b" not in told


def test_filing_twice_and_editing_after_filing_are_refused(ready, role_users, units):
    staff = role_users["staff"]
    services.file_report(actor=staff, meeting=ready)
    with pytest.raises(ValidationError, match="already been filed"):
        services.file_report(actor=staff, meeting=ready)
    item = ready.agenda_items.get()
    decision = ready.decisions.get()
    invitee = ready.invitees.first()
    refused = [
        lambda: services.update(actor=staff, meeting=ready, revision=ready.revision, place="X"),
        lambda: services.cancel(actor=staff, meeting=ready, reason="X"),
        lambda: services.invite(actor=staff, meeting=ready, guests=["X"]),
        lambda: services.uninvite(actor=staff, invitee=invitee),
        lambda: services.record_attendance(actor=staff, meeting=ready, entries=[]),
        lambda: services.add_agenda_item(actor=staff, meeting=ready, title="X"),
        lambda: services.update_agenda_item(actor=staff, item=item, revision=1, notes="X"),
        lambda: services.reorder_agenda(actor=staff, meeting=ready, order=[item.pk]),
        lambda: services.delete_agenda_item(actor=staff, item=item),
        lambda: services.add_decision(actor=staff, meeting=ready, text="X"),
        lambda: services.update_decision(actor=staff, decision=decision, revision=1, text="X"),
        lambda: services.delete_decision(actor=staff, decision=decision),
        lambda: services.create_invitation(actor=staff, meeting=ready),
    ]
    for call in refused:
        with pytest.raises(ValidationError, match="filed"):
            call()
    ready.refresh_from_db()
    assert ready.status == Meeting.Status.FILED


def test_filing_lists_what_is_missing(meeting, role_users):
    staff = role_users["staff"]
    with pytest.raises(ValidationError) as error:
        services.file_report(actor=staff, meeting=meeting)
    messages = " ".join(error.value.messages)
    assert "nobody is recorded as present" in messages
    assert "notes of at least one agenda item" in messages
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.report is None


def test_filing_refuses_decisions_without_owner_or_due_date(ready, role_users):
    staff = role_users["staff"]
    services.add_decision(actor=staff, meeting=ready, text="Tanpa pemilik dan tenggat")
    with pytest.raises(ValidationError) as error:
        services.file_report(actor=staff, meeting=ready)
    assert error.value.messages == ["Decision 2 has no owner.", "Decision 2 has no due date."]
    assert _step6(ready.cycle).status == CycleStep.Status.IN_PROGRESS


def test_filing_refuses_a_due_date_before_the_meeting(ready, role_users):
    # The meeting moved to a later day after the decision was recorded.
    staff = role_users["staff"]
    later = ready.starts_at + timedelta(days=30)
    services.update(
        actor=staff, meeting=ready, revision=ready.revision, starts_at=later, ends_at=None
    )
    ready.refresh_from_db()
    problems = services.filing_problems(ready, now=later + timedelta(hours=1))
    assert problems == ["Decision 1 is due before the meeting took place."]


def test_filing_before_the_meeting_time(cycle, make_meeting, role_users):
    meeting = make_meeting(cycle, hours_ago=-3)
    with pytest.raises(ValidationError, match="not taken place"):
        services.file_report(actor=role_users["head_of_bureau"], meeting=meeting)


@pytest.mark.parametrize(
    "role", ["head_of_section", "unit_operator", "unit_head", "viewer", "deputy", "admin"]
)
def test_filing_by_someone_not_allowed(ready, role_users, role):
    with pytest.raises(PermissionDenied):
        services.file_report(actor=role_users[role], meeting=ready)
    ready.refresh_from_db()
    assert ready.status != Meeting.Status.FILED


def test_filing_before_step_5_is_done_changes_nothing(role_users, make_meeting, units):
    cycle = cycle_done_through(4, year=2028)
    staff = role_users["staff"]
    meeting = make_meeting(cycle)
    services.invite(actor=staff, meeting=meeting, units=[units["a"]])
    services.record_attendance(
        actor=staff,
        meeting=meeting,
        entries=[{"invitee": meeting.invitees.get(), "attendance": "present"}],
    )
    services.add_agenda_item(actor=staff, meeting=meeting, title="Satu", notes="Catatan")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Step 5 must be completed"):
        services.file_report(actor=staff, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.report is None
    assert meeting.report_sha256 == "" and meeting.filed_at is None
    assert AuditEvent.objects.count() == events
    assert not Notification.objects.filter(event="meeting.report_filed").exists()
    assert _step6(cycle).status == CycleStep.Status.NOT_STARTED


def test_filing_when_the_actor_lacks_the_step_role(ready, role_users):
    # The service standard is data: here step 6 belongs to the head of bureau alone.
    standard_step = _step6(ready.cycle).standard_step
    standard_step.responsible_roles = ["head_of_bureau"]
    standard_step.save()
    with pytest.raises(PermissionDenied, match="Step 6"):
        services.file_report(actor=role_users["staff"], meeting=ready)
    ready.refresh_from_db()
    assert ready.status == Meeting.Status.HELD and ready.report is None
    services.file_report(actor=role_users["head_of_bureau"], meeting=ready)
    assert _step6(ready.cycle).status == CycleStep.Status.DONE


def test_a_second_meeting_files_without_moving_the_cycle_again(ready, role_users, make_meeting):
    staff = role_users["staff"]
    services.file_report(actor=staff, meeting=ready)
    second = make_meeting(ready.cycle, title="Rapat lanjutan")
    services.invite(actor=staff, meeting=second, guests=["Tamu"])
    services.record_attendance(
        actor=staff,
        meeting=second,
        entries=[{"invitee": second.invitees.get(), "attendance": "present"}],
    )
    services.add_agenda_item(actor=staff, meeting=second, title="Lanjutan", notes="Catatan")
    services.file_report(actor=staff, meeting=second)
    second.refresh_from_db()
    assert second.status == Meeting.Status.FILED
    assert Invitee.objects.filter(meeting=second).count() == 1
