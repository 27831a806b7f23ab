"""The review pages: who may open what, what the version pages show, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rkpk.core.tests.role_matrix import LOGIN, row
from rkpk.organisation.models import Role
from rkpk.plans import services
from rkpk.plans.models import Indicator, Submission, UnitPlan
from rkpk.plans.tests.test_review_support import (
    make_officials,
    make_plan,
    submitted_plan,
    url,
)

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REVIEWERS = {"staff", "head_of_section", "head_of_bureau"}
UNIT_PEOPLE = {"unit_operator", "unit_head"}
HIDDEN_FROM = {"operator_b", "nobody"}
# Everyone else sees every plan (ministry roles) but neither reviews nor writes in the thread.


@pytest.fixture
def officials(units):
    return make_officials(units)


@pytest.fixture
def plan(units, officials, role_users):
    return submitted_plan(units, officials, role_users["unit_operator"])


def test_every_role_on_the_read_pages(plan, role_users, role_matrix):
    message = services.post_message(
        actor=role_users["staff"],
        plan=plan,
        body="Mohon lampirkan SK",
        files=[SimpleUploadedFile("sk.pdf", PDF)],
    )
    attachment = message.attachments.get()
    plan_args = (plan.unit.code, plan.year)
    pages = [
        ("review_submissions", ()),
        ("review_submission", (1,)),
        ("review_compare", ()),
        ("review_messages", ()),
        ("review_attachment", (attachment.pk,)),
    ]
    # The attachment answers an anonymous visitor 404 rather than sending them to log in.
    anonymous = {"review_attachment": 404}
    rows = [
        row(
            f"plans:{name}",
            *plan_args,
            *args,
            not_found=HIDDEN_FROM,
            other=200,
            anonymous=anonymous.get(name, LOGIN),
        )
        for name, args in pages
    ]
    review = dict.fromkeys(REVIEWERS, 200)
    rows.append(row("plans:review_plan", *plan_args, exact=review, not_found=HIDDEN_FROM))
    role_matrix(rows)


def test_anonymous_users_are_sent_to_the_login(plan, client):
    for name, args in [
        ("review_submissions", []),
        ("review_submission", [1]),
        ("review_plan", []),
        ("review_messages", []),
    ]:
        response = client.get(url(name, plan, *args))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_every_role_on_the_decision_endpoints(plan, role_matrix):
    """Nobody but a reviewer gets through; refusals leave the plan as it was."""
    rows = []
    for name in ("review_request_clarification", "review_return", "review_accept"):
        prefix = name.removeprefix("review_").removeprefix("request_")
        data = {f"{prefix}-version": 1, f"{prefix}-reasons": ["FORM"]}
        rows.append(
            # A reviewer's decision would change the plan; the decisions have their own tests.
            row(
                f"plans:{name}",
                plan.unit.code,
                plan.year,
                method="post",
                data=data,
                skip=REVIEWERS,
                not_found=HIDDEN_FROM,
            )
        )
    role_matrix(rows)
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.SUBMITTED
    assert Submission.objects.get(plan=plan).decision == Submission.Decision.PENDING


def test_every_role_posting_in_the_thread(plan, role_matrix):
    may_post = REVIEWERS | UNIT_PEOPLE
    post = row(
        "plans:review_messages",
        plan.unit.code,
        plan.year,
        method="post",
        data=lambda code: {"body": f"from {code}"},
        exact=dict.fromkeys(may_post, 302),
        not_found=HIDDEN_FROM,
    )
    role_matrix([post])
    authors = set(plan.messages.values_list("author__username", flat=True))
    assert authors == {f"u_{code}" for code in may_post}


def test_the_post_form_is_shown_only_to_those_who_may_post(plan, role_users, client_for):
    page = url("review_messages", plan)
    assert 'name="body"' in client_for(role_users["unit_operator"]).get(page).content.decode()
    assert 'name="body"' in client_for(role_users["staff"]).get(page).content.decode()
    assert 'name="body"' not in client_for(role_users["deputy"]).get(page).content.decode()


def test_unit_people_see_no_decision_and_no_review_tab(plan, role_users, client_for):
    body = client_for(role_users["unit_operator"]).get(url("review_submissions", plan))
    text = body.content.decode()
    assert url("review_plan", plan) not in text
    staff_text = client_for(role_users["staff"]).get(url("review_submissions", plan))
    assert url("review_plan", plan) in staff_text.content.decode()


def test_a_plan_of_another_year_or_unit_is_404(plan, role_users, client_for):
    client = client_for(role_users["staff"])
    assert client.get(f"/plans/{plan.unit.code}/2031/submissions/").status_code == 404
    assert client.get("/plans/NOPE/2027/submissions/").status_code == 404
    assert client.get(url("review_submission", plan, 7)).status_code == 404


def test_submissions_list_shows_versions_decisions_reasons_and_checks(plan, role_users, client_for):
    services.request_clarification(
        actor=role_users["staff"], plan=plan, reasons=["TARGET", "SATUAN"], remarks="Cek target"
    )
    services.submit(actor=role_users["unit_operator"], plan=plan)
    page = client_for(role_users["head_of_bureau"]).get(url("review_submissions", plan))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Version 2" in text and "Version 1" in text
    assert "Clarification requested" in text and "Awaiting the bureau" in text
    assert "u_unit_operator" in text and "u_staff" in text
    # Reasons in the current language (English in tests), not their codes or Indonesian texts.
    assert "A performance target is missing or invalid" in text
    assert "An indicator has no unit of measure" in text
    assert "Target kinerja belum diisi" not in text
    assert "Cek target" in text
    # Check summary per version: the fixture plan passes every rule.
    assert text.count("13 passed") == 2
    assert "?a=1&amp;b=2" in text


def test_reasons_are_shown_in_indonesian_when_the_ui_is(plan, role_users, client_for, settings):
    services.return_plan(actor=role_users["staff"], plan=plan, reasons=["TARGET"])
    client = client_for(role_users["staff"])
    client.cookies["django_language"] = "id"
    text = client.get(url("review_submissions", plan), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Target kinerja belum diisi atau tidak valid" in text


def test_the_version_page_shows_the_frozen_content(plan, officials, role_users, client_for):
    client = client_for(role_users["unit_head"])
    page = client.get(url("review_submission", plan, 1))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Budi Santoso" in text and "197001012000031001" in text
    assert "Meningkatnya akuntabilitas kinerja unit" in text
    assert "Persentase laporan kinerja tepat waktu nomor 1" in text
    assert "81%" in text  # the percentage target, by its display text
    # Each program's budget counts once (its activities add up to it).
    assert text.count("Rp1.500.000") == 3
    assert "Form-conformity checks" in text

    # The official is renamed and the indicator edited after the submission:
    # the version still shows what was submitted.
    officials["head"].name = "Nama Baru Setelah Pengajuan"
    officials["head"].position = "Jabatan Baru"
    officials["head"].save()
    Indicator.objects.filter(plan=plan, code="IK1").update(name="Indikator yang diubah kemudian")
    text = client.get(url("review_submission", plan, 1)).content.decode()
    assert "Budi Santoso" in text and "Kepala Biro A" in text
    assert "Nama Baru Setelah Pengajuan" not in text and "Jabatan Baru" not in text
    assert "Indikator yang diubah kemudian" not in text


def test_acting_party_is_printed_with_its_flag(units, officials, role_users, client_for):
    plan = make_plan(units["a"], officials)
    UnitPlan.objects.filter(pk=plan.pk).update(first_party_acting="Plt")
    services.submit(actor=role_users["unit_operator"], plan=plan)
    text = client_for(role_users["staff"]).get(url("review_submission", plan, 1)).content.decode()
    assert "Plt. Budi Santoso" in text


def test_script_strings_are_shown_as_text(units, officials, role_users, client_for):
    script = "<script>alert('x')</script>"
    plan = make_plan(units["a"], officials)
    Indicator.objects.filter(plan=plan, code="IK1").update(name=f"Indikator {script}")
    plan.goals.update(text=f"Sasaran {script}")
    services.submit(actor=role_users["unit_operator"], plan=plan)
    services.post_message(
        actor=role_users["unit_operator"], plan=plan, body=f"Halo {script}\nbaris 2"
    )
    services.request_clarification(actor=role_users["staff"], plan=plan, remarks=script)
    Indicator.objects.filter(plan=plan, code="IK2").update(definition=f"Definisi {script}")
    services.submit(actor=role_users["unit_operator"], plan=plan)
    staff = client_for(role_users["staff"])
    for page in (
        url("review_submission", plan, 1),
        url("review_messages", plan),
        url("review_plan", plan),
        url("review_submissions", plan),
        url("review_compare", plan),
    ):
        text = staff.get(page).content.decode()
        assert script not in text, page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text, page
    thread = staff.get(url("review_messages", plan)).content.decode()
    assert "baris 2" in thread and "<br>baris 2" in thread


def test_the_submissions_list_query_count_does_not_grow(
    plan, role_users, client_for, django_assert_max_num_queries
):
    client = client_for(role_users["staff"])
    page = url("review_submissions", plan)
    with django_assert_max_num_queries(9) as small:
        assert client.get(page).status_code == 200
    for _round in range(4):
        services.request_clarification(actor=role_users["staff"], plan=plan, reasons=["FORM"])
        services.submit(actor=role_users["unit_operator"], plan=plan)
    assert plan.submissions.count() == 5
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page)
        assert response.status_code == 200
    assert response.content.decode().count('id="version-') == 5


def test_the_thread_query_count_does_not_grow(
    plan, role_users, client_for, django_assert_max_num_queries
):
    client = client_for(role_users["unit_operator"])
    page = url("review_messages", plan)
    services.post_message(actor=role_users["staff"], plan=plan, body="pertama")
    with django_assert_max_num_queries(12) as small:
        assert client.get(page).status_code == 200
    for n in range(6):
        author = role_users["staff"] if n % 2 else role_users["unit_head"]
        services.post_message(
            actor=author, plan=plan, body=f"pesan {n}", files=[SimpleUploadedFile(f"{n}.pdf", PDF)]
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page)
        assert response.status_code == 200
    assert response.content.decode().count('id="message-') == 7


def test_the_plan_page_partial_links_reviewers_to_the_decision(plan, role_users, rf):
    from django.template.loader import render_to_string

    for code, expect_review in (("staff", True), ("unit_operator", False)):
        request = rf.get("/")
        request.user = role_users[code]
        html = render_to_string(
            "plans/_plan_actions_review.html",
            {"plan": plan, "latest_submission": plan.submissions.first()},
            request=request,
        )
        assert url("review_submissions", plan) in html
        assert url("review_messages", plan) in html
        assert (url("review_plan", plan) in html) is expect_review, code
        assert "Awaiting the bureau" in html


def test_a_role_user_fixture_matches_the_expectations(role_users):
    """Guards the tables above: every role is classified."""
    codes = {r.value for r in Role} | HIDDEN_FROM
    assert set(role_users) == codes
