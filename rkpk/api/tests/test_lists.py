"""The reference lists through the API: reads for every role, changes for the bureau and the
admin only, bad input answered 422 with the field, never 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rkpk.api.tests.conftest import API
from rkpk.core.models import AuditEvent
from rkpk.plans.models import Indicator, MeasureUnit, QualitativeValue, ReturnReason
from rkpk.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db

MANAGERS = {"staff", "head_of_section", "head_of_bureau", "admin"}
JSON = "application/json"


def test_reads_for_every_role_and_refusals(role_users, api_as):
    for code, user in role_users.items():
        client = api_as(user)
        expected = 403 if code == "nobody" else 200
        assert client.get(f"{API}/lists").status_code == expected, code
        response = client.get(f"{API}/lists/measure-units/values", {"q": "pers"})
        assert response.status_code == expected, code
        if expected == 200:
            assert [v["value"] for v in response.json()["items"]] == ["Persen"]
        allowed = code in MANAGERS
        created = client.post(
            f"{API}/lists/measure-units/values", {"value": f"Ekor {code}"}, content_type=JSON
        )
        assert created.status_code == (201 if allowed else 403), code
    assert api_as(None).get(f"{API}/lists").status_code == 401
    assert api_as(role_users["staff"]).get(f"{API}/lists/colours/values").status_code == 404


def test_create_rename_deactivate_merge_move(units, role_users, api_as):
    client = api_as(role_users["head_of_section"])
    plan = complete_plan(units["a"])
    Indicator.objects.filter(plan=plan).update(measure="Berkas")
    made = client.post(f"{API}/lists/measure-units/values", {"value": "Ekor"}, content_type=JSON)
    assert made.status_code == 201 and made.json()["is_active"]
    value_id = made.json()["id"]
    renamed = client.post(
        f"{API}/lists/measure-units/values/{value_id}/rename",
        {"value": "Ekor sapi"},
        content_type=JSON,
    )
    assert renamed.json()["value"] == "Ekor sapi"
    off = client.post(f"{API}/lists/measure-units/values/{value_id}/deactivate")
    assert off.status_code == 200 and off.json()["is_active"] is False
    on = client.post(f"{API}/lists/measure-units/values/{value_id}/reactivate")
    assert on.json()["is_active"] is True
    source = MeasureUnit.objects.get(name="Berkas")
    merged = client.post(
        f"{API}/lists/measure-units/values/{source.pk}/merge",
        {"target_id": value_id},
        content_type=JSON,
    )
    assert merged.status_code == 200, merged.json()
    assert merged.json()["rewritten_rows"] == Indicator.objects.filter(plan=plan).count()
    assert set(Indicator.objects.filter(plan=plan).values_list("measure", flat=True)) == {
        "Ekor sapi"
    }
    first = QualitativeValue.objects.order_by("sort_order").first()
    moved = client.post(
        f"{API}/lists/qualitative-values/values/{first.pk}/move",
        {"direction": "down"},
        content_type=JSON,
    )
    assert [v["id"] for v in moved.json()][1] == first.pk
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "plans.list_value_added",
        "plans.list_value_renamed",
        "plans.list_value_deactivated",
        "plans.list_value_reactivated",
        "plans.list_value_merged",
        "plans.list_value_moved",
    } <= actions


def test_changes_refused_to_units_and_readers(role_users, api_as):
    value = MeasureUnit.objects.get(name="Kali")
    other = MeasureUnit.objects.get(name="Hari")
    for code in ("unit_operator", "unit_head", "viewer", "deputy", "minister", "general_bureau"):
        client = api_as(role_users[code])
        base = f"{API}/lists/measure-units/values/{value.pk}"
        assert client.post(f"{base}/deactivate").status_code == 403, code
        assert client.post(f"{base}/rename", {"value": "x"}, content_type=JSON).status_code == 403
        merge = client.post(f"{base}/merge", {"target_id": other.pk}, content_type=JSON)
        assert merge.status_code == 403
        unknown = client.post(
            f"{API}/lists/add-unknown",
            {"values": [{"list": "measure-units", "value": "Ekor"}]},
            content_type=JSON,
        )
        assert unknown.status_code == 403, code
    assert MeasureUnit.objects.get(pk=value.pk).is_active
    assert not MeasureUnit.objects.filter(name="Ekor").exists()


def test_bad_input_is_422_with_field_errors(role_users, api_as):
    client = api_as(role_users["staff"])
    duplicate = client.post(
        f"{API}/lists/measure-units/values", {"value": "persen"}, content_type=JSON
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["field"] == "value"
    blank = client.post(f"{API}/lists/measure-units/values", {"value": "  "}, content_type=JSON)
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "value"
    missing = client.post(f"{API}/lists/measure-units/values", {}, content_type=JSON)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "value"
    reason = client.post(f"{API}/lists/return-reasons/values", {"value": "NEW"}, content_type=JSON)
    assert reason.status_code == 422 and reason.json()["errors"][0]["field"] == "text_id"
    kali = MeasureUnit.objects.get(name="Kali")
    itself = client.post(
        f"{API}/lists/measure-units/values/{kali.pk}/merge",
        {"target_id": kali.pk},
        content_type=JSON,
    )
    assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "target"
    move = client.post(
        f"{API}/lists/measure-units/values/{kali.pk}/move", {"direction": "left"}, content_type=JSON
    )
    assert move.status_code == 422 and move.json()["errors"][0]["field"] == "direction"
    wrong_list = client.post(
        f"{API}/lists/add-unknown",
        {"values": [{"list": "return-reasons", "value": "X"}]},
        content_type=JSON,
    )
    assert wrong_list.status_code == 422
    assert client.post(f"{API}/lists/measure-units/values/99999/deactivate").status_code == 404


def test_return_reason_texts_and_code(role_users, api_as):
    client = api_as(role_users["admin"])
    made = client.post(
        f"{API}/lists/return-reasons/values",
        {"value": "late report", "text_id": "Terlambat", "text_en": "Late"},
        content_type=JSON,
    )
    assert made.status_code == 201 and made.json()["value"] == "LATE_REPORT"
    reason = ReturnReason.objects.get(code="LATE_REPORT")
    renamed = client.post(
        f"{API}/lists/return-reasons/values/{reason.pk}/rename",
        {"text_id": "Laporan terlambat", "text_en": "Late report"},
        content_type=JSON,
    )
    assert renamed.json()["value"] == "LATE_REPORT"
    assert renamed.json()["text_id"] == "Laporan terlambat"


def test_xlsx_export_and_import(role_users, api_as):
    client = api_as(role_users["staff"])
    export = client.get(f"{API}/lists/measure-units/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["value", "active"])
    sheet.append(["Ekor", "yes"])
    sheet.append(["Kali", "no"])
    sheet.append(["", "maybe"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    refused = client.post(
        f"{API}/lists/measure-units/import",
        {"file": SimpleUploadedFile("m.xlsx", buffer.getvalue())},
    )
    assert refused.status_code == 422
    assert {(e["row"], e["column"][0]) for e in refused.json()["errors"]} == {(4, "A"), (4, "B")}
    assert not MeasureUnit.objects.filter(name="Ekor").exists()
    sheet.delete_rows(4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    done = client.post(
        f"{API}/lists/measure-units/import",
        {"file": SimpleUploadedFile("m.xlsx", buffer.getvalue())},
    )
    assert done.status_code == 200 and done.json() == {
        "added": 1,
        "updated": 1,
        "ignored_columns": [],
    }
    assert not MeasureUnit.objects.get(name="Kali").is_active
    operator = api_as(role_users["unit_operator"])
    assert (
        operator.post(
            f"{API}/lists/measure-units/import",
            {"file": SimpleUploadedFile("m.xlsx", buffer.getvalue())},
        ).status_code
        == 403
    )


def test_listing_values_takes_a_fixed_number_of_queries(role_users, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(role_users["viewer"])
    client.get(f"{API}/lists")  # warm the session
    counts = []
    for n in (5, 40):
        MeasureUnit.objects.bulk_create(
            MeasureUnit(name=f"Satuan {n}-{i}", sort_order=200 + i) for i in range(n)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/lists/measure-units/values", {"limit": 500})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6
