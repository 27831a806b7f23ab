"""Indonesian whatever the browser asks; the application's own error pages (issue 13.10)."""

import pytest
from django.test import Client
from django.urls import path, reverse

from rkpk.core.tests.raw_text import find_raw_text
from rkpk.urls import urlpatterns as site_patterns


@pytest.fixture
def indonesian(settings):
    settings.LANGUAGE_CODE = "id"


@pytest.fixture
def staff_client(role_users):
    client = Client()
    client.force_login(role_users["staff"])
    return client


def test_an_english_browser_gets_indonesian(indonesian, staff_client):
    response = staff_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    page = response.content.decode()
    assert 'lang="id"' in page and "Beranda" in page
    assert response["Content-Language"] == "id"
    assert "Accept-Language" not in response.get("Vary", "")


def test_english_only_by_the_users_choice(indonesian, staff_client):
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = staff_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'lang="en"' in page and "Home" in page
    staff_client.post(reverse("set_language"), {"language": "id", "next": "/"})
    page = staff_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="id"' in page


def test_an_unknown_language_cookie_falls_back_to_indonesian(indonesian, staff_client, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = staff_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="id"' in page


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *site_patterns]


@pytest.fixture
def debug(settings, indonesian):
    settings.DEBUG = True
    settings.RKPK_OWN_ERROR_PAGES = True


def _assert_own_page(response, status: int):
    page = response.content.decode()
    assert response.status_code == status
    assert 'lang="id"' in page
    # The site's layout, not Django's technical page.
    assert "navbar" in page and "DEBUG = True" not in page and "Traceback" not in page
    return page


def test_an_unknown_address_shows_the_own_404_under_debug(debug, staff_client):
    response = staff_client.get("/no-such-page/")
    page = _assert_own_page(response, 404)
    assert "Kembali ke beranda" in page
    assert find_raw_text(page) == []


def test_a_view_refusing_shows_the_own_404_under_debug(debug, role_users):
    client = Client()
    client.force_login(role_users["admin"])
    _assert_own_page(client.get(reverse("core:audit_detail", args=[999999])), 404)


def test_a_server_error_shows_the_own_500_under_debug(debug, staff_client, settings):
    settings.ROOT_URLCONF = __name__
    staff_client.raise_request_exception = False
    _assert_own_page(staff_client.get("/boom/"), 500)


def test_django_s_pages_when_switched_off(settings, indonesian, staff_client):
    settings.DEBUG = True
    settings.RKPK_OWN_ERROR_PAGES = False
    page = staff_client.get("/no-such-page/").content.decode()
    assert "DEBUG = True" in page


def test_production_renders_the_own_500_with_the_layout(settings, indonesian, staff_client):
    settings.ROOT_URLCONF = __name__
    staff_client.raise_request_exception = False
    _assert_own_page(staff_client.get("/boom/"), 500)


def test_a_refused_method_shows_a_page(indonesian, staff_client):
    response = staff_client.get(reverse("logout"))
    _assert_own_page(response, 405)
    assert "POST" in response["Allow"]


def test_api_paths_are_left_to_the_api(debug, staff_client):
    response = staff_client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert "navbar" not in response.content.decode()
