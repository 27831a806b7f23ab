"""The goal import API reports each value not on the lists once, with its cells; the bureau
adds them with /lists/add-unknown and the same file imports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rkpk.analysis.models import MinistryTarget
from rkpk.plans.models import MeasureUnit, QualitativeValue

API = "/api/v1"
JSON = "application/json"
pytestmark = [pytest.mark.django_db]


def workbook() -> bytes:
    wb = Workbook()
    wb.active.title = "sasaran"
    wb.active.append(["periode", "kode sasaran", "sasaran", "kode indikator", "indikator"])
    wb.active["F1"], wb.active["G1"], wb.active["H1"], wb.active["I1"] = (
        "satuan",
        "polaritas",
        "tahun",
        "target",
    )
    for year in (2026, 2027, 2028):
        wb.active.append(
            [
                "2025-2029",
                "SS-1",
                "Sasaran",
                "IKU-1",
                "Indikator",
                "Ekor",
                "kualitatif",
                year,
                "Memuaskan",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(client):
    upload = SimpleUploadedFile("goals.xlsx", workbook())
    return client.post(f"{API}/analysis/goals/import", {"file": upload})


def test_import_answers_the_grouping_and_adding_lets_it_import(role_users, api_as):
    admin = api_as(role_users["admin"])
    response = _import(admin)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is False and body["targets"] == 0
    groups = {(g["list"], g["value"]): g for g in body["unknown_values"]}
    assert set(groups) == {("measure-units", "Ekor"), ("qualitative-values", "Memuaskan")}
    qualitative = groups[("qualitative-values", "Memuaskan")]
    assert qualitative["count"] == 3 and qualitative["inactive"] is False
    assert [(c["sheet"], c["row"], c["column"], c["header"]) for c in qualitative["cells"]] == [
        ("sasaran", row, "I", "target") for row in (2, 3, 4)
    ]
    assert qualitative["where"] == "sasaran column I (target) rows 2–4"
    assert len(body["errors"]) == 2  # one per value, not one per row

    # A unit operator may not add to the lists.
    payload = {
        "values": [{"list": g["list"], "value": g["value"]} for g in body["unknown_values"]],
        "source": "goals.xlsx",
    }
    operator = api_as(role_users["unit_operator"])
    refused = operator.post(f"{API}/lists/add-unknown", payload, content_type=JSON)
    assert refused.status_code == 403
    assert not MeasureUnit.objects.filter(name="Ekor").exists()

    staff = api_as(role_users["staff"])
    added = staff.post(f"{API}/lists/add-unknown", payload, content_type=JSON)
    assert added.status_code == 200, added.content
    assert QualitativeValue.objects.filter(value="Memuaskan").exists()

    again = _import(admin).json()
    assert again["ok"] is True and again["targets"] == 3 and again["unknown_values"] == []
    assert MinistryTarget.objects.filter(text="Memuaskan").count() == 3
