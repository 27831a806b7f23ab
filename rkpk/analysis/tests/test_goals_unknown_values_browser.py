"""The goal import page in a real Chromium: values not on the lists are listed once each; the
administrator confirms adding them, then imports the same file again without uploading it."""

import pytest
from playwright.sync_api import expect

from rkpk.analysis.models import MinistryTarget
from rkpk.analysis.tests.test_goals_unknown_values import rows, xlsx
from rkpk.conftest import PASSWORD
from rkpk.plans.models import MeasureUnit, QualitativeValue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_adds_the_unknown_values_and_imports_again(page, live_server, role_users):
    admin = role_users["admin"]
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(admin.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/analysis/goals/import/")
    upload = xlsx(rows(), name="goals-2025.xlsx")
    page.locator("#file").set_input_files(
        {"name": upload.name, "mimeType": "application/octet-stream", "buffer": upload.read()}
    )
    page.get_by_role("button", name="Import", exact=True).click()
    table = page.locator("#unknown-values-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("sasaran column J (target) rows 2–6")
    page.get_by_role("button", name="Add the chosen values to the lists").click()
    expect(page.get_by_role("button", name="Import goals-2025.xlsx again")).to_be_visible()
    assert len(dialogs) == 1 and "Add the chosen values" in dialogs[0]
    assert QualitativeValue.objects.filter(value="Memuaskan").exists()
    assert MeasureUnit.objects.filter(name="Ekor").exists()

    page.get_by_role("button", name="Import goals-2025.xlsx again").click()
    page.wait_for_url(f"{live_server.url}/analysis/goals/")
    expect(page.get_by_role("alert").filter(has_text="Imported 1 goals")).to_be_visible()
    assert MinistryTarget.objects.filter(text="Memuaskan").count() == 5
    assert errors == []
