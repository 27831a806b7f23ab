"""The organisation screens in a real browser: an admin adds a unit and imports officials."""

from pathlib import Path

import openpyxl
import pytest

from rkpk.conftest import PASSWORD
from rkpk.core.models import AuditEvent
from rkpk.organisation.models import Official, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_admin_adds_a_unit_under_a_parent(page, live_server, role_users, units):
    log_in(page, live_server, role_users["admin"].username)
    page.goto(f"{live_server.url}/organisation/units/new/")
    page.get_by_label("Code").fill("E1.C")
    page.locator("#id_name").fill("Biro C")
    page.get_by_label("Level").select_option("2")
    page.get_by_label("Parent unit").select_option(str(units["root"].pk))
    page.get_by_label("Head position").fill("Kepala Biro C")
    page.locator("main form button.btn-primary").click()
    page.wait_for_load_state()
    unit = Unit.objects.get(code="E1.C")
    assert unit.parent == units["root"]
    assert AuditEvent.objects.filter(action="unit.created", object_id=str(unit.pk)).exists()
    page.goto(f"{live_server.url}/organisation/units/?q=Biro+C")
    assert page.get_by_role("link", name="Biro C").count() == 1


def test_admin_imports_officials_and_sees_row_errors(
    page, live_server, role_users, units, tmp_path
):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nip", "name", "position", "rank", "unit_code", "active"])
    sheet.append(["197001012000031001", "Siti Rahma", "Kepala Biro A", "IV/c", "E1.A", "ya"])
    sheet.append(["12345", "Salah NIP", "Analis", "III/a", "E1.B", "ya"])
    bad = tmp_path / "pejabat.xlsx"
    book.save(bad)

    log_in(page, live_server, role_users["admin"].username)
    page.goto(f"{live_server.url}/organisation/import/")
    page.locator("select[name=kind]").select_option("officials")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator("main form button.btn-primary").click()
    page.wait_for_load_state()
    errors = page.locator("main table").inner_text()
    assert "3" in errors and "nip" in errors.lower()
    assert not Official.objects.exists()  # nothing imported while a row is wrong

    sheet.delete_rows(3)
    good = tmp_path / "pejabat-baik.xlsx"
    book.save(good)
    page.locator("select[name=kind]").select_option("officials")
    page.locator("input[type=file]").set_input_files(str(good))
    page.locator("main form button.btn-primary").click()
    page.wait_for_load_state()
    assert Official.objects.get().unit == units["a"]
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/import-admin.png", full_page=True)
