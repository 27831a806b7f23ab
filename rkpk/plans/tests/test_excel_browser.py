"""The workbook round trip in a real browser: the confirmation, the error table, the copy."""

import pytest
from openpyxl import load_workbook

from rkpk.conftest import PASSWORD
from rkpk.plans.excel import INDICATORS, build_workbook
from rkpk.plans.models import Indicator, UnitPlan
from rkpk.plans.tests.test_excel import col, edit, fill_plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("unit_head_approval_off"),
]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_operator_uploads_a_wrong_workbook_then_a_right_one(
    page, live_server, role_users, units, tmp_path
):
    plan = fill_plan(UnitPlan.objects.create(unit=units["a"], year=2027))
    target = col(INDICATORS, "target")
    good = edit(build_workbook(plan), {INDICATORS: {"D2": "Indikator dari Excel"}})
    bad_file, good_file = tmp_path / "salah.xlsx", tmp_path / "benar.xlsx"
    bad_file.write_bytes(edit(good, {INDICATORS: {f"{target}3": "seribu"}}))
    good_file.write_bytes(good)

    log_in(page, live_server, role_users["unit_operator"].username)
    page.goto(f"{live_server.url}/plans/E1.A/2027/excel/upload/")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(bad_file))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_selector("#excel-errors")
    assert dialogs == []  # a refused workbook asks nothing: the checks come first
    assert f"{target} · Target" in page.locator("#excel-errors").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your workbook with the problems marked").click()
    download.value.save_as(tmp_path / "marked.xlsx")
    marked = load_workbook(tmp_path / "marked.xlsx")
    assert marked.sheetnames[0] == "Kesalahan"
    assert not Indicator.objects.filter(name="Indikator dari Excel").exists()

    page.get_by_label("Workbook (.xlsx)").set_input_files(str(good_file))
    page.get_by_role("button", name="Check and import").click()
    # Only a workbook that passed every check asks before it replaces the plan's content.
    page.wait_for_selector("#excel-confirm")
    assert not Indicator.objects.filter(name="Indikator dari Excel").exists()
    page.get_by_role("button", name="Replace the plan's content").click()
    page.wait_for_selector("text=benar.xlsx imported")
    assert page.url.rstrip("/").endswith("/plans/E1.A/2027")  # back on the plan with the summary
    assert Indicator.objects.filter(plan=plan, name="Indikator dari Excel").exists()
