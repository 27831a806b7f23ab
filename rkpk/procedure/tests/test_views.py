from datetime import date

import pytest
from django.urls import reverse

from rkpk.core.models import AuditEvent
from rkpk.core.tests.role_matrix import row
from rkpk.procedure import services
from rkpk.procedure.models import CycleStep, ServiceStandard

pytestmark = pytest.mark.django_db
START = date(2026, 1, 5)


@pytest.fixture
def cycle(role_users):
    return services.start_cycle(actor=role_users["staff"], year=2027, start_date=START)


def test_every_role_sees_the_cycle_page_with_its_timeline(cycle, role_matrix):
    def has_the_timeline(code, response):
        body = response.content.decode()
        assert "<svg" in body and 'class="today"' in body
        assert body.count('class="planned"') == 13

    page = row(
        "procedure:cycle_detail", 2027, other=200, refused=["nobody"], inspect=has_the_timeline
    )
    role_matrix([page])


def test_late_steps_are_red_on_the_timeline(cycle, role_users, client_for):
    staff = role_users["staff"]
    step1 = CycleStep.objects.get(cycle=cycle, number=1)
    services.advance(actor=staff, step=step1, action="start", on_date=START)
    body = client_for(staff).get(reverse("procedure:cycle_detail", args=[2027])).content.decode()
    # Started long ago and still running: late, drawn with the "late" class, row marked.
    assert 'class="late"' in body
    assert 'id="step-1" class="table-danger"' in body


def test_staff_starts_a_step_from_the_page(cycle, role_users, client_for):
    url = reverse("procedure:step_action", args=[2027, 1])
    response = client_for(role_users["staff"]).post(url, {"action": "start"}, follow=True)
    assert response.status_code == 200
    assert CycleStep.objects.get(cycle=cycle, number=1).status == "in_progress"
    assert AuditEvent.objects.filter(action="cycle_step.start").count() == 1


def test_a_unit_operator_cannot_move_the_cycle(cycle, role_users, client_for):
    url = reverse("procedure:step_action", args=[2027, 1])
    response = client_for(role_users["unit_operator"]).post(url, {"action": "start"}, follow=True)
    assert CycleStep.objects.get(cycle=cycle, number=1).status == "not_started"
    assert "is the work of" in response.content.decode()


def test_action_buttons_only_for_responsible_roles(cycle, role_users, client_for):
    url = reverse("procedure:cycle_detail", args=[2027])
    start_button = 'value="start"'
    assert start_button in client_for(role_users["staff"]).get(url).content.decode()
    assert start_button not in client_for(role_users["unit_operator"]).get(url).content.decode()


def test_cycle_create_page(role_users, client_for):
    url = reverse("procedure:cycle_create")
    assert client_for(role_users["unit_operator"]).get(url).status_code == 403
    client = client_for(role_users["head_of_bureau"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2028, "start_date": "2026-01-05", "name": ""})
    assert response.status_code == 302
    response = client.post(url, {"year": 2028, "start_date": "2026-01-05", "name": ""})
    assert "already exists" in response.content.decode()


def test_admin_edits_the_standard_as_a_new_version(role_users, client_for):
    url = reverse("procedure:standard_edit")
    assert client_for(role_users["staff"]).get(url).status_code == 403
    client = client_for(role_users["admin"])
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {"name": "Standar baru", "notes": "Tahap 3 menjadi 12 hari"}
    data.update({f"form-{key}": value for key, value in formset.management_form.initial.items()})
    for index, form in enumerate(formset.forms):
        prefix = f"form-{index}-"
        if not form.instance.pk:
            continue
        step = form.instance
        data.update(
            {
                prefix + "id": step.pk,
                prefix + "title_id": step.title_id,
                prefix + "title_en": step.title_en,
                prefix + "standard_days": 12 if step.number == 3 else (step.standard_days or ""),
                prefix + "responsible_roles": step.responsible_roles,
                prefix + "activities": "\n".join(step.activities),
                prefix + "done_when": step.done_when,
            }
        )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = ServiceStandard.objects.order_by("-version").first()
    assert latest.version == 2
    assert latest.steps.get(number=3).standard_days == 12
    assert latest.steps.count() == 13
    assert ServiceStandard.objects.get(version=1).steps.get(number=3).standard_days == 15


def test_standard_page_for_every_role(role_matrix):
    role_matrix([row("procedure:standard_detail", other=200, refused=["nobody"])])


def test_cycle_page_queries_do_not_grow_with_history(
    cycle, make_user, client_for, django_assert_max_num_queries
):
    everyone = make_user("all", "staff", "head_of_bureau", "head_of_section", "deputy")
    client = client_for(everyone)
    url = reverse("procedure:cycle_detail", args=[2027])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    for n in range(1, 8):
        step = CycleStep.objects.get(cycle=cycle, number=n)
        services.advance(actor=everyone, step=step, action="start", on_date=START)
        services.advance(actor=everyone, step=step, action="complete", on_date=START)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
