"""Numbers in the indicator form (issue 13.8): a 38-digit target is a field error, not a server
error, and a refused save never leaves the previous attempt's field error on the page."""

import pytest
from playwright.sync_api import expect

from rkpk.plans import services
from rkpk.plans.models import Goal, Indicator
from rkpk.plans.tests.test_editor_browser import log_in
from rkpk.plans.tests.test_plan_pages import YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_attempt_shows_only_its_own_errors(page, live_server, role_users, units):
    operator = role_users["unit_operator"]
    plan = services.get_or_create_plan(actor=operator, unit=units["a"], year=YEAR)
    Goal.objects.create(plan=plan, code="S1", text="Sasaran", position=1)
    log_in(page, live_server, operator.username)
    page.goto(f"{live_server.url}/plans/E1.A/{YEAR}/")
    page.get_by_role("link", name="+ Add indicator").click()
    form = page.locator("tr.new-row form")
    form.wait_for()
    page.wait_for_load_state("networkidle")
    form.locator("textarea[name=name]").fill("Indikator")
    form.locator("input[name=q1]").fill("1,23456")
    form.locator("button[type=submit]").first.click()
    expect(page.locator("tr.new-row .invalid-feedback")).to_have_text(
        "Use at most 4 decimal places."
    )
    page.wait_for_load_state("networkidle")
    # htmx swaps the answer in, then settles it: a fill before that ends goes to a field
    # about to be replaced.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )

    # 38 digits: the field says so (before, rounding failed: a server error, nothing swapped,
    # and the decimal-places error of the attempt before stayed on the page).
    # Both values must be in the swapped-in form before it is sent (a fill racing the swap
    # of the previous answer would send the old quarter value again): fill until they stay.
    values = {"q1": "1,5", "target_value": "1" + "0" * 37}
    for _attempt in range(20):
        for name, value in values.items():
            page.locator(f"tr.new-row input[name={name}]").fill(value)
        page.wait_for_timeout(100)
        if all(
            page.locator(f"tr.new-row input[name={name}]").input_value() == value
            for name, value in values.items()
        ):
            break
    for name, value in values.items():
        expect(page.locator(f"tr.new-row input[name={name}]")).to_have_value(value)
    page.locator("tr.new-row button[type=submit]").first.click()
    feedback = page.locator("tr.new-row .invalid-feedback")
    expect(feedback).to_have_text("This number is too large.")
    page.wait_for_load_state("networkidle")

    # A save the server cannot answer with the form (here a 500 forced by the test): the
    # refusal is shown and the previous attempt's field error goes.
    page.route(
        "**/indicator/new/",
        lambda route: (
            route.fulfill(status=500, body="boom")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.locator("tr.new-row input[name=target_value]").fill("80")
    page.locator("tr.new-row button[type=submit]").first.click()
    expect(page.locator("tr.new-row [data-editor-error]")).to_have_count(1)
    expect(page.locator("tr.new-row .invalid-feedback")).to_have_count(0)
    expect(page.locator("tr.new-row .is-invalid")).to_have_count(0)
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("width", [800, 1400])
def test_the_polarity_drop_down_is_wide_enough_for_its_choices(
    page, live_server, role_users, units, width
):
    from rkpk.plans.excel import POLARITY_LABELS

    operator = role_users["unit_operator"]
    plan = services.get_or_create_plan(actor=operator, unit=units["a"], year=YEAR)
    Goal.objects.create(plan=plan, code="S1", text="Sasaran", position=1)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, operator.username)
    page.goto(f"{live_server.url}/plans/E1.A/{YEAR}/")
    page.get_by_role("link", name="+ Add indicator").click()
    select = page.locator("tr.new-row select[name=polarity]")
    select.wait_for()
    # The longest label either language shows (the Indonesian ones are the longest).
    texts = [*POLARITY_LABELS.values(), *select.locator("option").all_inner_texts()]
    room, needed = select.evaluate(
        """(el, texts) => {
            const style = getComputedStyle(el);
            const ctx = document.createElement("canvas").getContext("2d");
            ctx.font = style.font;
            const widest = Math.max(...texts.map((t) => ctx.measureText(t).width));
            const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
            return [el.clientWidth, widest + padding];
        }""",
        texts,
    )
    assert needed <= room, (width, needed, room)
