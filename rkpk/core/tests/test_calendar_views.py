from datetime import date

import pytest
from django.urls import reverse

from rkpk.core.calendar import WorkingCalendar
from rkpk.core.models import AuditEvent, CalendarOverride
from rkpk.core.tests.role_matrix import row

pytestmark = pytest.mark.django_db


def test_calendar_page_shows_the_year_with_holiday_names(role_users, client_for, role_matrix):
    url = reverse("core:calendar")
    role_matrix([row("core:calendar", data={"year": 2027}, other=200, exact={"nobody": 403})])
    body = client_for(role_users["staff"]).get(url, {"year": 2027}).content.decode()
    assert "Hari Kemerdekaan Republik Indonesia" in body
    assert "Cuti Bersama Hari Raya Idul Fitri" in body
    assert 'class="off" title="Hari Kemerdekaan Republik Indonesia"' in body


def test_only_the_admin_changes_the_calendar(role_users, client_for):
    url = reverse("core:calendar_override_create")
    data = {"date": "2027-02-01", "kind": "closed", "reason": "Keppres libur nasional"}
    for code in ("staff", "head_of_bureau", "unit_operator", "viewer"):
        assert client_for(role_users[code]).post(url, data).status_code == 403
    assert not CalendarOverride.objects.exists()
    response = client_for(role_users["admin"]).post(url, data)
    assert response.status_code == 302
    assert not WorkingCalendar().is_working_day(date(2027, 2, 1))
    body = client_for(role_users["staff"]).get(reverse("core:calendar"), {"year": 2027})
    assert "Keppres libur nasional" in body.content.decode()


def test_override_form_errors_are_explained_and_nothing_saved(role_users, client_for):
    client = client_for(role_users["admin"])
    response = client.post(
        reverse("core:calendar_override_create"),
        {"date": "31-31-2027", "kind": "closed", "reason": ""},
        follow=True,
    )
    assert not CalendarOverride.objects.exists()
    text = response.content.decode()
    assert "not saved" in text or "tidak disimpan" in text


def test_removing_an_override_is_audited(role_users, client_for):
    client = client_for(role_users["admin"])
    client.post(
        reverse("core:calendar_override_create"),
        {"date": "2027-03-08", "kind": "open", "reason": "Nyepi digeser"},
    )
    override = CalendarOverride.objects.get()
    assert WorkingCalendar().is_working_day(date(2027, 3, 8))
    delete = reverse("core:calendar_override_delete", args=[override.pk])
    assert client_for(role_users["staff"]).post(delete).status_code == 403
    assert CalendarOverride.objects.exists()
    client_for(role_users["admin"]).post(delete)
    assert not CalendarOverride.objects.exists()
    assert not WorkingCalendar().is_working_day(date(2027, 3, 8))
    event = AuditEvent.objects.get(action="calendar.override_removed")
    assert event.before["reason"] == "Nyepi digeser"
