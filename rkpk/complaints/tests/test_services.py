"""The rules of complaints: filing, delegation, follow-up, answer, closure, withdrawal."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.complaints import services
from rkpk.complaints.models import Complaint, ComplaintAttachment, FollowUp
from rkpk.complaints.tests.helpers import EXE, PDF, file, office_zip, upload
from rkpk.core.calendar import WorkingCalendar, today
from rkpk.core.models import AuditEvent
from rkpk.notifications.models import Notification
from rkpk.organisation.models import ActingAssignment, Role
from rkpk.procedure import selectors as procedure_selectors
from rkpk.procedure.tests.factories import cycle_done_through

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
Status = Complaint.Status


def acting(user, role, kind="Plt"):
    ActingAssignment.objects.create(
        user=user,
        role=role,
        kind=kind,
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=10),
        reason="Cuti",
    )


def notified(user, event: str) -> int:
    return Notification.objects.filter(recipient=user, event=event).count()


@pytest.fixture
def cycle(db):
    return cycle_done_through(2)


@pytest.fixture
def delegated(role_users):
    complaint = file(role_users["unit_operator"])
    return services.delegate(
        actor=role_users["head_of_bureau"],
        complaint=complaint,
        to=role_users["head_of_section"],
        note="Tolong ditindaklanjuti.",
    )


# --- Filing ----------------------------------------------------------------------------------


def test_filing_numbers_dates_unit_audit_and_notifies_the_head_of_bureau(role_users, cycle):
    operator = role_users["unit_operator"]
    complaint = file(operator, cycle=cycle, step_number=3, category="keluhan")
    assert complaint.number == f"ADU-{today().year}-0001"
    assert complaint.status == Status.RECEIVED
    assert complaint.unit.code == "E1.A"
    assert complaint.cycle == cycle and complaint.step_number == 3
    cal = WorkingCalendar()
    assert complaint.delegation_due == cal.add_working_days(complaint.received_on, 1)
    assert complaint.answer_due == cal.add_working_days(complaint.received_on, 5)
    assert AuditEvent.objects.filter(action="complaint.filed", object_id=str(complaint.pk)).exists()
    assert notified(role_users["head_of_bureau"], "complaints.filed") == 1
    assert notified(role_users["head_of_section"], "complaints.filed") == 0
    second = file(role_users["staff"])
    assert second.number == f"ADU-{today().year}-0002"
    assert second.unit is None  # the bureau's staff hold no unit role


def test_numbers_restart_each_year_without_gaps(role_users, monkeypatch):
    from django.utils import timezone

    moments = iter(
        [
            datetime(2026, 12, 31, 15, 0, tzinfo=JAKARTA),
            datetime(2027, 1, 4, 9, 0, tzinfo=JAKARTA),
            datetime(2027, 1, 4, 10, 0, tzinfo=JAKARTA),
        ]
    )
    real_now = timezone.now
    fixed = {"now": None}

    def now():
        return fixed["now"] or real_now()

    monkeypatch.setattr(services.timezone, "now", now)
    numbers = []
    for _ in range(3):
        fixed["now"] = next(moments)
        numbers.append(file(role_users["staff"]).number)
    assert numbers == ["ADU-2026-0001", "ADU-2027-0001", "ADU-2027-0002"]
    # A refused filing takes no number.
    with pytest.raises(ValidationError):
        file(role_users["staff"], subject="")
    assert file(role_users["staff"]).number == "ADU-2027-0003"


def test_due_dates_follow_the_settings_and_the_calendar(settings):
    from datetime import date

    from rkpk.core.models import CalendarOverride

    monday = date(2026, 2, 2)
    assert services.due_dates(monday) == (date(2026, 2, 3), date(2026, 2, 9))
    settings.RKPK_COMPLAINT_DELEGATE_DAYS = 2
    settings.RKPK_COMPLAINT_ANSWER_DAYS = 3
    assert services.due_dates(monday) == (date(2026, 2, 4), date(2026, 2, 5))
    CalendarOverride.objects.create(date=date(2026, 2, 4), kind="closed", reason="Cuti bersama")
    assert services.due_dates(monday) == (date(2026, 2, 5), date(2026, 2, 6))


@pytest.mark.parametrize(
    "code",
    [
        "admin",
        "staff",
        "head_of_section",
        "head_of_bureau",
        "deputy",
        "minister",
        "general_bureau",
        "viewer",
        "unit_operator",
        "unit_head",
    ],
)
def test_everyone_with_a_role_may_file(role_users, code):
    assert file(role_users[code]).complainant == role_users[code]


def test_a_user_without_a_role_may_not_file(role_users):
    with pytest.raises(PermissionDenied):
        file(role_users["nobody"])
    assert not Complaint.objects.exists()


def test_a_complaint_about_a_cycle_the_user_cannot_see_is_refused(role_users, make_user, cycle):
    """Every holder of a role sees every cycle (procedure.selectors.cycles_for), unit people
    too. Who acts as an official (Plt/Plh) without holding a role of their own may file —
    but cycles_for shows them no cycle, so a complaint about one is refused on the field."""
    plh = make_user("plh_only")
    acting(plh, Role.HEAD_OF_SECTION, kind="Plh")
    assert not procedure_selectors.cycles_for(plh).exists()
    with pytest.raises(ValidationError) as refused:
        file(plh, cycle=cycle, step_number=1)
    assert "cycle" in refused.value.message_dict
    assert not Complaint.objects.exists()
    # Without the cycle the same person may file.
    assert file(plh).complainant == plh


def test_the_cycle_check_follows_what_cycles_for_returns(role_users, cycle, monkeypatch):
    """Were the cycles a unit sees ever narrowed, the filing follows the selector."""
    from rkpk.procedure.models import Cycle

    monkeypatch.setattr(services, "cycles_for", lambda user: Cycle.objects.none())
    with pytest.raises(ValidationError) as refused:
        file(role_users["unit_operator"], cycle=cycle)
    assert refused.value.message_dict["cycle"] == [
        "You cannot see this cycle; choose one from the list."
    ]


def test_an_unknown_step_is_refused(role_users, cycle):
    with pytest.raises(ValidationError) as refused:
        file(role_users["unit_operator"], cycle=cycle, step_number=14)
    assert refused.value.message_dict["step_number"] == ["The cycle RK-PK 2027 has no step 14."]
    with pytest.raises(ValidationError) as without_cycle:
        file(role_users["unit_operator"], step_number=3)
    assert "step_number" in without_cycle.value.message_dict


def test_missing_fields_and_a_bad_category_are_refused(role_users):
    with pytest.raises(ValidationError) as refused:
        file(role_users["unit_operator"], category="spam", subject=" ", text="\x00")
    assert set(refused.value.message_dict) == {"category", "subject", "text"}


def test_a_macro_attachment_is_refused_and_nothing_is_filed(role_users):
    macro = upload("rincian.docx", office_zip("word", macro=True))
    with pytest.raises(ValidationError) as refused:
        file(role_users["unit_operator"], files=[macro])
    assert "macros" in refused.value.message_dict["attachment"][0]
    with pytest.raises(ValidationError) as renamed:
        file(role_users["unit_operator"], files=[upload("surat.pdf", EXE)])
    assert "judged by its content" in renamed.value.message_dict["attachment"][0]
    assert not Complaint.objects.exists()
    assert not ComplaintAttachment.objects.exists()


def test_allowed_attachments_are_stored_under_a_random_name(role_users):
    complaint = file(
        role_users["unit_operator"],
        files=[upload("../../bukti surat.pdf", PDF), upload("tabel.xlsx", office_zip("xl"))],
    )
    pdf, xlsx = complaint.attachments.order_by("id")
    assert pdf.original_name == "bukti surat.pdf" and pdf.content_type == "application/pdf"
    assert "bukti" not in pdf.file.name and pdf.file.name.endswith(".pdf")
    assert xlsx.file.name.endswith(".xlsx")
    too_many = [upload(f"{i}.pdf", PDF) for i in range(6)]
    with pytest.raises(ValidationError):
        file(role_users["unit_operator"], files=too_many)


# --- Delegation ------------------------------------------------------------------------------


def test_the_head_of_bureau_delegates_to_a_head_of_section(delegated, role_users):
    assert delegated.status == Status.DELEGATED
    assert delegated.delegated_to == role_users["head_of_section"]
    assert delegated.delegated_by == role_users["head_of_bureau"]
    assert delegated.delegated_by_acting == ""
    assert notified(role_users["head_of_section"], "complaints.delegated") == 1
    assert AuditEvent.objects.filter(action="complaint.delegated").count() == 1


@pytest.mark.parametrize("code", ["admin", "staff", "head_of_section", "viewer", "deputy"])
def test_only_the_head_of_bureau_delegates(role_users, code):
    complaint = file(role_users["unit_operator"])
    with pytest.raises(PermissionDenied):
        services.delegate(
            actor=role_users[code], complaint=complaint, to=role_users["head_of_section"]
        )


def test_a_plt_of_the_head_of_bureau_delegates_and_it_is_recorded(role_users, make_user):
    plt = make_user("plt_kabiro", (Role.STAFF, None))
    acting(plt, Role.HEAD_OF_BUREAU, kind="Plt")
    complaint = services.delegate(
        actor=plt, complaint=file(role_users["unit_operator"]), to=role_users["head_of_section"]
    )
    assert complaint.delegated_by == plt and complaint.delegated_by_acting == "Plt"
    # The Plt also receives new complaints (this one and the first).
    file(role_users["unit_head"])
    assert notified(plt, "complaints.filed") == 2


def test_delegation_only_to_a_head_of_section(role_users, make_user):
    complaint = file(role_users["unit_operator"])
    with pytest.raises(ValidationError) as refused:
        services.delegate(actor=role_users["head_of_bureau"], complaint=complaint, to=None)
    assert "to" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.delegate(
            actor=role_users["head_of_bureau"], complaint=complaint, to=role_users["staff"]
        )
    plh = make_user("plh_kabag")
    acting(plh, Role.HEAD_OF_SECTION, kind="Plh")
    complaint = services.delegate(actor=role_users["head_of_bureau"], complaint=complaint, to=plh)
    assert complaint.delegated_to == plh


def test_redelegation_keeps_the_status_and_is_refused_after_the_answer(delegated, role_users):
    other = role_users["head_of_section"].__class__.objects.create(username="kabag2")
    from rkpk.organisation.models import RoleAssignment

    RoleAssignment.objects.create(user=other, role=Role.HEAD_OF_SECTION)
    services.add_follow_up(actor=role_users["staff"], complaint=delegated, action="Cek surat")
    again = services.delegate(actor=role_users["head_of_bureau"], complaint=delegated, to=other)
    assert again.status == Status.IN_FOLLOW_UP and again.delegated_to == other
    services.answer(actor=other, complaint=again, text="Sudah diperbaiki.")
    with pytest.raises(ValidationError):
        services.delegate(
            actor=role_users["head_of_bureau"], complaint=again, to=role_users["head_of_section"]
        )


# --- Follow-up -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["head_of_section", "staff", "head_of_bureau"])
def test_the_bureau_records_follow_ups(delegated, role_users, code):
    follow_up = services.add_follow_up(
        actor=role_users[code], complaint=delegated, action="Menghubungi unit pengadu."
    )
    delegated.refresh_from_db()
    assert delegated.status == Status.IN_FOLLOW_UP
    assert follow_up.by == role_users[code]
    assert FollowUp.objects.filter(complaint=delegated).count() == 1


@pytest.mark.parametrize(
    "code", ["admin", "viewer", "deputy", "minister", "unit_operator", "unit_head"]
)
def test_others_may_not_record_follow_ups(delegated, role_users, code):
    with pytest.raises(PermissionDenied):
        services.add_follow_up(actor=role_users[code], complaint=delegated, action="x")


def test_follow_up_needs_a_delegation_and_a_text(role_users, delegated):
    fresh = file(role_users["unit_head"])
    with pytest.raises(ValidationError, match="delegate the complaint first"):
        services.add_follow_up(actor=role_users["staff"], complaint=fresh, action="x")
    with pytest.raises(ValidationError) as empty:
        services.add_follow_up(actor=role_users["staff"], complaint=delegated, action="  ")
    assert "action" in empty.value.message_dict


# --- Answer and closure ----------------------------------------------------------------------


def test_the_delegate_answers_once_and_the_complainant_is_told(delegated, role_users):
    answered = services.answer(
        actor=role_users["head_of_section"], complaint=delegated, text="Jadwal diperbaiki."
    )
    assert answered.status == Status.ANSWERED
    assert answered.answered_by == role_users["head_of_section"]
    assert answered.answered_on == today() and answered.answered_in_time is True
    assert notified(role_users["unit_operator"], "complaints.answered") == 1
    with pytest.raises(ValidationError, match="already been answered"):
        services.answer(actor=role_users["head_of_bureau"], complaint=answered, text="Lagi")


def test_the_head_of_bureau_may_answer_directly(role_users):
    complaint = file(role_users["unit_operator"], category="masukan")
    answered = services.answer(
        actor=role_users["head_of_bureau"], complaint=complaint, text="Terima kasih."
    )
    assert answered.status == Status.ANSWERED


@pytest.mark.parametrize("code", ["staff", "admin", "viewer", "unit_operator", "deputy"])
def test_others_may_not_answer(delegated, role_users, code):
    with pytest.raises(PermissionDenied):
        services.answer(actor=role_users[code], complaint=delegated, text="x")


def test_a_head_of_section_who_is_not_the_delegate_may_not_answer(delegated, make_user):
    other = make_user("kabag_lain", (Role.HEAD_OF_SECTION, None))
    with pytest.raises(PermissionDenied):
        services.answer(actor=other, complaint=delegated, text="x")


def test_an_answer_needs_a_text(delegated, role_users):
    with pytest.raises(ValidationError) as refused:
        services.answer(actor=role_users["head_of_section"], complaint=delegated, text="")
    assert "text" in refused.value.message_dict


def test_closing_without_an_answer_is_refused_with_a_clear_message(delegated, role_users):
    with pytest.raises(ValidationError) as refused:
        services.close(actor=role_users["head_of_bureau"], complaint=delegated)
    assert refused.value.messages == [
        "A complaint cannot be closed before the complainant has been answered."
    ]
    delegated.refresh_from_db()
    assert delegated.status == Status.DELEGATED


@pytest.mark.parametrize("closer", ["head_of_bureau", "head_of_section"])
def test_closing_an_answered_complaint(delegated, role_users, closer):
    services.answer(actor=role_users["head_of_section"], complaint=delegated, text="Selesai.")
    closed = services.close(actor=role_users[closer], complaint=delegated, note="Tuntas.")
    assert closed.status == Status.CLOSED and closed.closed_by == role_users[closer]
    assert notified(role_users["unit_operator"], "complaints.closed") == 1
    with pytest.raises(ValidationError, match="already closed"):
        services.close(actor=role_users["head_of_bureau"], complaint=closed)


@pytest.mark.parametrize("code", ["staff", "admin", "viewer", "unit_operator"])
def test_others_may_not_close(delegated, role_users, code):
    services.answer(actor=role_users["head_of_section"], complaint=delegated, text="Selesai.")
    with pytest.raises(PermissionDenied):
        services.close(actor=role_users[code], complaint=delegated)


# --- Withdrawal and rating -------------------------------------------------------------------


def test_the_complainant_withdraws_before_the_answer(delegated, role_users):
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=role_users["unit_head"], complaint=delegated)
    withdrawn = services.withdraw(
        actor=role_users["unit_operator"], complaint=delegated, reason="Sudah selesai sendiri."
    )
    assert withdrawn.status == Status.WITHDRAWN
    assert notified(role_users["head_of_section"], "complaints.withdrawn") == 1
    with pytest.raises(ValidationError):
        services.answer(actor=role_users["head_of_section"], complaint=withdrawn, text="x")
    with pytest.raises(ValidationError):
        services.close(actor=role_users["head_of_bureau"], complaint=withdrawn)


def test_no_withdrawal_after_the_answer(delegated, role_users):
    services.answer(actor=role_users["head_of_section"], complaint=delegated, text="Selesai.")
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        services.withdraw(actor=role_users["unit_operator"], complaint=delegated)


def test_the_complainant_rates_the_answer_once(delegated, role_users):
    with pytest.raises(ValidationError, match="once it has been answered"):
        services.rate(actor=role_users["unit_operator"], complaint=delegated, satisfaction=4)
    services.answer(actor=role_users["head_of_section"], complaint=delegated, text="Selesai.")
    with pytest.raises(PermissionDenied):
        services.rate(actor=role_users["head_of_bureau"], complaint=delegated, satisfaction=4)
    with pytest.raises(ValidationError) as out_of_range:
        services.rate(actor=role_users["unit_operator"], complaint=delegated, satisfaction=5)
    assert "satisfaction" in out_of_range.value.message_dict
    rated = services.rate(
        actor=role_users["unit_operator"], complaint=delegated, satisfaction=3, note="Cepat."
    )
    assert rated.satisfaction == 3
    with pytest.raises(ValidationError, match="already rated"):
        services.rate(actor=role_users["unit_operator"], complaint=rated, satisfaction=4)


def test_every_change_is_audited(delegated, role_users):
    services.add_follow_up(actor=role_users["staff"], complaint=delegated, action="Cek")
    services.answer(actor=role_users["head_of_section"], complaint=delegated, text="Selesai")
    services.close(actor=role_users["head_of_bureau"], complaint=delegated)
    services.rate(actor=role_users["unit_operator"], complaint=delegated, satisfaction=4)
    actions = list(
        AuditEvent.objects.filter(object_id=str(delegated.pk), object_type="complaints.complaint")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaint.filed",
        "complaint.delegated",
        "complaint.followed_up",
        "complaint.answered",
        "complaint.closed",
        "complaint.rated",
    ]
