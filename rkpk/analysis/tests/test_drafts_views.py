"""Pages of the analysis draft."""

import pytest

from rkpk.analysis import services_drafts
from rkpk.analysis.models import AnalysisDraft, RenstraPeriod, StrategicGoal

pytestmark = [pytest.mark.django_db]
YEAR = 2027


@pytest.fixture
def goal():
    period = RenstraPeriod.objects.create(name="Renstra", start_year=2025, end_year=2029)
    return StrategicGoal.objects.create(period=period, code="SS-01", text="Sasaran", sort_order=1)


def test_roles_see_what_they_may(role_users, client_for, goal):
    url = f"/analysis/drafts/{YEAR}/"
    assert client_for(role_users["unit_operator"]).get(url).status_code == 403
    assert client_for(role_users["minister"]).get(url).status_code == 200
    response = client_for(role_users["minister"]).post(f"/analysis/drafts/{YEAR}/refresh/")
    assert response.status_code == 403
    response = client_for(role_users["staff"]).post(f"/analysis/drafts/{YEAR}/refresh/")
    assert response.status_code == 302
    page = client_for(role_users["staff"]).get(url)
    assert page.context["editable"] and len(page.context["sections"]) == 4


def test_stale_save_keeps_the_users_text(role_users, client_for, goal):
    draft = services_drafts.create_or_refresh_draft(actor=role_users["staff"], year=YEAR)
    section = draft.sections.get(key="kesimpulan")
    services_drafts.update_section(
        actor=role_users["staff"], section=section, revision=1, text="Pertama"
    )
    response = client_for(role_users["head_of_section"]).post(
        f"/analysis/drafts/sections/{section.pk}/", {"revision": 1, "text": "Teks saya"}
    )
    assert response.status_code == 409
    assert "Teks saya" in response.content.decode()
    section.refresh_from_db()
    assert section.text == "Pertama"


def test_submit_review_and_compare_pages(role_users, client_for, goal):
    staff, head = role_users["staff"], role_users["head_of_bureau"]
    draft = services_drafts.create_or_refresh_draft(actor=staff, year=YEAR)
    assert client_for(staff).post(f"/analysis/drafts/{YEAR}/submit/").status_code == 302
    assert (
        client_for(staff)
        .post(f"/analysis/drafts/{YEAR}/review/", {"action": "approve"})
        .status_code
        == 403
    )
    client = client_for(head)
    assert client.get(f"/analysis/drafts/{YEAR}/").context["can_review"]
    client.post(
        f"/analysis/drafts/{YEAR}/review/",
        {"action": "comment", "section_key": "kesimpulan", "text": "Tambahkan."},
    )
    client.post(f"/analysis/drafts/{YEAR}/review/", {"action": "return", "reason": "Lengkapi."})
    draft.refresh_from_db()
    assert draft.status == AnalysisDraft.Status.RETURNED
    section = draft.sections.get(key="kesimpulan")
    client_for(staff).post(
        f"/analysis/drafts/sections/{section.pk}/",
        {"revision": section.revision, "text": "Kesimpulan baru"},
    )
    client_for(staff).post(f"/analysis/drafts/{YEAR}/submit/")
    client_for(head).post(f"/analysis/drafts/{YEAR}/review/", {"action": "approve"})
    draft.refresh_from_db()
    assert draft.status == AnalysisDraft.Status.APPROVED
    page = client_for(head).get(f"/analysis/drafts/{YEAR}/compare/")
    assert page.status_code == 200
    assert "<ins" in page.content.decode()
