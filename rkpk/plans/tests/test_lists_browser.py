"""In a real browser: the bureau's staff uploads a workbook with a satuan not on the list on
125 rows, sees it once in the report, adds it (after confirming) and imports the same
workbook again."""

import pytest

from rkpk.plans.excel import INDICATORS, build_workbook
from rkpk.plans.models import Indicator, MeasureUnit, UnitPlan
from rkpk.plans.tests.test_excel import col, edit, fill_plan
from rkpk.plans.tests.test_excel_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_adds_the_unknown_satuan_from_the_report_and_imports_again(
    page, live_server, role_users, units, tmp_path
):
    plan = fill_plan(UnitPlan.objects.create(unit=units["a"], year=2027), goals=25, per_goal=5)
    measure = col(INDICATORS, "measure")
    workbook = tmp_path / "rk.xlsx"
    workbook.write_bytes(
        edit(build_workbook(plan), {INDICATORS: {f"{measure}{r}": "Ekor" for r in range(2, 127)}})
    )
    log_in(page, live_server, role_users["staff"].username)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/plans/E1.A/2027/excel/upload/")
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(workbook))
    page.get_by_role("button", name="Check and import").click()
    table = page.locator("#unknown-values-table")
    table.wait_for()
    assert table.locator("tbody tr").count() == 1
    assert "rows 2–126" in table.inner_text() and "125" in table.inner_text()
    page.get_by_role("button", name="Add the chosen values to the lists").click()
    page.get_by_role("button", name="Import rk.xlsx again").wait_for()
    assert "Add the chosen values" in dialogs[-1]
    assert MeasureUnit.objects.filter(name="Ekor", is_active=True).exists()
    page.get_by_role("button", name="Import rk.xlsx again").click()
    page.wait_for_selector("text=rk.xlsx imported")
    assert set(Indicator.objects.filter(plan=plan).values_list("measure", flat=True)) == {"Ekor"}
