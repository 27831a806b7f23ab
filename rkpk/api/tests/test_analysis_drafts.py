"""API of the strategic goals and the analysis draft."""

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook

from rkpk.core.calendar import today
from rkpk.organisation.models import Role
from rkpk.procedure import services as procedure
from rkpk.procedure.models import CycleStep

API = "/api/v1"
pytestmark = [pytest.mark.django_db]
YEAR = 2027


def _xlsx(rows) -> bytes:
    wb = Workbook()
    wb.active.append(
        [
            "periode",
            "kode sasaran",
            "sasaran",
            "kode indikator",
            "indikator",
            "satuan",
            "agregasi",
            "tahun",
            "target",
        ]
    )
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def imported(role_users, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _xlsx(
        [
            [
                "2025-2029",
                "SS-01",
                "Sasaran satu",
                "IKU-1",
                "Indeks",
                "indeks",
                "average",
                2027,
                3.5,
            ],
            ["2025-2029", "SS-02", "Sasaran dua"],
        ]
    )
    response = api_as(role_users["admin"]).post(
        f"{API}/analysis/goals/import", {"file": SimpleUploadedFile("s.xlsx", data)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["ok"]
    return response


def test_goals_crud_and_import(role_users, api_as, imported):
    admin, staff = api_as(role_users["admin"]), api_as(role_users["staff"])
    period = admin.get(f"{API}/analysis/periods").json()[0]
    goals = admin.get(f"{API}/analysis/periods/{period['id']}/goals").json()
    assert [g["code"] for g in goals] == ["SS-01", "SS-02"]
    assert goals[0]["indicators"][0]["targets"][0]["year"] == 2027
    created = admin.post(
        f"{API}/analysis/periods/{period['id']}/goals",
        {"code": "SS-03", "text": "Tiga"},
        content_type="application/json",
    )
    assert created.status_code == 201
    refused = staff.post(
        f"{API}/analysis/periods/{period['id']}/goals",
        {"code": "SS-04", "text": "Empat"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    ind = goals[0]["indicators"][0]["id"]
    out = admin.put(
        f"{API}/analysis/indicators/{ind}/targets/2030",
        {"value": 1},
        content_type="application/json",
    )
    assert out.status_code == 422  # outside the period
    bad = admin.post(
        f"{API}/analysis/goals/import",
        {"file": io.BytesIO(_xlsx([["2025-2029", "", "Tanpa kode"]]))},
    )
    assert bad.status_code in (200, 422)


@pytest.fixture
def cycle_at_step_5(make_user):
    everyone = make_user("all_roles", *[r for r in Role if r not in ("unit_operator", "unit_head")])
    cycle = procedure.start_cycle(
        actor=everyone, year=YEAR, start_date=today() - timedelta(days=60)
    )
    for number in range(1, 5):
        step = CycleStep.objects.get(cycle=cycle, number=number)
        procedure.advance(actor=everyone, step=step, action="start")
        procedure.advance(actor=everyone, step=step, action="complete")
    return cycle


def test_draft_review_flow_conflict_and_step_5(role_users, api_as, imported, cycle_at_step_5):
    staff, section_head = api_as(role_users["staff"]), api_as(role_users["head_of_section"])
    head, unit = api_as(role_users["head_of_bureau"]), api_as(role_users["unit_operator"])
    assert unit.post(f"{API}/analysis/drafts/{YEAR}").status_code == 403
    draft = staff.post(f"{API}/analysis/drafts/{YEAR}").json()
    assert [s["key"] for s in draft["sections"]][2:4] == ["sasaran-ss-01", "sasaran-ss-02"]
    assert unit.get(f"{API}/analysis/drafts/{YEAR}").status_code == 403
    url = f"{API}/analysis/drafts/{YEAR}/sections/kesimpulan"
    first = staff.put(url, {"revision": 1, "text": "Analis A"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["revision"] == 2
    second = section_head.put(
        url, {"revision": 1, "text": "Analis B"}, content_type="application/json"
    )
    assert second.status_code == 409
    assert staff.get(f"{API}/analysis/drafts/{YEAR}").json()["sections"][-1]["text"] == "Analis A"
    assert staff.post(f"{API}/analysis/drafts/{YEAR}/submit").json()["status"] == "submitted"
    assert staff.post(f"{API}/analysis/drafts/{YEAR}/approve").status_code == 403
    note = head.post(
        f"{API}/analysis/drafts/{YEAR}/comments",
        {"section_key": "kesimpulan", "text": "Perjelas"},
        content_type="application/json",
    )
    assert note.status_code == 201
    returned = head.post(
        f"{API}/analysis/drafts/{YEAR}/return",
        {"reason": "Revisi"},
        content_type="application/json",
    )
    assert returned.json()["status"] == "returned"
    staff.put(url, {"revision": 2, "text": "Analis A, diperbaiki"}, content_type="application/json")
    staff.post(f"{API}/analysis/drafts/{YEAR}/submit")
    approved = head.post(f"{API}/analysis/drafts/{YEAR}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert CycleStep.objects.get(cycle=cycle_at_step_5, number=5).status == "done"
    versions = staff.get(f"{API}/analysis/drafts/{YEAR}/versions").json()
    assert [v["decision"] for v in versions] == ["returned", "approved"]
    assert versions[0]["comments"][0]["text"] == "Perjelas"
    diff = staff.get(f"{API}/analysis/drafts/{YEAR}/compare?a=1&b=2").json()
    changed = next(d for d in diff if d["key"] == "kesimpulan")
    assert changed["status"] == "changed"
    assert {"op": "insert", "text": "A, diperbaiki"} in changed["segments"]
