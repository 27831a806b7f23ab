"""No page of the demo's cycle shows a raw code or an untranslated message (issue 13.10).

The demo (`seed_demo`: a running cycle, plans in every state of the review, this year's and
next year's) is walked with Django's test client in Indonesian, as every demo account: from
the home page, every link of the page and of the navigation, GET only, breadth first, a few
pages per URL pattern and a bounded number of pages per account. Every HTML page must give
`find_raw_text` nothing to report.

A message id without its Indonesian translation in rkpk/locale is reported: that is what
this test is for.
"""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from rkpk.core.tests.raw_text import find_raw_text
from rkpk.organisation.models import User

pytestmark = pytest.mark.django_db

PAGES_PER_ACCOUNT = 120
PAGES_PER_PATTERN = 2
HREF = re.compile(r'href="([^"#][^"]*)"')
# Files and actions that are not pages: downloads, the language switch, signing out, the API.
NOT_PAGES = re.compile(
    r"^/(api|static|media|i18n)/|^/accounts/logout/"
    r"|\.(xlsx|pdf|docx|csv|zip)$|/(file|xlsx|export|attachments)/|/report\.|/open/$"
)


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def walk(client: Client, start: str = "/") -> tuple[dict[str, list[str]], set[str]]:
    """Findings by page path, and the URL patterns of the HTML pages read, from `start`."""
    queue, seen, per_pattern = deque([start]), {start}, Counter()
    findings: dict[str, list[str]] = {}
    read: set[str] = set()
    visited = 0
    while queue and visited < PAGES_PER_ACCOUNT:
        path = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code in (301, 302):
            targets = [response["Location"]]
        elif response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            read.add(_pattern(path) or path)
            if found := find_raw_text(html):
                findings[path] = found
            targets = HREF.findall(html)
        else:
            continue
        for target in targets:
            target = urldefrag(target.replace("&amp;", "&"))[0]
            parts = urlsplit(target)
            if parts.netloc or parts.query or not parts.path.startswith("/"):
                continue
            target = parts.path
            if target in seen or NOT_PAGES.search(target):
                continue
            seen.add(target)
            pattern = _pattern(target)
            if pattern is None or per_pattern[pattern] >= PAGES_PER_PATTERN:
                continue
            per_pattern[pattern] += 1
            queue.append(target)
    return findings, read


@pytest.fixture
def demo(settings):
    settings.LANGUAGE_CODE = "id"
    settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG = False  # demo accounts sign in outside DEBUG too
    call_command("seed_demo", verbosity=0)


def test_no_page_of_the_demo_shows_raw_text(demo):
    accounts = list(User.objects.filter(is_demo=True, is_active=True).order_by("username"))
    assert len(accounts) >= 9
    report, read = {}, set()
    for user in accounts:
        client = Client()
        client.force_login(user)
        findings, patterns = walk(client)
        read |= patterns
        for path, found in findings.items():
            report[f"{user.username} {path}"] = found
    # The walk reached the pages where raw codes used to show.
    assert {
        "audit/",
        "audit/<int:seq>/",
        "procedure/standard/",
        "plans/monitoring/<int:year>/<str:unit_code>/",
        "plans/<str:unit_code>/<int:year>/submissions/<int:number>/",
    } <= read, sorted(read)
    assert len(read) >= 60, sorted(read)
    assert report == {}, "\n".join(f"{where}: {found}" for where, found in report.items())
