"""axe-core on the main pages of every demo account in Chromium, in the default language
(Indonesian); and the dashboard's step table at 1,400 pixels."""

import pytest
from django.core.management import call_command

from rkpk.core.calendar import today
from rkpk.core.tests.a11y import PageChecks, axe_violations, failing, require_axe
from rkpk.organisation.models import RoleAssignment, User
from rkpk.plans.models import UnitPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rkpk-demo-2026"


def sign_in(browser, base_url, username, checks=None, **context):
    page = browser.new_context(base_url=base_url, **context).new_page()
    page.goto("/accounts/login/")
    if checks is not None:
        checks.watch(page, username)
        checks(page)  # the log-in page
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")
    return page


def main_pages(username: str, year: int) -> list[str]:
    """Home, a plan page (the account's unit's, else any) and its clarification thread, the
    monitoring board, the dashboard, the cycle, the calendar, the service standard and the
    document lists."""
    unit = (
        RoleAssignment.objects.filter(user__username=username, unit__isnull=False)
        .values_list("unit", flat=True)
        .first()
    )
    plans = UnitPlan.objects.filter(year=year).select_related("unit").order_by("unit__code")
    plan = plans.filter(unit=unit).first() if unit else None
    plan = plan or plans.first()
    return [
        "/",
        f"/plans/{plan.unit.code}/{plan.year}/",
        f"/plans/{plan.unit.code}/{plan.year}/messages/",
        "/plans/",
        f"/plans/monitoring/{year}/",
        f"/dashboard/{year}/",
        f"/procedure/cycles/{year}/",
        "/calendar/",
        "/procedure/standard/",
        "/correspondence/",
        "/correspondence/inbox/",
        f"/correspondence/cycles/{year}/",
    ]


def test_main_pages_of_every_demo_account_pass_axe(browser, live_server, settings):
    # The first demo organisation; the whole-cycle walk runs axe on every demo organisation.
    require_axe()
    settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG = False
    call_command("seed_demo", verbosity=0)
    year = today().year + 1
    checks = PageChecks()
    usernames = list(
        User.objects.filter(is_demo=True, is_active=True)
        .order_by("username")
        .values_list("username", flat=True)
    )
    assert len(usernames) >= 10
    for username in usernames:
        page = sign_in(browser, live_server.url, username, checks=checks)
        for path in main_pages(username, year):
            page.goto(path)
            checks(page)
        page.context.close()
    assert checks.pages_checked == len(usernames) * 13
    assert not checks.problems, checks.report()


def test_the_axe_run_finds_each_kind_of_violation_the_crawl_found(page):
    """The options of the run (tags, rules switched on by name, the failing impacts) catch
    the four rules of issue 13 on a page made to break each."""
    require_axe()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>A</h1><h4>B</h4>'
        '<a href="/x.docx" aria-label="RK as Word document">DOCX</a>'
        '<p style="color: #9fa5ab">Excel</p>'
        '<div style="overflow: auto; width: 5rem"><table><tr><td style="white-space: nowrap">'
        "a table wider than its box</td></tr></table></div></main></body></html>"
    )
    found = {line.split(" ")[0] for line in failing(axe_violations(page))}
    assert found == {
        "color-contrast",
        "heading-order",
        "label-content-name-mismatch",
        "scrollable-region-focusable",
    }


@pytest.fixture
def dashboard(browser, live_server, settings):
    settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG = False
    call_command("seed_demo", verbosity=0)

    def open_at(width):
        page = sign_in(
            browser, live_server.url, "karo", viewport={"width": width, "height": 900}, locale="id"
        )
        page.goto(f"/dashboard/{today().year + 1}/")
        return page

    return open_at


def test_dashboard_step_table_fits_at_1400_pixels(dashboard):
    page = dashboard(1400)
    table = page.locator("#steps")
    assert table.locator("tbody tr").count() == 13
    container = table.locator("xpath=..")
    widths = container.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert container.get_attribute("tabindex") is None  # not scrolling: no extra tab stop


def test_a_table_that_scrolls_is_a_focusable_named_region(dashboard):
    page = dashboard(700)
    container = page.locator("#steps").locator("xpath=..")
    widths = container.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] > widths[1], widths
    assert container.get_attribute("tabindex") == "0"
    assert container.get_attribute("role") == "region"
    assert container.get_attribute("aria-label")
    assert not [v["id"] for v in axe_violations(page) if v["id"] == "scrollable-region-focusable"]
