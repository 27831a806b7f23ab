"""The unit's own approval (issue 13.12): the unit head approves a plan before it goes to the
bureau, or returns it to the operator with a note; the operator cannot submit past the head;
the organisation switches it off; audited, notified, on the home page and the board."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.notifications.models import Notification
from rkpk.organisation import profile as organisation_profile
from rkpk.organisation.models import Headship, Official, OrganisationProfile, Role
from rkpk.plans import services, services_approval
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.test_review_support import make_officials, make_plan, url

pytestmark = pytest.mark.django_db
Status = UnitPlan.Status


@pytest.fixture
def officials(units):
    return make_officials(units)


@pytest.fixture
def people(units, officials, role_users, make_user):
    """The unit A's head (holding the unit-head role and linked to the recorded head), an
    official of unit B acting (Plt.) as A's head, B's head, the operator, staff, admin."""
    Headship.objects.create(official=officials["head"], unit=units["a"])
    head = role_users["unit_head"]
    head.official = officials["head"]
    head.save()
    plt_official = Official.objects.create(
        name="Dewi Lestari", nip="198001012005012003", position="Kepala Biro B", unit=units["b"]
    )
    Headship.objects.create(official=plt_official, unit=units["b"])
    Headship.objects.create(
        official=plt_official,
        unit=units["a"],
        kind=Headship.Kind.PLT,
        starts_on=today() - timedelta(days=3),
        ends_on=today() + timedelta(days=30),
    )
    acting = make_user("plt_head", (Role.UNIT_HEAD, units["b"]), official=plt_official)
    other_head = make_user("head_b", (Role.UNIT_HEAD, units["b"]))
    return {
        "operator": role_users["unit_operator"],
        "head": head,
        "acting": acting,
        "other_head": other_head,
        "staff": role_users["staff"],
        "admin": role_users["admin"],
    }


@pytest.fixture
def plan(units, officials):
    return make_plan(units["a"], officials)


def awaiting(plan, operator) -> UnitPlan:
    return services_approval.request_approval(actor=operator, plan=plan)


def events(plan, action: str):
    return list(AuditEvent.objects.filter(action=action, object_id=str(plan.pk)))


def test_the_setting_is_on_by_default_and_on_the_neutral_profile(db):
    assert OrganisationProfile._meta.get_field("unit_head_approval").default is True
    assert organisation_profile.current_profile().unit_head_approval is True


def test_the_operators_submit_sends_the_plan_to_the_head(plan, people):
    result = services_approval.submit_or_request(actor=people["operator"], plan=plan)
    plan.refresh_from_db()
    assert isinstance(result, UnitPlan)
    assert plan.status == Status.AWAITING_HEAD and not plan.is_editable
    assert not plan.submissions.exists()
    (event,) = events(plan, "plan.approval_requested")
    assert event.before["status"] == "draft" and event.after == {"status": "awaiting_head"}
    told = set(
        Notification.objects.filter(event="plan.approval_requested").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {people["head"].username, people["acting"].username}
    # Nobody edits a plan waiting for the head.
    with pytest.raises(ValidationError):
        services.set_parties(
            actor=people["operator"], plan=plan, revision=plan.revision, first_party=None,
            second_party=None,
        )  # fmt: skip


def test_the_operator_cannot_submit_past_the_head(plan, people):
    with pytest.raises(PermissionDenied, match="unit head approves"):
        services.submit(actor=people["operator"], plan=plan)
    awaiting(plan, people["operator"])
    with pytest.raises((PermissionDenied, ValidationError)):
        services.submit(actor=people["operator"], plan=plan)
    with pytest.raises(PermissionDenied):
        services_approval.approve(actor=people["operator"], plan=plan)
    with pytest.raises(PermissionDenied):
        services_approval.return_to_operator(actor=people["operator"], plan=plan, note="x")
    assert not plan.submissions.exists()


def test_the_operator_cannot_bypass_the_head_on_the_pages(plan, people, client_for):
    client = client_for(people["operator"])
    assert client.post(url("plan_submit", plan)).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.AWAITING_HEAD
    assert client.post(url("plan_submit", plan)).status_code == 302  # not editable: refused
    assert client.post(url("plan_approve", plan)).status_code == 403
    response = client.post(url("plan_return_to_operator", plan), {"note": "Ubah"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.AWAITING_HEAD and not plan.submissions.exists()
    page = client.get(url("plan_detail", plan)).content.decode()
    assert "Awaiting the unit head" in page and 'id="approve-plan"' not in page


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("head", True),
        ("acting", True),
        ("operator", False),
        ("other_head", False),
        ("staff", False),
        ("admin", False),
    ],
)
def test_who_may_approve(plan, people, who, allowed):
    awaiting(plan, people["operator"])
    actor = people[who]
    if not allowed:
        with pytest.raises(PermissionDenied):
            services_approval.approve(actor=actor, plan=plan)
        plan.refresh_from_db()
        assert plan.status == Status.AWAITING_HEAD
        return
    submission = services_approval.approve(actor=actor, plan=plan)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert submission.number == 1 and submission.submitted_by == actor
    (approved,) = events(plan, "plan.head_approved")
    assert approved.actor == actor and approved.before == {"status": "awaiting_head"}
    (submitted,) = events(plan, "plan.submitted")
    assert submitted.after["approved_by_head"] is True
    assert Notification.objects.filter(event="plan.submitted", recipient=people["staff"]).exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("head", True),
        ("acting", True),
        ("operator", False),
        ("other_head", False),
        ("staff", False),
        ("admin", False),
    ],
)
def test_who_may_return_to_the_operator(plan, people, who, allowed):
    awaiting(plan, people["operator"])
    actor = people[who]
    if not allowed:
        with pytest.raises(PermissionDenied):
            services_approval.return_to_operator(actor=actor, plan=plan, note="Perbaiki")
        return
    services_approval.return_to_operator(actor=actor, plan=plan, note="Perbaiki target IK1")
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT and plan.is_editable
    assert plan.head_note == "Perbaiki target IK1" and plan.head_note_by == actor
    (event,) = events(plan, "plan.head_returned")
    assert event.before == {"status": "awaiting_head"}
    assert event.after == {"status": "draft", "note": "Perbaiki target IK1"}
    notice = Notification.objects.get(event="plan.head_returned")
    assert notice.recipient == people["operator"] and "Perbaiki target IK1" in notice.body


def test_a_return_needs_a_note_and_the_note_is_shown(plan, people, client_for):
    awaiting(plan, people["operator"])
    with pytest.raises(ValidationError):
        services_approval.return_to_operator(actor=people["head"], plan=plan, note="   ")
    head = client_for(people["head"])
    page = head.get(url("plan_detail", plan)).content.decode()
    assert 'id="approve-plan"' in page and 'id="return-to-operator"' in page
    assert head.post(url("plan_return_to_operator", plan), {"note": ""}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.AWAITING_HEAD
    head.post(url("plan_return_to_operator", plan), {"note": "Lengkapi definisi IK2"})
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    operator = client_for(people["operator"])
    page = operator.get(url("plan_detail", plan)).content.decode()
    assert 'id="head-note"' in page and "Lengkapi definisi IK2" in page
    # Sent for approval again, the old note is gone.
    assert awaiting(plan, people["operator"]).head_note == ""


def test_the_head_approves_on_the_page(plan, people, client_for):
    awaiting(plan, people["operator"])
    response = client_for(people["acting"]).post(url("plan_approve", plan))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED and plan.submissions.count() == 1


def test_a_head_who_cannot_see_the_plan_does_not_reach_it(plan, people, client_for):
    awaiting(plan, people["operator"])
    client = client_for(people["other_head"])
    assert client.get(url("plan_detail", plan)).status_code == 404
    assert client.post(url("plan_approve", plan)).status_code == 404
    plan.refresh_from_db()
    assert plan.status == Status.AWAITING_HEAD


def test_a_resubmission_after_clarification_goes_through_the_head(plan, people):
    awaiting(plan, people["operator"])
    services_approval.approve(actor=people["head"], plan=plan)
    services.request_clarification(actor=people["staff"], plan=plan, remarks="Jelaskan IK1")
    plan.refresh_from_db()
    assert plan.status == Status.CLARIFICATION
    with pytest.raises(PermissionDenied):
        services.submit(actor=people["operator"], plan=plan)
    awaiting(plan, people["operator"])
    # Returned by the head, the plan is again the clarification it answers.
    services_approval.return_to_operator(actor=people["head"], plan=plan, note="Belum cukup")
    plan.refresh_from_db()
    assert plan.status == Status.CLARIFICATION
    awaiting(plan, people["operator"])
    second = services_approval.approve(actor=people["head"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == Status.RESUBMITTED and second.number == 2


def test_without_a_recorded_head_the_approval_is_refused(plan, units, officials, role_users):
    """The unit-head role alone does not make a PK's first party: the bureau records one."""
    operator, head = role_users["unit_operator"], role_users["unit_head"]
    with pytest.raises(ValidationError, match="record the unit's head"):
        services_approval.request_approval(actor=operator, plan=plan)
    with pytest.raises(ValidationError, match="record the unit's head"):
        services.submit(actor=head, plan=plan)
    UnitPlan.objects.filter(pk=plan.pk).update(status=Status.AWAITING_HEAD)
    with pytest.raises(ValidationError, match="record the unit's head"):
        services_approval.approve(actor=head, plan=plan)
    assert not plan.submissions.exists()


def test_the_head_submitting_a_draft_approves_it(plan, people):
    submission = services.submit(actor=people["head"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED and submission.submitted_by == people["head"]
    (event,) = events(plan, "plan.submitted")
    assert event.after["approved_by_head"] is True


def test_a_failing_check_is_refused_before_the_head_is_asked(plan, people):
    plan.goals.all().delete()
    with pytest.raises(ValidationError, match="checks fail"):
        services_approval.request_approval(actor=people["operator"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_setting_off_the_operator_submits_directly(plan, people, client_for):
    organisation_profile.update_profile(
        actor=people["admin"], name="Organisasi Uji", short_name="OU", minister_title="Menteri",
        pk_second_party_title="Presiden", signing_city="Jakarta", unit_head_approval=False,
    )  # fmt: skip
    client = client_for(people["operator"])
    page = client.get(url("plan_detail", plan)).content.decode()
    assert "Submit to the bureau" in page and "Send to the unit head" not in page
    client.post(url("plan_submit", plan))
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert plan.submissions.get().submitted_by == people["operator"]
    assert "approved_by_head" not in events(plan, "plan.submitted")[0].after
    with pytest.raises(ValidationError):
        services_approval.request_approval(actor=people["operator"], plan=plan)


def test_the_setting_is_edited_on_the_profile_page_and_audited(role_users, client_for):
    admin = client_for(role_users["admin"])
    form = admin.get("/organisation/profile/edit/").content.decode()
    tag = form[form.rindex("<input", 0, form.index('name="unit_head_approval"')) :]
    assert "checked" in tag[: tag.index(">")]  # on by default, before any profile is saved
    data = {
        "name": "Organisasi Uji",
        "short_name": "OU",
        "minister_title": "Menteri",
        "pk_second_party_title": "Presiden",
        "signing_city": "Jakarta",
    }
    assert admin.post("/organisation/profile/edit/", data).status_code == 302
    assert organisation_profile.current_profile().unit_head_approval is False
    event = AuditEvent.objects.filter(action__startswith="organisation.profile").latest("pk")
    assert event.after["unit_head_approval"] is False
    admin.post("/organisation/profile/edit/", data | {"unit_head_approval": "on"})
    organisation_profile.clear_cache()
    assert organisation_profile.current_profile().unit_head_approval is True
    page = admin.get("/organisation/profile/").content.decode()
    assert 'id="unit-head-approval"' in page


def test_the_head_sees_the_approval_on_the_home_page(plan, people, client_for):
    from rkpk.site.selectors import tasks_for

    awaiting(plan, people["operator"])
    for who in ("head", "acting"):
        texts = [t.text for t in tasks_for(people[who])]
        assert any("Approve the RK-PK 2027 of Biro A" in t for t in texts), who
    assert not any("Approve" in t.text for t in tasks_for(people["other_head"]))
    assert not any("Approve" in t.text for t in tasks_for(people["operator"]))


def test_the_board_counts_plans_awaiting_the_head(plan, people, units, officials, client_for):
    from rkpk.plans import monitoring

    awaiting(plan, people["operator"])
    board = monitoring.board(2027)
    assert board.counts["awaiting_head"] == 1
    assert board.counts["awaiting"] == 0
    row = next(r for r in board.all_rows if r.unit == units["a"])
    assert row.status == Status.AWAITING_HEAD and not row.is_done
    assert [r.unit for r in monitoring.board(2027, status="awaiting_head").rows] == [units["a"]]
    page = client_for(people["staff"]).get("/plans/monitoring/2027/").content.decode()
    assert 'data-count="awaiting_head">1<' in page
