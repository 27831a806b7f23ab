"""The version page, its downloads, and the comparison of two versions (sections word by
word, table rows added / removed / changed)."""

import copy

import pytest

from rkpk.ministry import selectors, services
from rkpk.ministry.tests.factories import YEAR, ready_for_drafting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def two_versions(role_users, units):
    """Version 1 returned by the deputy with a row comment; version 2 with an edited section."""
    cycle = ready_for_drafting(role_users, units)
    writer, head, deputy = (
        role_users["head_of_section"],
        role_users["head_of_bureau"],
        role_users["deputy"],
    )
    plan = services.create_plan(actor=writer, cycle=cycle)
    services.submit(actor=writer, plan=plan)
    services.approve(actor=head, plan=plan, version_number=1)
    services.comment(
        actor=deputy,
        plan=plan,
        version_number=1,
        text="Naikkan target.",
        anchor_type="row",
        anchor="indicator:IKU-1",
        required=True,
    )
    services.return_for_revision(actor=deputy, plan=plan, version_number=1, changes="Revisi.")
    section = plan.sections.get(key="penutup")
    services.update_section(
        actor=writer,
        section=section,
        revision=section.revision,
        text=section.text + " Ditambah kalimat baru.",
        title="Bab IV Penutup dan Harapan",
    )
    services.submit(actor=writer, plan=plan)
    plan.refresh_from_db()
    return plan


def test_the_version_page_shows_comments_and_decisions(two_versions, role_users, client_for):
    page = client_for(role_users["general_bureau"]).get(f"/ministry/{YEAR}/versions/1/")
    assert page.status_code == 200
    html = body(page)
    assert "Approved" in html and "Returned for revision" in html
    assert "u_head_of_bureau" in html and "u_deputy" in html
    indicator = page.context["content"]["goals"][0]["indicators"][0]
    assert [n.text for n in indicator["notes"]] == ["Naikkan target."]
    assert [n.text for n in page.context["content"]["general_notes"]] == ["Revisi."]
    assert f'href="/ministry/{YEAR}/versions/1.docx"' in html
    assert f'href="/ministry/{YEAR}/versions/1.pdf"' in html
    assert 'name="anchor_type"' not in html  # read-only
    assert client_for(role_users["staff"]).get(f"/ministry/{YEAR}/versions/9/").status_code == 404


@pytest.mark.parametrize("code", ["unit_operator", "unit_head", "viewer", "nobody"])
def test_versions_are_404_outside_the_bureau(two_versions, role_users, client_for, code):
    client = client_for(role_users[code])
    for url in ("versions/1/", "versions/1.pdf", "versions/1.docx", "compare/?a=1&b=2"):
        assert client.get(f"/ministry/{YEAR}/{url}").status_code == 404


def test_downloading_a_version(two_versions, role_users, client_for):
    client = client_for(role_users["deputy"])
    response = client.get(f"/ministry/{YEAR}/versions/2.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    response = client.get(f"/ministry/{YEAR}/versions/1.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")
    assert client.get(f"/ministry/{YEAR}/versions/1.odt").status_code == 404
    assert client.get(f"/ministry/{YEAR}/versions/5.pdf").status_code == 404


def test_the_comparison_page(two_versions, role_users, client_for):
    client = client_for(role_users["head_of_section"])
    page = client.get(f"/ministry/{YEAR}/compare/?a=1&b=2")
    assert page.status_code == 200
    rows = {r["key"]: r for r in page.context["result"]["sections"]}
    assert rows["penutup"]["status"] == "changed" and rows["penutup"]["title_changed"]
    assert rows["pendahuluan"]["status"] == "same"
    html = body(page)
    assert '<ins class="text-success">' in html and "kalimat" in html
    assert "Bab IV Penutup dan Harapan" in html
    assert "The tables are the same in both versions." in html
    # Defaults: the last two versions; the same version twice compares nothing.
    assert client.get(f"/ministry/{YEAR}/compare/").context["result"] is not None
    page = client.get(f"/ministry/{YEAR}/compare/?a=2&b=2")
    assert page.context["result"] is None and "Choose two different versions." in body(page)
    assert client.get(f"/ministry/{YEAR}/compare/?a=x&b=y").status_code == 200


def test_the_comparison_page_with_one_version(role_users, units, client_for):
    cycle = ready_for_drafting(role_users, units)
    plan = services.create_plan(actor=role_users["staff"], cycle=cycle)
    services.submit(actor=role_users["staff"], plan=plan)
    page = client_for(role_users["staff"]).get(f"/ministry/{YEAR}/compare/")
    assert "At least two submitted versions are needed" in body(page)


def test_table_rows_added_removed_and_changed(two_versions):
    a = two_versions.versions.get(number=1).content
    b = copy.deepcopy(a)
    goal = b["tables"]["goals"][0]
    goal["indicators"][0]["target"] = "95"
    goal["indicators"][0]["measure"] = "Indeks"
    goal["indicators"].append(
        {
            "key": "indicator:IKU-9",
            "code": "IKU-9",
            "name": "Baru",
            "measure": "Persen",
            "target": "10",
        }
    )
    removed = b["tables"]["goals"].pop()
    b["tables"]["programs"][0]["budget"] = "Rp9.000.000"
    b["tables"]["budget_total"] = "Rp9.000.000"
    result = selectors.compare_tables(a, b)
    changed = {r["key"]: r for r in result["indicators"]}
    assert changed["indicator:IKU-1"]["status"] == "changed"
    assert {c["field"] for c in changed["indicator:IKU-1"]["changes"]} == {"target", "measure"}
    assert changed["indicator:IKU-9"]["status"] == "added"
    assert changed[removed["indicators"][0]["key"]]["status"] == "removed"
    assert [r["status"] for r in result["goals"]] == ["removed"]
    assert result["programs"][0]["changes"][0]["new"] == "Rp9.000.000"
    assert result["total"]["changed"] and result["any"]
    assert not selectors.compare_tables(a, copy.deepcopy(a))["any"]


def test_the_comparison_page_highlights_changed_rows(two_versions, role_users, client_for):
    version = two_versions.versions.get(number=2)
    content = copy.deepcopy(version.content)
    content["tables"]["goals"][0]["indicators"][0]["target"] = "99"
    version.content = content
    version.save(update_fields=["content"])
    html = body(client_for(role_users["staff"]).get(f"/ministry/{YEAR}/compare/?a=1&b=2"))
    assert 'class="table-warning"' in html
    assert '<ins class="text-success">99</ins>' in html


def test_the_version_page_reads_in_constant_queries(
    two_versions, role_users, client_for, django_assert_max_num_queries
):
    client = client_for(role_users["deputy"])
    url = f"/ministry/{YEAR}/versions/1/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        services.comment(
            actor=role_users["head_of_bureau"],
            plan=two_versions,
            version_number=2,
            text=f"Catatan {n}",
            anchor_type="section",
            anchor="penutup",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/ministry/{YEAR}/versions/2/").status_code == 200
