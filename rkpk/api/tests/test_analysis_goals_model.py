"""API of the whole strategic-goal model: polarity, perspective, responsible units and
targets as numbers, ranges or qualitative values; export and import keep all of it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import MinistryIndicator, MinistryTarget
from rkpk.core.models import AuditEvent

API = "/api/v1"
pytestmark = [pytest.mark.django_db]
JSON = "application/json"


@pytest.fixture
def goal(role_users):
    admin = role_users["admin"]
    period = analysis_services.create_period(
        actor=admin, name="Renstra", start_year=2025, end_year=2029
    )
    return analysis_services.create_goal(actor=admin, period=period, code="SS-01", text="Sasaran")


def test_indicator_with_polarity_units_and_targets(role_users, api_as, goal, units):
    admin = api_as(role_users["admin"])
    response = admin.post(
        f"{API}/analysis/goals/{goal.pk}/indicators",
        {
            "code": "IKU-1",
            "name": "Deviasi anggaran",
            "measure": "Persen",
            "aggregation": "average",
            "polarity": "rentang",
            "perspective": "Proses Internal",
            "responsible_unit_codes": ["E1.A"],
            "responsible_unit_ids": [units["b"].pk],
            "targets": [
                {"year": 2026, "min_value": "-1,0", "max_value": "1,0"},
                {"year": 2027, "min_value": -0.5, "max_value": 0.5},
            ],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    ind = response.json()["indicators"][0]
    assert ind["polarity"] == "range" and ind["perspective"] == "Proses Internal"
    assert sorted(u["code"] for u in ind["responsible_units"]) == ["E1.A", "E1.B"]
    first = ind["targets"][0]
    assert first["kind"] == "range" and float(first["min_value"]) == -1.0
    assert first["display"] == "-1 s.d. 1"
    url = f"{API}/analysis/indicators/{ind['id']}"

    # Refusals name the field; nothing changes.
    cases = [
        ({"targets": [{"year": 2026, "min_value": 2, "max_value": 1}]}, "above the maximum"),
        ({"targets": [{"year": 2026, "value": 5}]}, "minimum and maximum"),
        ({"targets": [{"year": 2026, "text": "Istimewa"}]}, "qualitative target values"),
        ({"polarity": "sideways"}, "Unknown polarity"),
        ({"responsible_unit_codes": ["NOPE"]}, "No unit has the code NOPE"),
        ({"responsible_unit_ids": [999999]}, "No unit has the id 999999"),
        ({"polarity": "qualitative"}, "choose a value from the qualitative list"),
        ({"targets": [{"year": 2026}, {"year": 2026}]}, "given twice"),
        ({"targets": [{"year": 2031, "value": 1}]}, "period"),
    ]
    for change, words in cases:
        body = {"code": "IKU-1", "name": "Deviasi anggaran", **change}
        refused = admin.put(url, body, content_type=JSON)
        assert refused.status_code == 422, (change, refused.content)
        assert words in refused.json()["detail"], (change, refused.json())
    stored = MinistryIndicator.objects.get(pk=ind["id"])
    assert stored.polarity == "range" and stored.responsible_units.count() == 2
    assert MinistryTarget.objects.get(indicator=stored, year=2026).min_value == -1

    # Qualitative: polarity and every target changed together.
    changed = admin.put(
        url,
        {
            "code": "IKU-1",
            "name": "Opini",
            "polarity": "kualitatif",
            "responsible_unit_ids": [],
            "targets": [{"year": 2026, "text": "wtp"}, {"year": 2027, "text": "WTP"}],
        },
        content_type=JSON,
    )
    assert changed.status_code == 200, changed.content
    ind = changed.json()["indicators"][0]
    assert ind["polarity"] == "qualitative" and ind["responsible_units"] == []
    assert [(t["kind"], t["text"]) for t in ind["targets"]] == [("qualitative", "WTP")] * 2
    # One year by itself; then the lower-is-better indicator.
    one = admin.put(f"{url}/targets/2028", {"text": "WTP", "manual_value": "1"}, content_type=JSON)
    assert one.status_code == 200 and one.json()["indicators"][0]["targets"][2]["manual_value"]
    assert AuditEvent.objects.filter(action="ministry_indicator.updated").exists()
    staff = api_as(role_users["staff"])
    assert staff.put(url, {"code": "X", "name": "Y"}, content_type=JSON).status_code == 403


def test_export_and_import_round_trip_through_the_api(role_users, api_as, units):
    admin = api_as(role_users["admin"])
    wb = Workbook()
    wb.active.append(
        ["periode", "kode sasaran", "sasaran", "kode indikator", "indikator", "polaritas",
         "perspektif", "unit penanggung jawab", "tahun", "target", "catatan"]
    )  # fmt: skip
    wb.active.append(
        ["2025-2029", "SS-01", "Satu", "IKU-1", "Waktu", "lebih rendah lebih baik",
         "Pelanggan", "E1.A", 2026, "14", "x"]
    )  # fmt: skip
    wb.active.append(
        ["2025-2029", "SS-01", "Satu", "IKU-2", "Deviasi", "range", "", "E1.B; E1", 2026,
         "-1,0 - 1,0", ""]
    )  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    result = admin.post(
        f"{API}/analysis/goals/import", {"file": SimpleUploadedFile("g.xlsx", out.getvalue())}
    ).json()
    assert result["ok"], result
    assert result["ignored_columns"] == ["K (catatan)"]
    period = admin.get(f"{API}/analysis/periods").json()[0]
    before = admin.get(f"{API}/analysis/periods/{period['id']}/goals").json()
    exported = admin.get(f"{API}/analysis/periods/{period['id']}/goals.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][7:12] == ("rentang", None, "E1, E1.B", 2026, "-1 s.d. 1")
    MinistryIndicator.objects.all().delete()
    again = admin.post(
        f"{API}/analysis/goals/import", {"file": SimpleUploadedFile("g.xlsx", exported.content)}
    ).json()
    assert again["ok"] and again["ignored_columns"] == []

    def strip(goals):
        for g in goals:
            for i in g["indicators"]:
                i.pop("id")
                for u in i["responsible_units"]:
                    u.pop("name")
        return goals

    assert strip(admin.get(f"{API}/analysis/periods/{period['id']}/goals").json()) == strip(before)
    bad = io.BytesIO()
    wb.active.append(
        ["2025-2029", "SS-01", "Satu", "IKU-3", "X", "naik turun", "", "ZZ", 2026, "1"]
    )
    wb.save(bad)
    refused = admin.post(
        f"{API}/analysis/goals/import", {"file": SimpleUploadedFile("g.xlsx", bad.getvalue())}
    ).json()
    assert not refused["ok"]
    assert {(e["row"], e["column"][0]) for e in refused["errors"]} == {(4, "F"), (4, "H")}
