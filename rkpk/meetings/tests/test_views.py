"""The meeting pages for every role: allowed, refused, hidden; forms; query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rkpk.core.calendar import today
from rkpk.meetings import services
from rkpk.meetings.models import AgendaItem, Decision, Invitee, Meeting
from rkpk.procedure.models import CycleStep

pytestmark = [pytest.mark.django_db]
MINISTRY = ["admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister", "viewer"]
NOT_BUREAU = ["admin", "deputy", "minister", "viewer", "general_bureau", "unit_operator"]


def _url(meeting, suffix=""):
    return f"/meetings/{meeting.pk}/{suffix}"


# --- Reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MINISTRY + ["unit_operator", "unit_head"])
def test_list_and_detail_for_readers(meeting, role_users, client_for, role):
    client = client_for(role_users[role])
    page = client.get("/meetings/")
    assert page.status_code == 200
    assert [m.pk for m in page.context["meetings"]] == [meeting.pk]
    assert client.get(_url(meeting)).status_code == 200


def test_unit_of_another_unit_and_nobody(meeting, role_users, client_for):
    other = client_for(role_users["operator_b"])
    assert list(other.get("/meetings/").context["meetings"]) == []
    assert other.get(_url(meeting)).status_code == 404
    assert other.get(_url(meeting, "report/")).status_code == 404
    assert other.get(_url(meeting) + "report.pdf").status_code == 404
    nobody = client_for(role_users["nobody"])
    assert nobody.get("/meetings/").status_code == 403
    assert nobody.get(_url(meeting)).status_code == 404


def test_list_filter_by_year_pagination_and_empty_state(
    cycle, make_meeting, role_users, client_for
):
    for n in range(23):
        make_meeting(cycle, title=f"Rapat {n}", hours_ago=n + 1)
    client = client_for(role_users["staff"])
    page = client.get("/meetings/?year=2027")
    assert len(page.context["meetings"]) == 20 and page.context["page"].has_next()
    assert client.get("/meetings/?year=2027&page=2").context["page"].object_list.__len__() == 3
    empty = client.get("/meetings/?year=2031")
    assert not empty.context["meetings"]
    assert "No discussion meeting for 2031" in empty.content.decode()


def test_unit_people_see_notes_and_decisions_only_after_filing(ready, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    page = client.get(_url(ready))
    assert not page.context["details"] and not page.context["can_edit"]
    assert "Catatan penting rapat." not in page.content.decode()
    assert client.get(_url(ready, "report/")).status_code == 403
    assert client.get(_url(ready) + "report.docx").status_code == 403
    services.file_report(actor=role_users["head_of_bureau"], meeting=ready)
    page = client.get(_url(ready))
    assert page.context["details"]
    assert "Catatan penting rapat." in page.content.decode()
    assert client.get(_url(ready, "report/")).status_code == 200
    download = client.get(_url(ready) + "report.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "DRAF" not in download["Content-Disposition"]


# --- Writing ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_BUREAU)
def test_writes_refused_outside_the_bureau(meeting, role_users, client_for, role):
    client = client_for(role_users[role])
    assert client.get("/meetings/new/").status_code == 403
    assert client.get(_url(meeting, "edit/")).status_code == 403
    for suffix, data in [
        ("agenda/", {"title": "X"}),
        ("decisions/", {"text": "X"}),
        ("invitees/", {"guests": "X"}),
        ("attendance/", {}),
        ("invitation/", {}),
        ("cancel/", {"reason": "X"}),
    ]:
        assert client.post(_url(meeting, suffix), data).status_code == 403, suffix
    assert not AgendaItem.objects.exists() and not Decision.objects.exists()


def test_schedule_and_edit_pages(cycle, chair, role_users, client_for):
    client = client_for(role_users["staff"])
    form = client.get("/meetings/new/?cycle=2027")
    assert form.status_code == 200 and form.context["form"].initial["cycle"] == cycle.pk
    data = {
        "cycle": cycle.pk,
        "title": "Rapat pembahasan",
        "day": "2027-03-01",
        "start_time": "09:00",
        "end_time": "11:00",
        "place": "Ruang Rapat",
        "chair": "",
    }
    bad = client.post("/meetings/new/", {**data, "end_time": "08:00"})
    assert bad.status_code == 200 and bad.context["form"].errors["end_time"]
    response = client.post("/meetings/new/", data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(meeting)
    assert meeting.chair == chair
    assert timezone.localtime(meeting.starts_at).hour == 9
    edit = client.get(_url(meeting, "edit/"))
    assert edit.context["form"].initial["place"] == "Ruang Rapat"
    changed = {k: v for k, v in data.items() if k != "cycle"} | {"place": "Aula", "revision": 1}
    assert client.post(_url(meeting, "edit/"), changed).status_code == 302
    stale = client.post(_url(meeting, "edit/"), changed | {"place": "Ruang 3"})
    assert stale.status_code == 409
    meeting.refresh_from_db()
    assert meeting.place == "Aula"


def test_detail_forms_invite_attend_agenda_decide(meeting, role_users, units, client_for):
    client = client_for(role_users["staff"])
    page = client.get(_url(meeting))
    assert page.context["can_edit"] and page.context["can_file"]
    html = page.content.decode()
    assert 'for="att-' in html and "data-confirm" in html
    client.post(_url(meeting, "invitees/"), {"units": [units["b"].pk], "guests": "Tamu\nTamu 2"})
    assert meeting.invitees.count() == 4
    ids = list(meeting.invitees.order_by("position").values_list("pk", flat=True))
    data = {"invitee": ids, f"attendance-{ids[0]}": "present", f"attendance-{ids[1]}": "absent"}
    data |= {f"attendance-{ids[2]}": "represented", f"represented-{ids[2]}": "Sdr. A"}
    client.post(_url(meeting, "attendance/"), data)
    assert list(
        Invitee.objects.filter(pk__in=ids).order_by("position").values_list("attendance", flat=True)
    ) == ["present", "absent", "represented", "unknown"]
    client.post(_url(meeting, f"invitees/{ids[3]}/delete/"))
    assert meeting.invitees.count() == 3
    assert client.post(_url(meeting, "agenda/"), {"title": ""}).status_code == 422
    client.post(_url(meeting, "agenda/"), {"title": "Satu", "notes": ""})
    client.post(_url(meeting, "agenda/"), {"title": "Dua"})
    one, two = meeting.agenda_items.order_by("position")
    client.post(_url(meeting, f"agenda/{two.pk}/move/"), {"direction": "up"})
    assert list(meeting.agenda_items.order_by("position")) == [two, one]
    client.post(_url(meeting, f"agenda/{one.pk}/"), {"revision": 1, "title": "Satu", "notes": "N"})
    one.refresh_from_db()
    assert one.notes == "N"
    conflict = client.post(
        _url(meeting, f"agenda/{one.pk}/"), {"revision": 1, "title": "Satu", "notes": "Teks saya"}
    )
    assert conflict.status_code == 409 and "Teks saya" in conflict.content.decode()
    client.post(_url(meeting, f"agenda/{two.pk}/delete/"))
    assert list(meeting.agenda_items.all()) == [one]
    due = (today() + timedelta(days=3)).isoformat()
    bad = client.post(
        _url(meeting, "decisions/"),
        {"text": "X", "owner_unit": units["a"].pk, "owner_text": "Budi", "due_date": due},
    )
    assert bad.status_code == 422 and bad.context["decision_form"].errors["owner_text"]
    client.post(
        _url(meeting, "decisions/"),
        {
            "text": "Tindak lanjut",
            "agenda_item": one.pk,
            "owner_unit": units["a"].pk,
            "due_date": due,
        },
    )
    decision = meeting.decisions.get()
    edit = client.get(_url(meeting, f"decisions/{decision.pk}/"))
    assert edit.status_code == 200
    response = client.post(
        _url(meeting, f"decisions/{decision.pk}/"),
        {
            "text": "Tindak lanjut 2",
            "owner_unit": units["a"].pk,
            "due_date": due,
            "status": "done",
            "revision": 1,
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.text == "Tindak lanjut 2" and decision.status == "done"
    client.post(_url(meeting, f"decisions/{decision.pk}/delete/"))
    assert not meeting.decisions.exists()


def test_invitation_page_leads_to_the_document(meeting, role_users, client_for):
    client = client_for(role_users["staff"])
    response = client.post(_url(meeting, "invitation/"))
    meeting.refresh_from_db()
    assert meeting.invitation is not None
    assert response.status_code == 302 and str(meeting.invitation.pk) in response["Location"]
    assert client.get(_url(meeting)).context["invitation_url"]
    again = client.post(_url(meeting, "invitation/"), follow=True)
    assert "already has its invitation" in again.content.decode()


def test_preview_and_file(ready, role_users, client_for):
    staff = client_for(role_users["head_of_section"])
    preview = staff.get(_url(ready, "report/"))
    assert preview.status_code == 200 and preview.context["draft"]
    assert not preview.context["can_file"]  # the head of section does not file
    assert staff.post(_url(ready, "file/")).status_code == 403
    docx = staff.get(_url(ready) + "report.docx")
    assert docx.status_code == 200 and "DRAF" in docx["Content-Disposition"]
    assert staff.get(_url(ready) + "report.odt").status_code == 404
    head = client_for(role_users["head_of_bureau"])
    preview = head.get(_url(ready, "report/"))
    assert preview.context["can_file"] and not preview.context["problems"]
    assert 'data-confirm="File the meeting report' in preview.content.decode()
    response = head.post(_url(ready, "file/"))
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == Meeting.Status.FILED
    assert CycleStep.objects.get(cycle=ready.cycle, number=6).status == "done"
    page = head.get(_url(ready))
    assert not page.context["can_edit"] and not page.context["can_file"]
    refused = head.post(_url(ready, "agenda/"), {"title": "Baru"}, follow=True)
    assert "can no longer be changed" in refused.content.decode()


def test_filing_refused_shows_the_reason(meeting, role_users, client_for):
    client = client_for(role_users["staff"])
    response = client.post(_url(meeting, "file/"), follow=True)
    assert "nobody is recorded as present" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_cancel_page(meeting, role_users, client_for):
    client = client_for(role_users["staff"])
    client.post(_url(meeting, "cancel/"), {"reason": ""})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    client.post(_url(meeting, "cancel/"), {"reason": "Ditunda"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


# --- Query counts -------------------------------------------------------------------------


def _grow(meeting, staff, units, n):
    services.invite(
        actor=staff, meeting=meeting, guests=[f"Tamu {meeting.pk}-{i}" for i in range(n)]
    )
    for i in range(n):
        item = services.add_agenda_item(actor=staff, meeting=meeting, title=f"Item {i}", notes="N")
        services.add_decision(
            actor=staff, meeting=meeting, text=f"Keputusan {i}", agenda_item=item,
            owner_unit=units["a"], due_date=today() + timedelta(days=3),
        )  # fmt: skip


def test_query_counts_constant(cycle, make_meeting, role_users, units, client_for,
                               django_assert_max_num_queries):  # fmt: skip
    staff = role_users["staff"]
    client = client_for(staff)
    first = make_meeting(cycle)
    _grow(first, staff, units, 1)
    client.get("/meetings/")
    with django_assert_max_num_queries(50) as small_list:
        assert client.get("/meetings/").status_code == 200
    with django_assert_max_num_queries(50) as small_detail:
        assert client.get(_url(first)).status_code == 200
    for n in range(5):
        _grow(make_meeting(cycle, title=f"R{n}"), staff, units, 2)
    _grow(first, staff, units, 8)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get("/meetings/").status_code == 200
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        assert client.get(_url(first)).status_code == 200
