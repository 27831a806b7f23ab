"""The editor in a real Chromium: an operator builds a goal and an indicator in place,
edits it, watches the checks turn green and submits. A typed script stays text."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from rkpk.conftest import PASSWORD
from rkpk.plans import services
from rkpk.plans.models import Indicator, TargetKind, UnitPlan
from rkpk.plans.tests.test_plan_pages import YEAR, make_officials

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("unit_head_approval_off"),
]

SCRIPT_GOAL = "<script>alert(1)</script> Meningkatnya akuntabilitas"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def test_operator_builds_edits_checks_and_submits(page, live_server, role_users, units):
    officials = make_officials(units)
    operator = role_users["unit_operator"]
    plan = services.get_or_create_plan(actor=operator, unit=units["a"], year=YEAR)
    plan.first_party, plan.second_party = officials["head"], officials["superior"]
    plan.save()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    log_in(page, live_server, operator.username)
    page.goto(f"{live_server.url}/plans/E1.A/{YEAR}/")
    assert page.locator('#checks [data-check="HAS_GOALS"][data-state="error"]').count() == 1
    assert page.locator("#submit-plan").is_disabled()

    # A goal, added in place.
    page.get_by_role("link", name="+ Add goal").click()
    page.locator("#goals-list .new-row textarea[name=text]").fill(SCRIPT_GOAL)
    page.locator("#goals-list .new-row button[type=submit]").first.click()
    goal_title = page.locator("#goals-list .goal-block h3")
    goal_title.wait_for()
    assert SCRIPT_GOAL in goal_title.inner_text()

    # An indicator in that goal; only the inputs of the chosen target kind are shown.
    page.get_by_role("link", name="+ Add indicator").click()
    form = page.locator("tr.new-row form")
    form.wait_for()
    # The script hides the other kinds' inputs once it has run on the new form: wait for it.
    expect(form.locator("[data-target-part=target_min]")).to_be_hidden()
    form.locator("select[name=target_kind]").select_option("range")
    expect(form.locator("[data-target-part=target_min]")).to_be_visible()
    expect(form.locator("[data-target-part=target_value]")).to_be_hidden()
    form.locator("select[name=target_kind]").select_option("number")
    form.locator("textarea[name=name]").fill("Nilai SAKIP unit")
    form.locator("input[name=measure]").fill("Nilai")
    form.locator("input[name=target_value]").fill("delapan")  # an error first
    form.locator("button[type=submit]").first.click()
    page.locator("tr.new-row .invalid-feedback").wait_for()
    # Let htmx finish processing the swapped-in form before typing into it again.
    page.wait_for_load_state("networkidle")
    expect(page.locator("tr.new-row textarea[name=name]")).to_have_value("Nilai SAKIP unit")
    page.locator("tr.new-row input[name=target_value]").fill("1.234,5")
    page.locator("tr.new-row button[type=submit]").first.click()
    row = page.locator("tbody tr.editor-row[id^=indicator-]")
    expect(row.locator("[data-target]")).to_have_text("1.234,5")

    # Edit it in place: 85% becomes a percentage target.
    page.wait_for_load_state("networkidle")
    row.get_by_role("link", name="Edit").click()
    edit = page.locator("tr.editing form")
    edit.wait_for()
    page.wait_for_load_state("networkidle")
    expect(edit.locator("input[name=target_value]")).to_have_value("1.234,5")
    edit.locator("input[name=target_value]").fill("85%")
    edit.locator("button[type=submit]").first.click()
    page.locator("tbody tr.editor-row [data-target]", has_text="85%").wait_for()
    indicator = Indicator.objects.get(plan=plan)
    assert indicator.target_kind == TargetKind.PERCENT and indicator.target_value == 85

    # The checks refreshed by themselves: no error left, submit enabled.
    page.locator('#checks [data-check="GOAL_HAS_INDICATOR"][data-state="passed"]').wait_for()
    expect(page.locator('#checks [data-state="error"]')).to_have_count(0)
    expect(page.locator("#submit-plan")).to_be_enabled()
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/plan-editor.png", full_page=True)

    page.locator("#submit-plan").click()  # confirmation accepted
    page.locator("#plan-lock-note").wait_for()
    assert "Version 1 was submitted" in page.content()
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.SUBMITTED
    expect(page.locator("#goals-list a", has_text="Edit")).to_have_count(0)

    # The only dialog was the submit confirmation: the typed script never ran.
    assert len(dialogs) == 1 and "Submit this plan" in dialogs[0]
    assert errors == []
