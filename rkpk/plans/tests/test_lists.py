"""Reference lists: services (add, rename, deactivate, merge, reorder), who may do what,
the pages, XLSX export and import, and that deactivated values are refused in new entries."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from rkpk.core.models import AuditEvent
from rkpk.core.tests.role_matrix import row
from rkpk.plans import lists, lists_xlsx, services
from rkpk.plans.models import (
    ActivityIndicator,
    Goal,
    Indicator,
    MeasureUnit,
    QualitativeValue,
    ReturnReason,
    Submission,
    TargetKind,
    UnitPlan,
)
from rkpk.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db

MANAGERS = {"staff", "head_of_section", "head_of_bureau", "admin"}
READERS = {
    "admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
    "general_bureau", "viewer", "unit_operator", "unit_head", "operator_b",
}  # fmt: skip
XLSX = lists_xlsx.XLSX_CONTENT_TYPE


def xlsx(rows, title="measure-units") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("list.xlsx", buffer.getvalue(), XLSX)


# --- Rules ------------------------------------------------------------------------------------


def test_rules_for_every_role(role_users):
    for code, user in role_users.items():
        assert user.has_perm("plans.manage_lists") == (code in MANAGERS), code
        assert user.has_perm("plans.view_lists") == (code in READERS), code


def test_services_refuse_units_and_readers(role_users):
    for code in ("unit_operator", "unit_head", "deputy", "viewer", "nobody"):
        with pytest.raises(PermissionDenied):
            lists.create_value(actor=role_users[code], slug=lists.MEASURES, value="Ekor")
        with pytest.raises(PermissionDenied):
            lists.add_unknown_values(actor=role_users[code], entries=[(lists.MEASURES, "Ekor")])
    assert not MeasureUnit.objects.filter(name="Ekor").exists()


# --- Services ---------------------------------------------------------------------------------


def test_create_is_audited_and_refuses_duplicates_and_blanks(role_users):
    staff = role_users["staff"]
    unit = lists.create_value(actor=staff, slug=lists.MEASURES, value="  Ekor  ")
    assert unit.name == "Ekor" and unit.is_active
    event = AuditEvent.objects.get(action="plans.list_value_added", object_id=str(unit.pk))
    assert event.after["name"] == "Ekor" and event.actor == staff
    with pytest.raises(ValidationError) as error:
        lists.create_value(actor=staff, slug=lists.MEASURES, value="ekor")
    assert "value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        lists.create_value(actor=staff, slug=lists.MEASURES, value="   ")
    assert "value" in error.value.message_dict
    with pytest.raises(ValidationError):
        lists.create_value(actor=staff, slug=lists.MEASURES, value="x" * 61)


def test_rename_rewrites_editable_plans_only(units, role_users):
    staff = role_users["staff"]
    editable = complete_plan(units["a"])
    submitted = complete_plan(units["b"])
    UnitPlan.objects.filter(pk=submitted.pk).update(status=UnitPlan.Status.SUBMITTED)
    Indicator.objects.update(measure="Dokumen")
    before_rev = Indicator.objects.filter(plan=editable).values_list("revision", flat=True)[0]
    obj = MeasureUnit.objects.get(name="Dokumen")
    lists.rename_value(actor=staff, slug=lists.MEASURES, obj=obj, value="Dok")
    assert set(Indicator.objects.filter(plan=editable).values_list("measure", flat=True)) == {"Dok"}
    assert set(Indicator.objects.filter(plan=submitted).values_list("measure", flat=True)) == {
        "Dokumen"
    }
    after_rev = Indicator.objects.filter(plan=editable).values_list("revision", flat=True)[0]
    assert after_rev == before_rev + 1
    event = AuditEvent.objects.get(action="plans.list_value_renamed")
    assert event.before["name"] == "Dokumen" and event.after["name"] == "Dok"
    assert event.after["rewritten_rows"] >= 1


def test_deactivate_and_reactivate_are_audited(role_users):
    obj = MeasureUnit.objects.get(name="Kali")
    lists.set_active(actor=role_users["head_of_bureau"], slug=lists.MEASURES, obj=obj, active=False)
    assert not MeasureUnit.objects.get(pk=obj.pk).is_active
    assert "Kali" not in lists.active_names(lists.MEASURES)
    lists.set_active(actor=role_users["admin"], slug=lists.MEASURES, obj=obj, active=True)
    events = AuditEvent.objects.filter(object_id=str(obj.pk)).order_by("seq")
    actions = list(events.values_list("action", flat=True))
    assert actions[-2:] == ["plans.list_value_deactivated", "plans.list_value_reactivated"]


def test_merge_measure_rewrites_editable_plans_and_keeps_referenced_source(units, role_users):
    staff = role_users["staff"]
    editable = complete_plan(units["a"])
    submitted = complete_plan(units["b"])
    UnitPlan.objects.filter(pk=submitted.pk).update(status=UnitPlan.Status.ACCEPTED)
    Indicator.objects.update(measure="Berkas")
    ActivityIndicator.objects.update(measure="Berkas")
    source, target = MeasureUnit.objects.get(name="Berkas"), MeasureUnit.objects.get(name="Dokumen")
    outcome = lists.merge_values(actor=staff, slug=lists.MEASURES, source=source, target=target)
    assert not Indicator.objects.filter(plan=editable, measure="Berkas").exists()
    assert not ActivityIndicator.objects.filter(activity__plan=editable, measure="Berkas").exists()
    assert Indicator.objects.filter(plan=submitted, measure="Berkas").exists()
    # the accepted plan still names it: deactivated, not deleted
    assert outcome["source_deleted"] is False
    assert MeasureUnit.objects.get(pk=source.pk).is_active is False
    event = AuditEvent.objects.get(action="plans.list_value_merged")
    assert event.before["source"]["name"] == "Berkas" and event.after["target"] == "Dokumen"


def test_merge_deletes_an_unused_source_and_refuses_itself(role_users):
    staff = role_users["staff"]
    source, target = MeasureUnit.objects.get(name="Paket"), MeasureUnit.objects.get(name="Unit")
    with pytest.raises(ValidationError):
        lists.merge_values(actor=staff, slug=lists.MEASURES, source=source, target=source)
    outcome = lists.merge_values(actor=staff, slug=lists.MEASURES, source=source, target=target)
    assert outcome["source_deleted"] and not MeasureUnit.objects.filter(name="Paket").exists()


def test_merge_qualitative_rewrites_target_text(units, role_users):
    plan = complete_plan(units["a"])
    Indicator.objects.filter(plan=plan).update(target_kind=TargetKind.QUALITATIVE, target_text="B")
    source, target = (
        QualitativeValue.objects.get(value="B"),
        QualitativeValue.objects.get(value="BB"),
    )
    lists.merge_values(
        actor=role_users["staff"], slug=lists.QUALITATIVE, source=source, target=target
    )
    assert set(Indicator.objects.filter(plan=plan).values_list("target_text", flat=True)) == {"BB"}


def test_merge_return_reason_keeps_codes_of_decisions_valid(units, role_users):
    plan = complete_plan(units["a"])
    Submission.objects.create(
        plan=plan,
        number=1,
        snapshot={},
        submitted_by=role_users["unit_operator"],
        submitted_at=timezone.now(),
        reasons=["FORM"],
    )
    source, target = ReturnReason.objects.get(code="FORM"), ReturnReason.objects.get(code="OTHER")
    outcome = lists.merge_values(
        actor=role_users["staff"], slug=lists.REASONS, source=source, target=target
    )
    kept = ReturnReason.objects.get(code="FORM")
    assert not kept.is_active and outcome["still_referenced"] == 1
    assert Submission.objects.get(plan=plan).reasons == ["FORM"]


def test_move_reorders_the_qualitative_scale(role_users):
    names = lists.active_names(lists.QUALITATIVE)
    second = QualitativeValue.objects.get(value=names[1])
    lists.move_value(actor=role_users["staff"], slug=lists.QUALITATIVE, obj=second, direction="up")
    assert lists.active_names(lists.QUALITATIVE)[:2] == [names[1], names[0]]
    assert AuditEvent.objects.filter(action="plans.list_value_moved").exists()


def test_return_reason_rename_keeps_code(role_users):
    reason = ReturnReason.objects.get(code="BUDGET")
    lists.rename_value(
        actor=role_users["staff"],
        slug=lists.REASONS,
        obj=reason,
        text_id="Anggaran",
        text_en="Budget",
    )
    reason.refresh_from_db()
    assert (reason.code, reason.text_id, reason.text_en) == ("BUDGET", "Anggaran", "Budget")


# --- New entries refuse deactivated and unknown values ---------------------------------------


def test_editor_refuses_deactivated_measure_but_keeps_existing(units, role_users):
    operator = role_users["unit_operator"]
    plan = complete_plan(units["a"])
    indicator = Indicator.objects.filter(plan=plan).first()
    Indicator.objects.filter(pk=indicator.pk).update(measure="Kali")
    indicator.refresh_from_db()
    lists.set_active(
        actor=None, slug=lists.MEASURES, obj=MeasureUnit.objects.get(name="Kali"), active=False
    )
    # the row keeps it when something else changes
    services.update_row(actor=operator, row=indicator, revision=indicator.revision, name="Renamed")
    indicator.refresh_from_db()
    assert indicator.measure == "Kali"
    # The plan holds it, so a new row of this plan may use it too: the one rule of every path
    # (a workbook of this plan, which cannot tell its rows apart, keeps it as well).
    services.create_row(
        actor=operator, model=Indicator, plan=plan, goal=indicator.goal, name="Also", measure="Kali"
    )
    other = UnitPlan.objects.create(unit=units["a"], year=2028)  # a plan that does not hold it
    Goal.objects.create(plan=other, code="S1", text="Sasaran")
    with pytest.raises(ValidationError) as error:
        services.create_row(
            actor=operator,
            model=Indicator,
            plan=other,
            goal=other.goals.first(),
            name="New",
            measure="Kali",
        )
    assert "deactivated" in error.value.message_dict["measure"][0]
    with pytest.raises(ValidationError) as error:
        services.create_row(
            actor=operator,
            model=Indicator,
            plan=plan,
            goal=indicator.goal,
            name="New",
            measure="Ekor",
        )
    assert "not on the list" in error.value.message_dict["measure"][0]


# --- Pages ------------------------------------------------------------------------------------


def test_pages_for_every_role(role_matrix):
    obj = MeasureUnit.objects.get(name="Kali")
    add_url = reverse("plans:list_value_add", args=[lists.MEASURES])

    def no_change_links_for_readers(code, response):
        if code not in MANAGERS:
            page = response.content.decode()
            assert add_url not in page and "/deactivate/" not in page

    read = {"exact": dict.fromkeys(READERS, 200)}
    manage = {"exact": dict.fromkeys(MANAGERS, 200)}
    role_matrix(
        [
            row("plans:list_index", **read),
            row("plans:list_values", lists.MEASURES, inspect=no_change_links_for_readers, **read),
            row("plans:list_export", lists.MEASURES, **read),
            row("plans:list_value_add", lists.MEASURES, **manage),
            row("plans:list_import", lists.MEASURES, **manage),
            row("plans:list_value_rename", lists.MEASURES, obj.pk, **manage),
            row("plans:list_value_merge", lists.MEASURES, obj.pk, **manage),
            row(
                "plans:list_value_add",
                lists.MEASURES,
                method="post",
                data=lambda code: {"value": f"V{code}"},
                exact=dict.fromkeys(MANAGERS, 302),
            ),
        ]
    )


def test_list_page_search_pagination_and_queries(role_users, client_for):
    for i in range(60):
        MeasureUnit.objects.create(name=f"Satuan {i:02}", sort_order=100 + i)
    client = client_for(role_users["staff"])
    url = reverse("plans:list_values", args=[lists.MEASURES])
    response = client.get(url, {"q": "satuan 0"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 10
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url, {"page": 2}).status_code == 200
    assert len(first) == len(second) <= 12


def test_deactivate_and_merge_ask_for_confirmation(role_users, client_for):
    client = client_for(role_users["staff"])
    obj = MeasureUnit.objects.get(name="Kali")
    url = reverse("plans:list_value_activation", args=[lists.MEASURES, obj.pk, "deactivate"])
    assert "Deactivate “Kali”?" in client.get(url).content.decode()
    assert MeasureUnit.objects.get(pk=obj.pk).is_active
    client.post(url)
    assert not MeasureUnit.objects.get(pk=obj.pk).is_active

    source, target = MeasureUnit.objects.get(name="Hari"), MeasureUnit.objects.get(name="Unit")
    merge = reverse("plans:list_value_merge", args=[lists.MEASURES, source.pk])
    page = client.post(merge, {"target": target.pk}).content.decode()  # no confirm: asks
    assert "Merge “Hari” into “Unit”?" in page
    assert MeasureUnit.objects.filter(name="Hari").exists()
    client.post(merge, {"target": target.pk, "confirm": "1"})
    assert not MeasureUnit.objects.filter(name="Hari").exists()


def test_add_page_shows_errors(role_users, client_for):
    client = client_for(role_users["staff"])
    response = client.post(
        reverse("plans:list_value_add", args=[lists.MEASURES]), {"value": "persen"}
    )
    assert response.status_code == 200
    assert "already on the list" in response.content.decode()


# --- XLSX -------------------------------------------------------------------------------------


def test_export_then_import_round_trip(role_users, client_for):
    client = client_for(role_users["staff"])
    data = client.get(reverse("plans:list_export", args=[lists.QUALITATIVE])).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["value", "order", "active"]
    assert isinstance(sheet["B2"].value, int)
    sheet.append(["Memuaskan", 99, "yes"])
    sheet["C2"] = "no"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    upload = SimpleUploadedFile("q.xlsx", buffer.getvalue(), XLSX)
    response = client.post(reverse("plans:list_import", args=[lists.QUALITATIVE]), {"file": upload})
    assert response.status_code == 302
    assert QualitativeValue.objects.get(value="Memuaskan").sort_order == 99
    first = sheet["A2"].value
    assert not QualitativeValue.objects.get(value=first).is_active


def test_import_is_all_or_nothing_with_row_and_column(role_users):
    upload = xlsx(
        [
            ["value", "active", "colour"],
            ["Ekor", "yes", "red"],
            ["", "yes", ""],
            ["Ekor", "maybe", ""],
        ]
    )
    result = lists_xlsx.import_list(actor=role_users["staff"], slug=lists.MEASURES, upload=upload)
    assert not result.ok
    where = {(e.row, e.column.split(" ")[0]) for e in result.errors}
    assert (3, "A") in where and (4, "A") in where and (4, "B") in where
    assert result.ignored_columns == ["C (colour)"]
    assert all(e.sheet == "measure-units" for e in result.errors)
    assert not MeasureUnit.objects.filter(name="Ekor").exists()


def test_import_refuses_units_and_bad_files(role_users):
    with pytest.raises(PermissionDenied):
        lists_xlsx.import_list(
            actor=role_users["unit_operator"], slug=lists.MEASURES, upload=xlsx([["value"], ["X"]])
        )
    bad = SimpleUploadedFile("list.xlsx", b"not a workbook", XLSX)
    result = lists_xlsx.import_list(actor=role_users["staff"], slug=lists.MEASURES, upload=bad)
    assert not result.ok and "Excel" in result.errors[0].message
    missing = lists_xlsx.import_list(
        actor=role_users["staff"], slug=lists.REASONS, upload=xlsx([["code"], ["X"]], "x")
    )
    assert "text_id" in missing.errors[0].message


def test_rename_and_merge_follow_in_the_ministry_indicators(role_users):
    from rkpk.analysis.models import MinistryIndicator, MinistryTarget
    from rkpk.analysis.tests.compilation_factories import period_with_goals

    period_with_goals(goals=1)
    MinistryTarget.objects.update(value=None, text="B")
    staff = role_users["staff"]
    persen = MeasureUnit.objects.get(name="Persen")
    lists.rename_value(actor=staff, slug=lists.MEASURES, obj=persen, value="Persentase")
    assert MinistryIndicator.objects.get().measure == "Persentase"
    source, target = (
        QualitativeValue.objects.get(value="B"),
        QualitativeValue.objects.get(value="BB"),
    )
    lists.merge_values(actor=staff, slug=lists.QUALITATIVE, source=source, target=target)
    assert MinistryTarget.objects.get().text == "BB"


def test_import_page_shows_sheet_row_and_column(role_users, client_for):
    client = client_for(role_users["admin"])
    response = client.post(
        reverse("plans:list_import", args=[lists.MEASURES]),
        {"file": xlsx([["value", "order"], ["Ekor", "pertama"]])},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page and "measure-units" in page and "B (order)" in page
    assert not MeasureUnit.objects.filter(name="Ekor").exists()


@pytest.mark.parametrize("slug", list(lists.KINDS))
def test_every_list_page_renders(slug, role_users, client_for):
    client = client_for(role_users["staff"])
    kind = lists.KINDS[slug]
    obj = kind.model.objects.order_by("sort_order").first()
    assert client.get(reverse("plans:list_values", args=[slug])).status_code == 200
    for name, args in (
        ("list_value_rename", [slug, obj.pk]),
        ("list_value_merge", [slug, obj.pk]),
        ("list_value_activation", [slug, obj.pk, "deactivate"]),
        ("list_import", [slug]),
        ("list_export", [slug]),
    ):
        assert client.get(reverse(f"plans:{name}", args=args)).status_code == 200, name
    bad = reverse("plans:list_value_activation", args=[slug, obj.pk, "delete"])
    assert client.get(bad).status_code == 404
    assert client.get(reverse("plans:list_values", args=["colours"])).status_code == 404
    moved = client.post(
        reverse("plans:list_value_move", args=[slug, obj.pk]), {"direction": "down"}
    )
    assert moved.status_code == 302
    assert kind.model.objects.order_by("sort_order").first().pk != obj.pk
