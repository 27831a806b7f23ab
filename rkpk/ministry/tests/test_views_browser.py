"""The ministry RK-PK page in a real Chromium: a section saved in place (htmx), a
conflicting save shown in place with both texts, and the confirmation before submitting."""

import os

import pytest

from rkpk.conftest import PASSWORD
from rkpk.ministry import services
from rkpk.ministry.models import MinistryPlan
from rkpk.ministry.tests.factories import YEAR, ready_for_drafting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("unit_head_approval_off"),
]
SHOTS = os.environ.get("RKPK_SCREENSHOTS", "")


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_sections_are_saved_in_place_and_conflicts_shown(page, live_server, role_users, units):
    cycle = ready_for_drafting(role_users, units)
    plan = services.create_plan(actor=role_users["staff"], cycle=cycle)
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, role_users["head_of_section"].username)
    page.goto(f"{live_server.url}/ministry/{YEAR}/")
    shot(page, "drafting")
    card = page.locator("#section-1")
    card.locator("textarea[name=text]").fill("Pendahuluan yang baru.")
    card.get_by_role("button", name="Save section").click()
    page.locator("#section-1 [role=status]", has_text="Section saved.").wait_for()
    assert page.url.endswith(f"/ministry/{YEAR}/")  # no page load: swapped in place
    section = plan.sections.get(key="pendahuluan")
    assert section.text == "Pendahuluan yang baru." and section.revision == 2

    # Someone else saves meanwhile; our next save comes back with both texts.
    page.wait_for_load_state("networkidle")
    services.update_section(
        actor=role_users["staff"], section=section, revision=2, text="Versi rekan."
    )
    card = page.locator("#section-1")
    card.locator("textarea[name=text]").fill("Versi saya.")
    card.get_by_role("button", name="Save section").click()
    alert = page.locator("#section-1 [role=alert]")
    alert.wait_for()
    assert "Someone saved this section meanwhile" in alert.inner_text()
    assert "Versi rekan." in alert.inner_text()
    assert page.locator("#section-1 textarea[name=text]").input_value() == "Versi saya."
    shot(page, "conflict")
    # Saving the merged text again succeeds.
    page.wait_for_load_state("networkidle")
    page.locator("#section-1 textarea[name=text]").fill("Versi rekan. Versi saya.")
    page.locator("#section-1").get_by_role("button", name="Save section").click()
    page.locator("#section-1 [role=status]", has_text="Section saved.").wait_for()
    section.refresh_from_db()
    assert section.text == "Versi rekan. Versi saya."

    # Submitting asks first.
    page.get_by_role("button", name="Submit to the head of bureau").click()
    page.wait_for_url(f"{live_server.url}/ministry/{YEAR}/")
    page.locator("#plan-status", has_text="With the head of bureau").wait_for()
    assert dialogs and "Submit the draft to the head of bureau?" in dialogs[0]
    plan.refresh_from_db()
    assert plan.status == MinistryPlan.Status.BUREAU_REVIEW
    assert errors == []

    if SHOTS:
        services.comment(
            actor=role_users["head_of_bureau"],
            plan=plan,
            version_number=1,
            text="Target terlalu rendah.",
            anchor_type="row",
            anchor="indicator:IKU-1",
            required=True,
        )
        page.context.clear_cookies()
        log_in(page, live_server, role_users["head_of_bureau"].username)
        page.goto(f"{live_server.url}/ministry/{YEAR}/")
        page.locator("#row-2 > td:last-child summary").click()
        shot(page, "review")
