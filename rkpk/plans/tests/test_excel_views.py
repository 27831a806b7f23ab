"""The workbook's pages (download, upload, annotated copy) and the two commands."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from rkpk.core import sheet_reader
from rkpk.core.models import AuditEvent
from rkpk.core.tests.role_matrix import row
from rkpk.plans import excel
from rkpk.plans.excel import GOALS, INDICATORS, build_workbook
from rkpk.plans.models import Goal, Indicator, UnitPlan
from rkpk.plans.tests.test_excel import col, content, edit, fill_plan

pytestmark = pytest.mark.django_db

XLSX = excel.XLSX_CONTENT_TYPE
# Who may do what with unit A's plan: view (download) and edit (upload).
CAN_VIEW = {
    "admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
    "general_bureau", "viewer", "unit_operator", "unit_head",
}  # fmt: skip
CAN_EDIT = {"staff", "unit_operator", "unit_head"}


@pytest.fixture
def plan(units):
    return fill_plan(UnitPlan.objects.create(unit=units["a"], year=2027))


def url(name, plan_or_code="E1.A", year=2027, **kwargs):
    code = getattr(getattr(plan_or_code, "unit", None), "code", plan_or_code)
    return reverse(f"plans:{name}", kwargs={"unit_code": code, "year": year, **kwargs})


def upload(client, data, name="rkpk.xlsx", **extra):
    return client.post(
        url("excel_upload"), {"file": SimpleUploadedFile(name, data, XLSX), **extra}, follow=True
    )


def page(response) -> str:
    return response.content.decode()


# --- Permissions ----------------------------------------------------------------------------


def test_download_for_every_role(plan, role_matrix):
    def is_the_workbook(code, response):
        assert response["Content-Type"] == XLSX
        assert 'filename="RK-PK-2027-E1.A.xlsx"' in response["Content-Disposition"]
        assert load_workbook(io.BytesIO(response.content))[INDICATORS]["D2"].value

    download = row(
        "plans:excel_template",
        "E1.A",
        2027,
        exact=dict.fromkeys(CAN_VIEW, 200),
        other=404,
        inspect=is_the_workbook,
    )
    role_matrix([download])


def test_upload_page_for_every_role(plan, client, role_matrix):
    data = build_workbook(plan)

    def asks_replace_then_imports(code, post):
        assert post.context["confirm"]  # "replace?"
        done = client.post(url("excel_upload"), {"token": post.context["token"]})
        assert done.status_code == 302

    # Readers are refused; operator_b and nobody are not told the plan exists.
    outcomes = {"exact": dict.fromkeys(CAN_EDIT, 200), "refused": CAN_VIEW - CAN_EDIT}
    role_matrix(
        [
            row("plans:excel_upload", "E1.A", 2027, other=404, **outcomes),
            row(
                "plans:excel_upload",
                "E1.A",
                2027,
                method="post",
                data=lambda code: {"file": SimpleUploadedFile("x.xlsx", data, XLSX)},
                other=404,
                inspect=asks_replace_then_imports,
                **outcomes,
            ),
        ]
    )
    imports = AuditEvent.objects.filter(action="plan.imported")
    assert sorted(imports.values_list("actor_name", flat=True)) == sorted(
        f"u_{code}" for code in CAN_EDIT
    )


def test_operator_of_another_unit_is_refused_everywhere(plan, role_users, client_for):
    client = client_for(role_users["operator_b"])
    assert client.get(url("excel_template")).status_code == 404
    assert client.get(url("excel_upload")).status_code == 404
    assert client.get(url("excel_annotated", token="0" * 32)).status_code == 404
    # Their own unit works, and its plan is started on the way.
    assert client.get(url("excel_template", "E1.B")).status_code == 200
    assert UnitPlan.objects.filter(unit__code="E1.B", year=2027).exists()


def test_a_missing_plan_is_started_only_for_those_who_may_edit(units, role_users, client_for):
    assert client_for(role_users["viewer"]).get(url("excel_template")).status_code == 404
    assert not UnitPlan.objects.exists()
    assert client_for(role_users["unit_operator"]).get(url("excel_template")).status_code == 200
    assert UnitPlan.objects.get().status == "draft"
    assert AuditEvent.objects.filter(action="plan.created").count() == 1


def test_anonymous_users_are_sent_to_log_in(plan, client):
    response = client.get(url("excel_upload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_unit_and_absurd_year_are_404(role_users, client_for, units):
    client = client_for(role_users["staff"])
    assert client.get(url("excel_template", "NOPE")).status_code == 404
    assert client.get(url("excel_template", year=1900)).status_code == 404


# --- Uploading ------------------------------------------------------------------------------


def test_valid_upload_imports_and_says_what(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    data = edit(build_workbook(plan), {INDICATORS: {"D2": "Indikator diperbarui"}})
    response = upload(client, data)
    # Checked first; "replace?" asked only now that every check passed; nothing written yet.
    assert 'id="excel-confirm"' in page(response) and "data-confirm" not in page(response)
    assert not Indicator.objects.filter(plan=plan, name="Indikator diperbarui").exists()
    token = response.context["token"]
    response = client.post(url("excel_upload"), {"token": token}, follow=True)
    # Back on the plan's page, with the import's summary.
    assert response.redirect_chain[-1][0] == reverse("plans:plan_detail", args=["E1.A", 2027])
    body = page(response)
    assert "rkpk.xlsx imported. Goals: 2, indicators: 6, programs/activities: 2, " in body
    assert Indicator.objects.filter(plan=plan, name="Indikator diperbarui").exists()


def test_an_invalid_upload_never_asks_to_replace(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    target = col(INDICATORS, "target")
    response = upload(client, edit(build_workbook(plan), {INDICATORS: {f"{target}3": "seribu"}}))
    assert 'id="excel-confirm"' not in page(response) and "is not a number" in page(response)


def test_an_empty_plan_imports_at_once_and_percentages_above_100_are_warned(
    units, role_users, client_for
):
    filled = fill_plan(UnitPlan.objects.create(unit=units["a"], year=2028))
    data = build_workbook(filled)
    empty = UnitPlan.objects.create(unit=units["a"], year=2029)
    data = edit(data, {INDICATORS: {f"{col(INDICATORS, 'target')}2": "120%"}}, drop_props=True)
    client = client_for(role_users["unit_operator"])
    response = client.post(
        url("excel_upload", year=2029),
        {"file": SimpleUploadedFile("rkpk.xlsx", data, XLSX)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("plans:plan_detail", args=["E1.A", 2029])
    body = page(response)
    assert "rkpk.xlsx imported." in body
    assert "120% is above 100%: check that the target is meant so." in body  # the warning
    assert "Indikator row 2, Target" in body
    assert empty.indicators.count() == 6
    # and the editor shows the same warning beside the saved target
    assert "120% is above 100%" in page(
        client.get(reverse("plans:plan_detail", args=["E1.A", 2029]))
    )


def test_invalid_upload_lists_errors_and_offers_the_marked_copy(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    target = col(INDICATORS, "target")
    script = "<script>alert(1)</script>"
    data = edit(
        build_workbook(plan),
        {INDICATORS: {f"{target}3": "seribu", f"{col(INDICATORS, 'measure')}4": script}},
    )
    before = content(plan)
    response = upload(client, data)
    body = page(response)
    assert "Nothing was imported: 2 problems found" in body
    assert f"<td>Indikator</td><td>3</td><td>{target} · Target</td>" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and script not in body
    assert content(plan) == before
    link = re.search(r'href="([^"]+/excel/annotated/[0-9a-f]{32}\.xlsx)"', body).group(1)
    marked = client.get(link)
    assert marked.status_code == 200 and marked["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(marked.content))
    assert wb.sheetnames[0] == "Kesalahan"
    assert "not a number" in wb[INDICATORS][f"{target}3"].comment.text
    # Served from MEDIA_ROOT (not a public path), only to the uploader's session.
    token = link.rsplit("/", 1)[1].removesuffix(".xlsx")
    other = client_for(role_users["staff"])  # same client object: log in someone else
    assert other.get(link).status_code == 404
    assert other.get(url("excel_annotated", token="not-a-token")).status_code == 404
    assert other.get(link.replace(token, "..%2F..%2Fsettings")).status_code == 404
    assert token not in page(other.get(url("excel_upload")))


def test_marked_copy_needs_edit_permission(plan, role_users, client_for):
    client = client_for(role_users["viewer"])
    assert client.get(url("excel_annotated", token="a" * 32)).status_code == 403


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("plan.xlsx", b"%PDF-1.7 not a workbook", "not an Excel workbook"),
        ("plan.xlsm", None, "Macro-enabled"),
        ("plan.xlsx", sheet_reader.OLE_MAGIC + "EncryptedPackage".encode("utf-16-le"), "password"),
        ("plan.xlsx", b"PK\x03\x04broken", "damaged"),
    ],
)
def test_bad_files_through_the_page(plan, role_users, client_for, name, data, expected):
    client = client_for(role_users["unit_operator"])
    response = upload(client, data or build_workbook(plan), name=name)
    body = page(response)
    assert expected in body and "Nothing was imported: 1 problem found" in body
    assert "/excel/annotated/" not in body  # nothing to mark in a file that cannot be read


def test_file_over_10_mb_through_the_page(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    response = upload(client, b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024))
    assert "larger than 10 MB" in page(response)
    assert AuditEvent.objects.filter(action="plan.imported").count() == 0


def test_conflict_then_import_anyway(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    data = build_workbook(plan)
    Goal.objects.filter(plan=plan, code="S1").update(text="Diubah di aplikasi")
    body = page(upload(client, data))
    assert "The plan changed after this workbook was downloaded" in body
    assert Goal.objects.filter(plan=plan, text="Diubah di aplikasi").exists()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body).group(1)
    assert 'name="overwrite" value="1"' in body and "data-confirm=" in body
    response = client.post(url("excel_upload"), {"token": token, "overwrite": "1"}, follow=True)
    assert "rkpk.xlsx imported" in page(response)
    assert not Goal.objects.filter(plan=plan, text="Diubah di aplikasi").exists()
    # The kept file is gone once used.
    assert client.post(url("excel_upload"), {"token": token, "overwrite": "1"}).status_code == 404


def test_a_submitted_plan_cannot_be_replaced(plan, role_users, client_for):
    data = build_workbook(plan)
    UnitPlan.objects.filter(pk=plan.pk).update(status=UnitPlan.Status.SUBMITTED)
    client = client_for(role_users["unit_operator"])
    assert "cannot be changed now" in page(client.get(url("excel_upload")))
    body = page(upload(client, data))
    assert "cannot be changed" in body
    assert not AuditEvent.objects.filter(action="plan.imported").exists()


def test_actions_partial_shows_upload_only_to_editors(plan, role_users, rf):
    from django.template.loader import render_to_string

    def render(user):
        return render_to_string("plans/_plan_actions_excel.html", {"plan": plan, "user": user})

    assert "/excel/upload/" in render(role_users["unit_operator"])
    viewer = render(role_users["viewer"])
    assert "/excel/template.xlsx" in viewer and "/excel/upload/" not in viewer


# --- Query counts ---------------------------------------------------------------------------


def test_pages_use_a_fixed_number_of_queries(
    units, role_users, client_for, django_assert_max_num_queries
):
    """A plan of 128 indicators takes no more queries than one of 2."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = fill_plan(UnitPlan.objects.create(unit=units["a"], year=2027), goals=1, per_goal=2)
    large = fill_plan(
        UnitPlan.objects.create(unit=units["a"], year=2028), goals=8, per_goal=16, activities=8
    )
    client = client_for(role_users["unit_operator"])
    client.get(url("excel_template"))  # warm the session and caches
    target = col(INDICATORS, "target")

    def requests(plan):
        bad = edit(build_workbook(plan), {INDICATORS: {f"{target}2": "x", f"{target}3": "y"}})
        return {
            "template": lambda: client.get(url("excel_template", year=plan.year)),
            "upload page": lambda: client.get(url("excel_upload", year=plan.year)),
            "errors": lambda: client.post(
                url("excel_upload", year=plan.year),
                {"file": SimpleUploadedFile("x.xlsx", bad, XLSX)},
            ),
        }

    baseline = {}
    for name, request in requests(small).items():
        with CaptureQueriesContext(connection) as queries:
            assert request().status_code == 200, name
        baseline[name] = len(queries)
        assert baseline[name] <= 20, (name, baseline[name])
    for name, request in requests(large).items():
        with django_assert_max_num_queries(baseline[name]):
            assert request().status_code == 200, name
    assert Indicator.objects.filter(plan=large).count() == 128


# --- Commands -------------------------------------------------------------------------------


def test_export_then_import_by_command(plan, tmp_path, role_users, capsys):
    out = tmp_path / "plan.xlsx"
    call_command(
        "export_plan", "--unit", "E1.A", "--year", "2027", "--format", "xlsx", "--out", str(out)
    )
    before = content(plan)
    Indicator.objects.filter(plan=plan).delete()
    call_command("import_plan", "--unit", "E1.A", "--year", "2027", str(out), "--force")
    assert "indicators: 6," in capsys.readouterr().out
    assert content(plan) == before
    assert AuditEvent.objects.filter(action="plan.imported").latest("seq").actor_name == "system"
    call_command("import_plan", "--unit", "E1.A", "--year", "2027", str(out), "--user", "u_staff")
    assert AuditEvent.objects.filter(action="plan.imported").latest("seq").actor_name == "u_staff"


def test_import_command_exits_1_with_the_errors(plan, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    target = col(INDICATORS, "target")
    bad.write_bytes(
        edit(build_workbook(plan), {INDICATORS: {f"{target}3": "seribu"}, GOALS: {"C3": None}})
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_plan", "--unit", "E1.A", "--year", "2027", str(bad))
    assert raised.value.returncode == 1
    assert "2 problems in bad.xlsx; nothing was imported." in str(raised.value)
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "Sasaran!C3 (Sasaran): This value is required.",
        f"Indikator!{target}3 (Target): “seribu” is not a number. "
        "Write numbers like 1.234,5 or 85%.",
    ]
    assert not AuditEvent.objects.filter(action="plan.imported").exists()


def test_import_command_refusals(plan, tmp_path, role_users):
    good = tmp_path / "good.xlsx"
    good.write_bytes(build_workbook(plan))
    base = ["import_plan", "--unit", "E1.A", "--year", "2027"]
    with pytest.raises(CommandError, match="Unknown unit"):
        call_command("import_plan", "--unit", "XX", "--year", "2027", str(good))
    with pytest.raises(CommandError, match="No such file"):
        call_command(*base, str(tmp_path / "missing.xlsx"))
    with pytest.raises(CommandError, match="may not edit"):
        call_command(*base, str(good), "--user", "u_operator_b")
    macro = tmp_path / "plan.xlsm"
    macro.write_bytes(build_workbook(plan))
    with pytest.raises(CommandError) as raised:
        call_command(*base, str(macro))
    assert raised.value.returncode == 1


def test_export_command_creates_the_plan_for_a_template(units, tmp_path):
    out = tmp_path / "b.xlsx"
    call_command(
        "export_plan", "--unit", "E1.B", "--year", "2028", "--format", "xlsx", "--out", str(out)
    )
    assert load_workbook(out)[GOALS]["A1"].value == "No"
    assert UnitPlan.objects.filter(unit__code="E1.B", year=2028).exists()
    with pytest.raises(CommandError, match="no plan"):
        call_command(
            "export_plan", "--unit", "E1.B", "--year", "2029", "--format", "pdf", "--out", str(out)
        )


def test_export_command_writes_the_documents(plan, tmp_path):
    out = tmp_path / "rkpk.docx"
    call_command(
        "export_plan", "--unit", "E1.A", "--year", "2027", "--format", "docx", "--out", str(out)
    )
    assert out.read_bytes()[:2] == b"PK" and out.stat().st_size > 1000
