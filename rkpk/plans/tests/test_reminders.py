"""Reminders before the deadline, lateness notices every working day, escalation, idempotence."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from rkpk.core.models import AuditEvent
from rkpk.notifications.models import Notification
from rkpk.organisation.models import Role, Unit
from rkpk.plans import reminders
from rkpk.plans.models import ReminderLog, UnitPlan
from rkpk.plans.tests.test_monitoring import CALL_DAY, DEADLINE, make_plan, open_cycle
from rkpk.procedure import services
from rkpk.procedure.models import Cycle, CycleStep

S = UnitPlan.Status
THREE_BEFORE = date(2026, 9, 14)  # Monday: 15, 16, 17 September are the three working days
FIRST_LATE = date(2026, 9, 18)  # Friday
SATURDAY = date(2026, 9, 19)


@pytest.fixture
def people(role_users, units, make_user):
    """Unit a (operator, head) has a draft; unit b (operator_b) has submitted; the Eselon I
    unit (its head also escalated to) has no plan."""
    users = dict(role_users)
    users["head_e1"] = make_user("u_head_e1", (Role.UNIT_HEAD, units["root"]))
    for user in users.values():
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["email"])
    make_plan(units["a"], S.DRAFT)
    make_plan(units["b"], S.SUBMITTED)
    return users


@pytest.fixture
def cycle(people):
    return open_cycle(people["staff"])


def run(day, **kwargs):
    return reminders.send_reminders(on_date=day, **kwargs)


def received(event=None) -> dict[str, list[str]]:
    """Username -> titles of the notifications they received (of one event kind)."""
    found = {}
    notes = Notification.objects.select_related("recipient").order_by("id")
    if event:
        notes = notes.filter(event=event)
    for note in notes:
        found.setdefault(note.recipient.username, []).append(note.title)
    return found


@pytest.mark.django_db
def test_pending_units_are_reminded_exactly_n_working_days_before(cycle, people):
    assert run(THREE_BEFORE - timedelta(days=3))["cycles"][0]["kind"] is None  # Friday: 4 days
    assert Notification.objects.count() == 0
    summary = run(THREE_BEFORE)
    [result] = summary["cycles"]
    assert result["kind"] == "before" and result["deadline"] == DEADLINE.isoformat()
    assert sorted(result["reminded"]) == ["E1", "E1.A"]  # E1.B has submitted
    got = received(reminders.EVENT_BEFORE)
    assert set(got) == {"u_unit_operator", "u_unit_head", "u_head_e1"}
    assert got["u_unit_operator"] == ["RK-PK 2027 of Biro A: due in 3 working day(s)"]
    note = Notification.objects.get(recipient=people["unit_operator"])
    assert "17 September 2026" in note.body and note.url.endswith("/plans/E1.A/2027/")
    assert received(reminders.EVENT_ESCALATION) == {}
    assert run(THREE_BEFORE + timedelta(days=1))["cycles"][0]["kind"] is None
    assert ReminderLog.objects.filter(kind="before").count() == 2


@pytest.mark.django_db
def test_the_number_of_days_is_an_option_and_a_setting(cycle, people, settings):
    assert run(date(2026, 9, 10), days_before=5)["cycles"][0]["kind"] == "before"
    settings.RKPK_REMINDER_DAYS_BEFORE = 1
    assert run(date(2026, 9, 16))["cycles"][0]["kind"] == "before"
    assert run(THREE_BEFORE)["cycles"][0]["kind"] is None
    assert run(DEADLINE, days_before=0)["cycles"][0]["kind"] == "before"
    with pytest.raises(ValidationError):
        run(THREE_BEFORE, days_before=-1)


@pytest.mark.django_db
def test_late_units_are_warned_every_working_day_and_escalated(cycle, people):
    [result] = run(FIRST_LATE)["cycles"]
    assert result["kind"] == "late"
    assert sorted(result["escalated"]) == ["E1", "E1.A"]
    late = received(reminders.EVENT_LATE)
    assert set(late) == {"u_unit_operator", "u_unit_head", "u_head_e1"}
    assert late["u_unit_head"] == ["RK-PK 2027 of Biro A: 1 working day(s) late"]
    escalated = received(reminders.EVENT_ESCALATION)
    # One digest each: the Head of Bureau for every late unit, the Eselon I head for theirs.
    assert escalated == {
        "u_head_of_bureau": ["RK-PK 2027: 2 unit(s) late"],
        "u_head_e1": ["RK-PK 2027: 1 unit(s) of Sekretariat Uji late"],
    }
    digest = Notification.objects.get(recipient=people["head_of_bureau"]).body
    assert "E1.A Biro A: 1 working day(s) late, Draft" in digest
    assert "E1 Sekretariat Uji: 1 working day(s) late, No plan yet" in digest
    assert "operator_b" not in received()  # unit b has submitted
    assert run(SATURDAY) == {
        "date": SATURDAY.isoformat(),
        "working_day": False,
        "days_before": 3,
        "cycles": [],
    }
    count = Notification.objects.count()
    [monday] = run(date(2026, 9, 21))["cycles"]
    assert monday["kind"] == "late" and Notification.objects.count() == 2 * count
    assert (
        "2 working day(s) late"
        in Notification.objects.filter(recipient=people["unit_operator"])
        .order_by("-id")
        .first()
        .title
    )


@pytest.mark.django_db
def test_running_twice_a_day_sends_nothing_twice(cycle, people):
    run(FIRST_LATE)
    count, logs = Notification.objects.count(), ReminderLog.objects.count()
    # Late notices to three people of two units, two escalation digests; a log per unit and kind.
    assert (count, logs) == (3 + 2, 4)
    [again] = run(FIRST_LATE)["cycles"]
    assert again["reminded"] == [] and again["escalated"] == [] and again["notifications"] == 0
    assert (Notification.objects.count(), ReminderLog.objects.count()) == (count, logs)
    assert AuditEvent.objects.filter(action="plan.reminders_sent").count() == 1


@pytest.mark.django_db
def test_a_unit_that_submits_is_no_longer_reminded(cycle, people, units):
    UnitPlan.objects.filter(unit=units["a"]).update(status=S.RESUBMITTED)
    make_plan(units["root"], S.ACCEPTED)
    [result] = run(FIRST_LATE)["cycles"]
    assert result["reminded"] == [] and Notification.objects.count() == 0
    UnitPlan.objects.filter(unit=units["a"]).update(status=S.CLARIFICATION)
    [result] = run(date(2026, 9, 21))["cycles"]
    assert result["reminded"] == ["E1.A"]  # sent back for clarification: late again


@pytest.mark.django_db
def test_units_without_anyone_to_remind_are_reported(cycle, people, units):
    Unit.objects.create(code="E1.C", name="Biro C", level=2, parent=units["root"])
    [result] = run(FIRST_LATE)["cycles"]
    assert result["without_recipients"] == ["E1.C"]
    assert "E1.C" in result["escalated"]
    event = AuditEvent.objects.get(action="plan.reminders_sent")
    assert event.after["without_recipients"] == ["E1.C"] and event.object_type == "procedure.cycle"
    assert event.actor_name == "system"


@pytest.mark.django_db
def test_no_reminders_before_the_call_or_after_monitoring_closed(people):
    staff = people["staff"]
    not_called = open_cycle(staff, dispatched=False)
    [result] = run(FIRST_LATE)["cycles"]
    assert result["skipped"] == "call for submissions not dispatched"
    not_called.delete()
    cycle = open_cycle(staff)
    step3 = CycleStep.objects.get(cycle=cycle, number=3)
    services.advance(actor=staff, step=step3, action="start", on_date=CALL_DAY)
    services.advance(actor=staff, step=step3, action="complete", on_date=FIRST_LATE)
    [result] = run(date(2026, 9, 21))["cycles"]
    assert result["skipped"] == "monitoring closed"
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.COMPLETED)
    assert run(date(2026, 9, 21))["cycles"] == []
    assert Notification.objects.count() == 0 and ReminderLog.objects.count() == 0


# --- through the command and the worker ---------------------------------------------------


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_command_queues_the_work_and_the_worker_sends_the_mail(people, capsys):
    open_cycle(people["staff"])
    call_command("send_reminders", "--date", FIRST_LATE.isoformat())
    assert f"Queued send_reminders for {FIRST_LATE.isoformat()}" in capsys.readouterr().out
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    assert Notification.objects.count() == 0  # the command itself sends nothing
    run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value["cycles"][0]["kind"] == "late"
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted(
        f"{name}@example.go.id"
        for name in (
            "u_unit_operator",
            "u_unit_head",
            "u_head_e1",  # as the head of E1 (late) and as its Eselon I head (escalation)
            "u_head_e1",
            "u_head_of_bureau",
        )
    )
    assert all(message.subject.startswith("[RK-PK] RK-PK 2027") for message in mail.outbox)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    sent = len(mail.outbox)
    # cron runs it again the same day: nothing more goes out.
    call_command("send_reminders", "--date", FIRST_LATE.isoformat(), "--days-before", "2")
    run_worker()
    assert len(mail.outbox) == sent
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 2


@pytest.mark.django_db
def test_the_command_refuses_bad_options():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "18-09-2026")
    with pytest.raises(CommandError, match="0 or more"):
        call_command("send_reminders", "--days-before", "-1")
    assert DBTaskResult.objects.count() == 0
