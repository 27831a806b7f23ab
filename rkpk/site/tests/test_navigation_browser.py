"""The menu bar in a real Chromium: a user with a 60-character name keeps a whole, usable
menu (the name shortened with an ellipsis, in full in its title and in the open menu)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from rkpk.conftest import PASSWORD
from rkpk.organisation.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/rkpk-navigation")
LONG_FIRST = "Raden Ajeng Kusumawardhani Sekarningrum"
LONG_LAST = "Purbonegoro Hadining"
WIDTHS = (1440, 1280, 1200, 992, 390)


def inside(box, width: int) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.mark.parametrize("role", [Role.HEAD_OF_BUREAU, Role.MINISTER])
def test_a_long_name_leaves_the_whole_menu_usable(page, live_server, make_user, settings, role):
    # Indonesian, the default, has the longer menu labels.
    settings.LANGUAGE_CODE = "id"
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}]
    )
    user = make_user("panjang", role.value, first_name=LONG_FIRST, last_name=LONG_LAST)
    full_name = user.get_full_name()
    assert len(full_name) == 60
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    SHOTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/")
        toggler = page.locator("nav .navbar-toggler")
        if toggler.is_visible():
            toggler.click()
            expect(page.locator("#nav")).to_be_visible()
        button = page.locator("#user-menu")
        expect(button).to_be_visible()
        assert button.get_attribute("title") == full_name
        # The page does not scroll sideways and every top-level item stays on the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for item in page.locator("#nav .navbar-nav > .nav-item").all():
            assert inside(item.bounding_box(), width), (width, item.inner_text())
        assert inside(button.bounding_box(), width), width
        # The name is shortened inside the button; the button itself (with its caret) is whole.
        assert button.evaluate("b => b.scrollWidth <= b.clientWidth"), width
        button.click()
        menu = page.locator("#user-menu + .dropdown-menu")
        expect(menu).to_be_visible()
        expect(menu.get_by_text(full_name)).to_be_visible()
        log_out = menu.locator("form[action$='/logout/'] button")
        expect(log_out).to_be_visible()
        assert inside(menu.bounding_box(), width), width
        assert inside(log_out.bounding_box(), width), width
        page.screenshot(path=str(SHOTS / f"{role.value}-{width}.png"))
        page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    page.locator("#user-menu").click()
    page.locator("#user-menu + .dropdown-menu form[action$='/logout/'] button").click()
    page.wait_for_url("**/accounts/login/**")
