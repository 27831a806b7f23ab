"""Pages of the ministry RK-PK: the index, the plan page through drafting, review,
signature and publication, for every role; the section editor (htmx and plain posts)."""

from datetime import timedelta

import pytest

from rkpk.core.calendar import today
from rkpk.ministry import services
from rkpk.ministry.models import MinistryPlan, PlanSection, ReviewComment
from rkpk.ministry.procedure_documents import BUREAU_TO_DEPUTY, TO_MINISTER
from rkpk.ministry.tests.factories import YEAR, approved_by_deputy, ready_for_drafting
from rkpk.organisation.models import ActingAssignment, Role
from rkpk.procedure.tests.factories import cycle_done_through

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]
URL = f"/ministry/{YEAR}/"
INSIDE = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister")
OUTSIDE = ("unit_operator", "unit_head", "operator_b", "viewer", "nobody")
HTMX = {"HTTP_HX_REQUEST": "true"}


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def drafting(role_users, units):
    cycle = ready_for_drafting(role_users, units)
    return services.create_plan(actor=role_users["head_of_section"], cycle=cycle)


@pytest.fixture
def submitted(drafting, role_users):
    services.submit(actor=role_users["head_of_section"], plan=drafting)
    drafting.refresh_from_db()
    return drafting


def section(plan, key="pendahuluan") -> PlanSection:
    return plan.sections.get(key=key)


# --- The index -----------------------------------------------------------------------------


def test_the_index_lists_every_year_for_the_bureau_and_offers_the_start(
    role_users, units, client_for
):
    ready_for_drafting(role_users, units)
    page = client_for(role_users["head_of_section"]).get("/ministry/")
    assert page.status_code == 200
    assert page.context["start"]["problems"] == []
    assert f'action="/ministry/{YEAR}/start/"' in body(page)
    # The head of bureau follows it but does not draft: no start button.
    page = client_for(role_users["head_of_bureau"]).get("/ministry/")
    assert page.context["start"] is None
    assert f"RK-PK {YEAR}" in body(page)


def test_the_start_button_says_why_the_draft_cannot_start(role_users, client_for):
    cycle_done_through(4, year=YEAR)
    page = client_for(role_users["staff"]).get("/ministry/")
    problems = " ".join(page.context["start"]["problems"])
    assert "analysis of 2027 has not been approved" in problems
    assert "not been compiled yet" in problems
    assert "disabled" in body(page)
    response = client_for(role_users["staff"]).post(f"/ministry/{YEAR}/start/", follow=True)
    assert "has not been approved" in body(response)
    assert not MinistryPlan.objects.exists()


def test_starting_the_draft(role_users, units, client_for):
    ready_for_drafting(role_users, units)
    response = client_for(role_users["head_of_bureau"]).post(f"/ministry/{YEAR}/start/")
    assert response.status_code == 403
    response = client_for(role_users["unit_operator"]).post(f"/ministry/{YEAR}/start/")
    assert response.status_code == 403
    response = client_for(role_users["staff"]).post(f"/ministry/{YEAR}/start/")
    assert response.status_code == 302 and response["Location"] == URL
    assert MinistryPlan.objects.get(year=YEAR).sections.count() == 4
    response = client_for(role_users["staff"]).post(f"/ministry/{YEAR}/start/", follow=True)
    assert "has already been drafted" in body(response)
    assert client_for(role_users["staff"]).post("/ministry/1999/start/").status_code == 404


def test_units_see_only_published_years_on_the_index(drafting, role_users, client_for):
    for code in OUTSIDE:
        page = client_for(role_users[code]).get("/ministry/")
        assert page.status_code == 200
        assert list(page.context["page"].object_list) == []
        assert page.context["start"] is None
    drafting.status = MinistryPlan.Status.PUBLISHED
    drafting.save()
    page = client_for(role_users["unit_operator"]).get("/ministry/")
    assert [row.year for row in page.context["page"].object_list] == [YEAR]


def test_the_index_needs_a_login(client):
    assert client.get("/ministry/").status_code == 302


def test_the_index_reads_in_constant_queries(
    role_users, units, client_for, django_assert_max_num_queries
):
    ready_for_drafting(role_users, units)
    client = client_for(role_users["staff"])
    client.get("/ministry/")
    with django_assert_max_num_queries(25) as few:
        assert client.get("/ministry/").status_code == 200
    for year in (2028, 2029, 2030):
        cycle_done_through(2, year=year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/ministry/").status_code == 200


# --- The plan page: who sees it -------------------------------------------------------------


@pytest.mark.parametrize("code", INSIDE)
def test_the_bureau_and_leadership_see_the_draft(drafting, role_users, client_for, code):
    page = client_for(role_users[code]).get(URL)
    assert page.status_code == 200
    assert page.context["inside"]
    assert [s.number for s in page.context["steps"]] == list(range(7, 14))
    assert "Bab I Pendahuluan" in body(page)


def test_general_bureau_reads_the_draft(drafting, role_users, client_for):
    page = client_for(role_users["general_bureau"]).get(URL)
    assert page.status_code == 200 and not page.context["editable"]


@pytest.mark.parametrize("code", OUTSIDE)
def test_units_viewers_and_others_get_404_before_publication(
    drafting, role_users, client_for, code
):
    client = client_for(role_users[code])
    assert client.get(URL).status_code == 404
    assert client.get(f"/ministry/{YEAR}/versions/1/").status_code == 404
    assert client.post(f"/ministry/{YEAR}/submit/").status_code == 404
    key = section(drafting).key
    post = {"revision": 1, "title": "X", "text": "Y"}
    assert client.post(f"/ministry/{YEAR}/sections/{key}/", post).status_code == 404


def test_an_unknown_year_is_404(role_users, client_for):
    assert client_for(role_users["staff"]).get("/ministry/2040/").status_code == 404


def test_only_drafters_get_the_editor(drafting, role_users, client_for):
    for code in ("staff", "head_of_section"):
        page = client_for(role_users[code]).get(URL)
        assert page.context["editable"]
        assert 'hx-post="/ministry/2027/sections/pendahuluan/"' in body(page)
        assert "Submit to the head of bureau" in body(page)
    for code in ("head_of_bureau", "deputy", "minister", "admin"):
        page = client_for(role_users[code]).get(URL)
        assert not page.context["editable"]
        assert "hx-post" not in body(page)
        assert "Submit to the head of bureau" not in body(page)


# --- The section editor ---------------------------------------------------------------------


def test_saving_a_section_without_javascript(drafting, role_users, client_for):
    target = section(drafting)
    response = client_for(role_users["staff"]).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": target.revision, "title": "Bab I Latar Belakang", "text": "Teks baru."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#section-1"
    target.refresh_from_db()
    assert (target.title, target.text, target.revision) == ("Bab I Latar Belakang", "Teks baru.", 2)


def test_saving_a_section_in_place_with_htmx(drafting, role_users, client_for):
    target = section(drafting)
    response = client_for(role_users["head_of_section"]).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": target.revision, "title": target.title, "text": "Teks htmx."},
        **HTMX,
    )
    assert response.status_code == 200
    html = body(response)
    assert html.strip().startswith("<section")
    assert "Section saved." in html and "Teks htmx." in html
    assert 'name="revision" value="2"' in html
    assert "<html" not in html


def test_a_stale_save_keeps_the_users_text_and_shows_both(drafting, role_users, client_for):
    target = section(drafting)
    services.update_section(
        actor=role_users["staff"], section=target, revision=1, text="Teks rekan."
    )
    post = {"revision": 1, "title": target.title, "text": "Teks saya."}
    url = f"/ministry/{YEAR}/sections/{target.key}/"
    for extra in ({}, HTMX):
        response = client_for(role_users["head_of_section"]).post(url, post, **extra)
        assert response.status_code == 409
        html = body(response)
        assert "Someone saved this section meanwhile" in html
        assert "Teks rekan." in html and "Teks saya." in html
        # Saving again merges onto the current revision.
        assert 'name="revision" value="2"' in html
    target.refresh_from_db()
    assert target.text == "Teks rekan."


def test_an_invalid_save_keeps_the_input(drafting, role_users, client_for):
    target = section(drafting)
    url = f"/ministry/{YEAR}/sections/{target.key}/"
    post = {"revision": 1, "title": "", "text": "Masih ada."}
    response = client_for(role_users["staff"]).post(url, post, **HTMX)
    assert response.status_code == 422
    assert "Masih ada." in body(response)
    response = client_for(role_users["staff"]).post(url, post)
    assert response.status_code == 422
    assert "Masih ada." in body(response)
    assert (
        client_for(role_users["staff"]).post(f"/ministry/{YEAR}/sections/nope/", post).status_code
        == 404
    )


def test_a_reader_cannot_save_a_section(drafting, role_users, client_for):
    target = section(drafting)
    response = client_for(role_users["head_of_bureau"]).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": 1, "title": target.title, "text": "Bukan saya."},
    )
    assert response.status_code == 403
    assert "draft the RK-PK" in body(response)
    target.refresh_from_db()
    assert target.text != "Bukan saya."
    response = client_for(role_users["deputy"]).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": 1, "title": target.title, "text": "Bukan saya."},
        **HTMX,
    )
    assert response.status_code == 403
    assert body(response).strip().startswith("<section")


def test_refreshing_the_tables(drafting, role_users, client_for):
    assert client_for(role_users["deputy"]).post(f"/ministry/{YEAR}/refresh/").status_code == 403
    response = client_for(role_users["staff"]).post(f"/ministry/{YEAR}/refresh/")
    assert response.status_code == 302 and response["Location"].endswith("#tables")


# --- Submission and the review chain --------------------------------------------------------


def test_submitting_sends_version_1_to_the_head_of_bureau(drafting, role_users, client_for):
    assert client_for(role_users["deputy"]).post(f"/ministry/{YEAR}/submit/").status_code == 403
    response = client_for(role_users["head_of_section"]).post(f"/ministry/{YEAR}/submit/")
    assert response.status_code == 302
    drafting.refresh_from_db()
    assert drafting.status == MinistryPlan.Status.BUREAU_REVIEW
    page = client_for(role_users["head_of_section"]).get(URL)
    assert not page.context["editable"]
    assert "The head of bureau reviews version 1." in body(page)
    # No more edits while it is under review.
    target = section(drafting)
    response = client_for(role_users["staff"]).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": target.revision, "title": target.title, "text": "Terlambat."},
    )
    assert response.status_code == 422
    assert "cannot be changed now" in body(response)


def test_the_reviewer_gets_a_comment_button_at_every_section_and_row(
    submitted, role_users, client_for
):
    page = client_for(role_users["head_of_bureau"]).get(URL)
    assert page.context["reviewing"]
    html = body(page)
    version = services.current_version(submitted)
    rows = sum(1 + len(g["indicators"]) for g in version.content["tables"]["goals"])
    rows += len(version.content["tables"]["programs"])
    sections = len(version.content["sections"])
    assert html.count('name="anchor_type" value="section"') == sections
    assert html.count('name="anchor_type" value="row"') == rows
    assert html.count('name="anchor_type" value="general"') == 1
    assert "Approve version 1" in html and "Return for revision" in html
    # The deputy and the drafters read it without review controls.
    for code in ("deputy", "head_of_section", "minister"):
        page = client_for(role_users[code]).get(URL)
        assert not page.context["reviewing"]
        assert 'name="anchor_type"' not in body(page)


def test_comments_appear_at_their_anchors(submitted, role_users, client_for):
    client = client_for(role_users["head_of_bureau"])
    response = client.post(
        f"/ministry/{YEAR}/comment/",
        {
            "version_number": 1,
            "anchor_type": "row",
            "anchor": "indicator:IKU-1",
            "dom_id": "row-2",
            "text": "Target terlalu rendah.",
            "required": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}#row-2"
    client.post(
        f"/ministry/{YEAR}/comment/",
        {"version_number": 1, "anchor_type": "section", "anchor": "penutup", "text": "Ringkas."},
    )
    client.post(
        f"/ministry/{YEAR}/comment/",
        {"version_number": 1, "anchor_type": "general", "text": "Secara umum baik."},
    )
    page = client_for(role_users["head_of_section"]).get(URL)
    content = page.context["content"]
    indicator = content["goals"][0]["indicators"][0]
    assert [n.text for n in indicator["notes"]] == ["Target terlalu rendah."]
    assert [n.text for n in content["sections"][3]["notes"]] == ["Ringkas."]
    assert [n.text for n in content["general_notes"]] == ["Secara umum baik."]
    html = body(page)
    assert "Required change" in html and "Head of bureau: u_head_of_bureau" in html


def test_a_refused_comment_keeps_the_text(submitted, role_users, client_for):
    response = client_for(role_users["head_of_bureau"]).post(
        f"/ministry/{YEAR}/comment/",
        {"version_number": 1, "anchor_type": "row", "anchor": "row:nope", "text": "Teks saya."},
    )
    assert response.status_code == 422
    assert "no such section or row" in body(response)
    response = client_for(role_users["head_of_bureau"]).post(
        f"/ministry/{YEAR}/comment/",
        {"version_number": 1, "anchor_type": "section", "anchor": "penutup", "text": ""},
    )
    assert response.status_code == 422
    response = client_for(role_users["head_of_bureau"]).post(
        f"/ministry/{YEAR}/comment/",
        {"version_number": 7, "anchor_type": "section", "anchor": "penutup", "text": "Teks."},
    )
    assert response.status_code == 409
    assert "version 7" in body(response)
    html = body(
        client_for(role_users["head_of_bureau"]).post(
            f"/ministry/{YEAR}/comment/",
            {"version_number": 7, "anchor_type": "section", "anchor": "penutup", "text": "Simpan"},
        )
    )
    assert ">Simpan</textarea>" in html and '<details class="ministry-comment small" open>' in html


def test_the_wrong_reviewer_is_refused(submitted, role_users, client_for):
    for code in ("deputy", "head_of_section", "minister"):
        response = client_for(role_users[code]).post(
            f"/ministry/{YEAR}/approve/", {"version_number": 1}
        )
        assert response.status_code == 403
        assert "Version 1 is with the head of bureau" in body(response)
    submitted.refresh_from_db()
    assert submitted.status == MinistryPlan.Status.BUREAU_REVIEW


def test_return_revise_resubmit_and_approve(submitted, role_users, client_for):
    def head():
        return client_for(role_users["head_of_bureau"])

    response = head().post(f"/ministry/{YEAR}/return/", {"version_number": 1, "changes": ""})
    assert response.status_code == 422
    assert "List the changes required" in body(response)
    response = head().post(
        f"/ministry/{YEAR}/return/",
        {"version_number": 1, "changes": "Perbaiki Bab I\nLengkapi target"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == MinistryPlan.Status.RETURNED
    # The head of section sees the required changes while revising.
    page = client_for(role_users["head_of_section"]).get(URL)
    assert page.context["editable"]
    assert [n.text for n in page.context["returned"]] == ["Perbaiki Bab I", "Lengkapi target"]
    assert "Version 1 was returned: changes required" in body(page)
    target = section(submitted)
    client_for(role_users["head_of_section"]).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": target.revision, "title": target.title, "text": "Bab I diperbaiki."},
    )
    client_for(role_users["head_of_section"]).post(f"/ministry/{YEAR}/submit/")
    # A decision on the outdated version 1 is answered with the conflict.
    response = head().post(f"/ministry/{YEAR}/approve/", {"version_number": 1})
    assert response.status_code == 409
    assert "version 2 has been submitted since" in body(response)
    response = head().post(f"/ministry/{YEAR}/approve/", {"version_number": 2})
    assert response.status_code == 302 and response["Location"] == f"{URL}#memos"
    submitted.refresh_from_db()
    assert submitted.status == MinistryPlan.Status.DEPUTY_REVIEW
    page = client_for(role_users["deputy"]).get(URL)
    assert page.context["reviewing"]
    assert [m.key for m in page.context["memos"]] == [BUREAU_TO_DEPUTY]
    html = body(page)
    assert f'href="/correspondence/{page.context["memos"][0].document.pk}/"' in html
    assert "registers, numbers and dispatches" in html
    # The comparison of the two versions shows the edit.
    page = client_for(role_users["deputy"]).get(f"/ministry/{YEAR}/compare/")
    assert page.status_code == 200
    assert "<ins" in body(page) and "diperbaiki." in body(page)


def test_the_head_of_bureau_cannot_approve_a_version_they_wrote(
    drafting, role_users, make_user, client_for
):
    writer = make_user("kabiro_penulis", Role.HEAD_OF_BUREAU, Role.HEAD_OF_SECTION)
    target = section(drafting)
    client_for(writer).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": target.revision, "title": target.title, "text": "Saya menulis ini."},
    )
    client_for(role_users["staff"]).post(f"/ministry/{YEAR}/submit/")
    page = client_for(writer).get(URL)
    assert page.context["reviewing"] and page.context["own_work"]
    assert "You wrote version 1" in body(page)
    response = client_for(writer).post(f"/ministry/{YEAR}/approve/", {"version_number": 1})
    assert response.status_code == 403
    assert "You wrote version 1; someone who did not draft it must review it." in body(response)
    drafting.refresh_from_db()
    assert drafting.status == MinistryPlan.Status.BUREAU_REVIEW
    # Someone else may.
    assert (
        client_for(role_users["head_of_bureau"])
        .post(f"/ministry/{YEAR}/approve/", {"version_number": 1})
        .status_code
        == 302
    )


def test_an_acting_head_of_bureau_reviews_with_the_badge(
    submitted, role_users, make_user, client_for
):
    plt = make_user("plt_kabiro", Role.STAFF)
    ActingAssignment.objects.create(
        user=plt,
        role=Role.HEAD_OF_BUREAU,
        kind="Plt",
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=5),
        reason="Cuti",
    )
    client = client_for(plt)
    page = client.get(URL)
    assert page.context["reviewing"]
    assert "You act as Plt. Head of Bureau" in body(page)
    client.post(
        f"/ministry/{YEAR}/comment/",
        {"version_number": 1, "anchor_type": "general", "text": "Sebagai Plt."},
    )
    assert ReviewComment.objects.get().acting == "Plt"
    assert "Plt. Head of bureau: plt_kabiro" in body(client.get(URL))


# --- The minister --------------------------------------------------------------------------


@pytest.fixture
def approved(role_users, units):
    return approved_by_deputy(role_users, units)


def deliver(plan):
    from rkpk.procedure.services import complete_step
    from rkpk.procedure.tests.factories import mover

    complete_step(actor=mover(), cycle=plan.cycle, number=10, reason="Dikirim.")


def test_the_minister_waits_for_the_memorandum(approved, role_users, client_for):
    page = client_for(role_users["minister"]).get(URL)
    assert page.context["may_sign"] and not page.context["delivered_to_minister"]
    assert [m.key for m in page.context["memos"]] == [BUREAU_TO_DEPUTY, TO_MINISTER]
    assert "has not been delivered to the minister yet" in body(page)
    assert "registers and dispatches the deputy's memorandum" in page.context["next_actor"]
    response = client_for(role_users["minister"]).post(
        f"/ministry/{YEAR}/sign/", {"version_number": 1}
    )
    assert response.status_code == 422


def test_only_the_minister_signs(approved, role_users, client_for):
    deliver(approved)
    for code in ("deputy", "head_of_bureau", "staff", "admin"):
        page = client_for(role_users[code]).get(URL)
        assert not page.context["may_sign"]
        assert "Approve and sign" not in body(page)
        response = client_for(role_users[code]).post(
            f"/ministry/{YEAR}/sign/", {"version_number": 1}
        )
        assert response.status_code == 403
        assert "Only the minister" in body(response)
    response = client_for(role_users["unit_head"]).post(
        f"/ministry/{YEAR}/sign/", {"version_number": 1}
    )
    assert response.status_code == 404


def test_the_minister_signs_and_the_final_documents_appear(approved, role_users, client_for):
    deliver(approved)
    client = client_for(role_users["minister"])
    page = client.get(URL)
    html = body(page)
    assert "Approve and sign" in html and "This cannot be undone" in html
    assert 'name="version_number" value="1"' in html
    response = client.post(f"/ministry/{YEAR}/sign/", {"version_number": 2})
    assert response.status_code == 409
    response = client.post(f"/ministry/{YEAR}/sign/", {"version_number": 1})
    assert response.status_code == 302 and response["Location"] == f"{URL}#final"
    approved.refresh_from_db()
    assert approved.status == MinistryPlan.Status.SIGNED
    page = client_for(role_users["staff"]).get(URL)
    html = body(page)
    finals = page.context["finals"]
    assert [f.document.kind for f in finals] == ["rk", "pk"]
    for final in finals:
        assert final.document.pdf_sha256 in html
        assert f"/verify/{final.document.verification_token}/" in html
        assert f'href="/ministry/{YEAR}/final/{final.document.kind}.pdf"' in html
    assert html.count("<svg") >= 2
    assert "Binding not confirmed yet" in html
    assert "sends the binding request to Biro Umum" in html
    # A signed plan is never edited again.
    target = section(approved)
    response = client_for(role_users["staff"]).post(
        f"/ministry/{YEAR}/sections/{target.key}/",
        {"revision": target.revision, "title": target.title, "text": "Setelah tanda tangan."},
    )
    assert response.status_code == 422
    target.refresh_from_db()
    assert target.text != "Setelah tanda tangan."
    response = client_for(role_users["minister"]).post(
        f"/ministry/{YEAR}/sign/", {"version_number": 1}
    )
    assert response.status_code == 422 and "already been signed" in body(response)


def test_final_downloads_and_the_published_page(approved, role_users, client_for, client):
    deliver(approved)
    services.sign(actor=role_users["minister"], plan=approved, version_number=1)
    for kind in ("rk", "pk"):
        response = client_for(role_users["head_of_bureau"]).get(
            f"/ministry/{YEAR}/final/{kind}.pdf"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for code in ("unit_operator", "viewer", "nobody"):
        assert client_for(role_users[code]).get(f"/ministry/{YEAR}/final/rk.pdf").status_code == 404
        assert client_for(role_users[code]).get(URL).status_code == 404
    assert client_for(role_users["staff"]).get(f"/ministry/{YEAR}/final/xx.pdf").status_code == 404
    services.publish(actor=role_users["staff"], cycle=approved.cycle)
    for code in ("unit_operator", "unit_head", "viewer", "nobody"):
        response = client_for(role_users[code]).get(f"/ministry/{YEAR}/final/pk.pdf")
        assert response.status_code == 200
        page = client_for(role_users[code]).get(URL)
        assert page.status_code == 200 and not page.context["inside"]
        html = body(page)
        assert "Bab I Pendahuluan" in html and "Table 1." in html
        assert html.count("<svg") >= 2
        assert 'name="anchor_type"' not in html and "Versions" not in html
        # Versions stay with the bureau.
        assert client_for(role_users[code]).get(f"/ministry/{YEAR}/versions/1/").status_code == 404
    client.logout()
    assert client.get(f"/ministry/{YEAR}/final/pk.pdf").status_code == 302


def test_a_unit_sees_whether_it_acknowledged_the_distribution(
    approved, role_users, units, client_for
):
    from rkpk.correspondence.models import Recipient
    from rkpk.ministry import procedure_documents as pd

    deliver(approved)
    services.sign(actor=role_users["minister"], plan=approved, version_number=1)
    services.publish(actor=role_users["staff"], cycle=approved.cycle)
    page = client_for(role_users["unit_operator"]).get(URL)
    assert page.context["has_units"] and page.context["unit_lines"] == []
    assert "has not been sent yet" in body(page)
    memo = pd.create_draft(actor=role_users["staff"], cycle=approved.cycle, key=pd.DISTRIBUTION)
    line = Recipient.objects.create(document=memo, unit=units["a"], name="Biro A")
    Recipient.objects.create(document=memo, unit=units["b"], name="Biro B")
    page = client_for(role_users["unit_operator"]).get(URL)
    assert [r.unit for r in page.context["unit_lines"]] == [units["a"]]
    assert "Not acknowledged yet" in body(page)
    assert f'href="/correspondence/{memo.pk}/"' in body(page)
    assert "0 of 2 units acknowledged receipt" in body(client_for(role_users["staff"]).get(URL))
    Recipient.objects.filter(pk=line.pk).update(acknowledged_at=memo.created_at)
    assert "Acknowledged</span>" in body(client_for(role_users["unit_operator"]).get(URL))
    assert "1 of 2 units acknowledged receipt" in body(client_for(role_users["staff"]).get(URL))


# --- Query counts ---------------------------------------------------------------------------


def test_the_plan_page_reads_in_constant_queries(
    submitted, role_users, client_for, django_assert_max_num_queries
):
    client = client_for(role_users["head_of_bureau"])
    client.get(URL)
    with django_assert_max_num_queries(40) as few:
        assert client.get(URL).status_code == 200
    for n in range(6):
        services.comment(
            actor=role_users["head_of_bureau"],
            plan=submitted,
            version_number=1,
            text=f"Catatan {n}",
            anchor_type="section",
            anchor="penutup",
            required=n % 2 == 0,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL)
        assert page.status_code == 200
    assert body(page).count("Catatan ") == 6


def test_the_shared_tables_carry_each_readers_form_token_and_follow_comments(
    submitted, role_users, settings, django_capture_on_commit_callbacks
):
    """The tables are rendered once for every reviewer (RKPK_PAGE_CACHE): each reader's
    forms still carry their own valid token, and a new comment shows at once."""
    import re

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from rkpk.core.cache import CSRF_SLOT as CSRF_PLACEHOLDER

    settings.RKPK_PAGE_CACHE = True
    cache.clear()
    reviewer = Client(enforce_csrf_checks=True)
    reviewer.force_login(role_users["head_of_bureau"])
    html = body(reviewer.get(URL))
    assert CSRF_PLACEHOLDER not in html
    row_form = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)">\s*'
        r'<input type="hidden" name="version_number" value="1">\s*'
        r'<input type="hidden" name="anchor_type" value="row">',
        html,
    )
    assert row_form
    # The fixtures' changes are never committed (the test's transaction) and left their
    # data-version renewal pending, which the cache counts as already asked for: forget it
    # so the comment asks for its own.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            f"/ministry/{YEAR}/comment/",
            {
                "csrfmiddlewaretoken": row_form.group(1),
                "version_number": 1,
                "anchor_type": "row",
                "anchor": "indicator:IKU-1",
                "dom_id": "row-2",
                "text": "Target terlalu rendah.",
            },
        )
    assert response.status_code == 302
    html = body(reviewer.get(URL))
    assert "Target terlalu rendah." in html and CSRF_PLACEHOLDER not in html
    # Another reader gets the same tables without the reviewer's forms.
    deputy = Client()
    deputy.force_login(role_users["deputy"])
    html = body(deputy.get(URL))
    assert "Target terlalu rendah." in html
    assert 'name="anchor_type" value="row"' not in html and CSRF_PLACEHOLDER not in html


def test_the_draft_page_reads_the_compilations_content_once(
    drafting, role_users, client_for, settings
):
    """The compiled content (megabytes for a few hundred units) is read to generate the
    tables once, not on every request for the compilation's number."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.RKPK_PAGE_CACHE = True
    cache.clear()
    client = client_for(role_users["head_of_section"])
    assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(URL)
    assert page.status_code == 200 and "compilation 1" in body(page)
    assert not [q for q in ctx.captured_queries if '"analysis_compilation"."data"' in q["sql"]]
