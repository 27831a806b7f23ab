"""The cycle as people use it: real Chromium, real log-in form, real clicks."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rkpk.conftest import PASSWORD
from rkpk.procedure import services
from rkpk.procedure.models import CycleStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").or_(page.get_by_label("Nama pengguna")).fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def test_staff_moves_a_step_and_sees_the_timeline(page, live_server, role_users):
    staff = role_users["staff"]
    cycle = services.start_cycle(actor=staff, year=2027, start_date=date(2026, 1, 5))
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, live_server, staff.username)
    page.locator(f"a[href='/procedure/cycles/{cycle.year}/#step-1']").click()
    page.wait_for_url(f"**/procedure/cycles/{cycle.year}/**")
    expect(page.locator(".timeline svg rect.planned")).to_have_count(13)
    expect(page.locator(".timeline line.today")).to_have_count(1)

    page.locator("#step-1 button", has_text="Start").or_(
        page.locator("#step-1 button", has_text="Mulai")
    ).click()
    # Started in January and still open: late, red on the timeline.
    expect(page.locator(".timeline rect.late")).to_have_count(1)
    assert CycleStep.objects.get(cycle=cycle, number=1).status == "in_progress"

    page.locator("#step-1 button.btn-success").click()  # confirmation dialog accepted
    expect(page.locator("#step-2 button")).to_have_count(1)
    assert CycleStep.objects.get(cycle=cycle, number=1).status == "done"
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/cycle-staff.png", full_page=True)
    assert errors == []


def test_unit_operator_follows_the_cycle_without_controls(page, live_server, role_users):
    services.start_cycle(actor=role_users["staff"], year=2027, start_date=date(2026, 1, 5))
    log_in(page, live_server, role_users["unit_operator"].username)
    page.goto(f"{live_server.url}/procedure/cycles/2027/")
    expect(page.locator(".timeline svg")).to_have_count(1)
    expect(page.locator("table button")).to_have_count(0)
    # Keyboard: the skip link is the first stop and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"


def test_language_switch(page, live_server, role_users):
    log_in(page, live_server, role_users["staff"].username)
    first = page.locator("html").get_attribute("lang")
    page.locator("button[name=language]").click()
    expect(page.locator("html")).not_to_have_attribute("lang", first)
    second = page.locator("html").get_attribute("lang")
    assert {first, second} == {"id", "en"}
    page.locator("button[name=language]").click()
    expect(page.locator("html")).to_have_attribute("lang", first)
