"""Every link on a cycle's page leads somewhere for the bureau: the step's workplace before
its page exists (the ministry RK-PK before it is drafted) too (issue 13, point 13)."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from rkpk.procedure import services as procedure

pytestmark = pytest.mark.django_db

YEAR = 2031


def page_links(client, url: str) -> set[str]:
    html = client.get(url).content.decode()
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return {
        unescape(href).split("#", 1)[0]
        for href in re.findall(r'href="(/[^"]*)"', main)
        if not href.startswith("/static/")
    } - {""}


@pytest.mark.parametrize("role", ["head_of_bureau", "staff", "head_of_section"])
def test_every_link_of_the_cycle_page_answers(role, role_users, client_for):
    procedure.start_cycle(
        actor=role_users["head_of_bureau"], year=YEAR, start_date=date(2030, 10, 1)
    )
    client = client_for(role_users[role])
    url = reverse("procedure:cycle_detail", args=[YEAR])
    links = page_links(client, url)
    assert reverse("ministry:index") in links or any(
        link.startswith(reverse("ministry:index")) for link in links
    )
    for link in sorted(links):
        if "/export" in link or link.endswith((".xlsx", ".pdf", ".docx")):
            continue
        assert client.get(link).status_code == 200, link


def test_the_ministry_step_links_the_plan_once_it_exists(role_users):
    from rkpk.procedure.selectors import workplaces

    cycle = procedure.start_cycle(
        actor=role_users["head_of_bureau"], year=YEAR, start_date=date(2030, 10, 1)
    )
    assert workplaces(cycle)[7][0] == reverse("ministry:index")
