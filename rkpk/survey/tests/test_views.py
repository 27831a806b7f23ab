"""The survey pages for every role: the list, answering (form, twice, out of range, another
unit, closed), the results (bureau, leadership, units), export, closing, opening, the
questionnaire's editor; query counts of the results page."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from rkpk.survey import services
from rkpk.survey.models import Questionnaire, Response, Survey
from rkpk.survey.tests.conftest import scores_of

pytestmark = [pytest.mark.django_db]
READERS = ["admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister", "viewer"]
BUREAU = ["staff", "head_of_section", "head_of_bureau"]


def _post_answer(client, survey, unit, scores=None, **extra):
    data = {code: str(v) for code, v in (scores or scores_of(4)).items()}
    data.update(extra)
    return client.post(f"/survey/{survey.pk}/answer/{unit.code}/", data)


# --- The list ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_list_for_readers(survey, role_users, client_for, role):
    page = client_for(role_users[role]).get("/survey/")
    assert page.status_code == 200
    assert [s.pk for s in page.context["surveys"]] == [survey.pk]
    assert page.context["invitations"] == []


@pytest.mark.parametrize("role", ["unit_operator", "unit_head"])
def test_list_for_unit_people(survey, role_users, client_for, role):
    page = client_for(role_users[role]).get("/survey/")
    assert page.status_code == 200
    assert page.context["surveys"] == []
    [invitation] = page.context["invitations"]
    assert invitation.can_answer
    assert f"/survey/{survey.pk}/answer/E1.A/" in page.content.decode()


def test_list_refused(role_users, client_for):
    for role in ("nobody", "general_bureau"):
        assert client_for(role_users[role]).get("/survey/").status_code == 403


def test_list_empty_states(role_users, client_for, units):
    assert (
        "No satisfaction survey yet"
        in client_for(role_users["staff"]).get("/survey/").content.decode()
    )
    assert (
        "has not been asked"
        in client_for(role_users["unit_operator"]).get("/survey/").content.decode()
    )


def test_open_button_and_opening(distributed, role_users, client_for, units):
    client = client_for(role_users["staff"])
    page = client.get("/survey/")
    assert page.context["open_form"] is not None
    assert "data-confirm" in page.content.decode()
    opened = client.post("/survey/open/", {"cycle": distributed.pk})
    survey = Survey.objects.get()
    assert opened.status_code == 302 and opened["Location"] == f"/survey/{survey.pk}/"
    assert survey.invitations.count() == 3
    assert client.get("/survey/").context["open_form"] is None  # nothing left to open


@pytest.mark.parametrize("role", ["deputy", "viewer", "unit_operator", "nobody"])
def test_opening_refused(distributed, role_users, client_for, role):
    client = client_for(role_users[role])
    assert client.post("/survey/open/", {"cycle": distributed.pk}).status_code == 403
    assert not Survey.objects.exists()


def test_opening_a_cycle_not_distributed(role_users, client_for, units):
    from rkpk.procedure.tests.factories import cycle_done_through

    cycle = cycle_done_through(12)
    response = client_for(role_users["staff"]).post(
        "/survey/open/", {"cycle": cycle.pk}, follow=True
    )
    assert "step 13" in response.content.decode()
    assert not Survey.objects.exists()


# --- Answering -----------------------------------------------------------------------------


def test_answer_form_is_accessible(survey, role_users, client_for, units):
    page = client_for(role_users["unit_operator"]).get(f"/survey/{survey.pk}/answer/E1.A/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == 10 and html.count("<legend") == 10
    assert html.count('type="radio"') == 36
    assert "Waktu Penyelesaian" in html and "Sangat sopan dan ramah" in html
    assert 'for="id_U1_0"' in html and 'id="id_U1_0"' in html


def test_answer_and_thanks(survey, role_users, client_for, units):
    client = client_for(role_users["unit_head"])
    response = _post_answer(client, survey, units["a"], suggestion="Lebih cepat", gender="L")
    assert response.status_code == 302
    assert response["Location"] == f"/survey/{survey.pk}/thanks/E1.A/"
    assert "Thank you" in client.get(response["Location"]).content.decode()
    saved = Response.objects.get()
    assert saved.unit == units["a"] and saved.gender == "L" and saved.suggestion == "Lebih cepat"
    detail = client.get(f"/survey/{survey.pk}/")
    [row] = detail.context["unit_rows"]
    assert row["response"].pk == saved.pk and len(row["answers"]) == 9
    assert detail.context["result"] is None  # the overall result waits for the closing
    assert "once the survey is closed" in detail.content.decode()


def test_answering_twice_in_the_pages(survey, role_users, client_for, units):
    _post_answer(client_for(role_users["unit_operator"]), survey, units["a"])
    client = client_for(role_users["unit_head"])
    again = _post_answer(client, survey, units["a"], scores_of(1))
    assert again.status_code == 302 and again["Location"] == f"/survey/{survey.pk}/"
    assert "already answered" in client.get(again["Location"]).content.decode()
    assert client.get(f"/survey/{survey.pk}/answer/E1.A/").status_code == 302
    assert Response.objects.count() == 1
    assert set(Response.objects.get().answers.values_list("score", flat=True)) == {4}


def test_answer_out_of_range_and_missing(survey, role_users, client_for, units):
    client = client_for(role_users["unit_operator"])
    bad = _post_answer(client, survey, units["a"], scores_of(4) | {"U5": 5})
    assert bad.status_code == 422
    assert "U5" in bad.context["form"].errors
    missing = scores_of(4)
    del missing["U7"]
    page = _post_answer(client, survey, units["a"], missing)
    assert page.status_code == 422
    assert page.context["form"].errors["U7"] == ["Choose one answer."]
    assert not Response.objects.exists()


def test_answer_for_another_unit(survey, role_users, client_for, units):
    client = client_for(role_users["operator_b"])
    assert client.get(f"/survey/{survey.pk}/answer/E1.A/").status_code == 403
    assert _post_answer(client, survey, units["a"]).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize("role", ["staff", "head_of_bureau", "viewer", "nobody"])
def test_answer_refused_without_a_unit(survey, role_users, client_for, units, role):
    assert _post_answer(client_for(role_users[role]), survey, units["a"]).status_code == 403


def test_answer_after_closing(survey, role_users, client_for, units):
    services.close(actor=role_users["staff"], survey=survey)
    client = client_for(role_users["unit_operator"])
    response = _post_answer(client, survey, units["a"])
    assert response.status_code == 302
    assert "The survey is closed" in client.get(response["Location"]).content.decode()
    assert not Response.objects.exists()


# --- Results -------------------------------------------------------------------------------


@pytest.fixture
def answered(survey, role_users, units, root_head, answer_as):
    answer_as(
        root_head, survey, units["root"], scores_of(4, 4, 3, 3, 4, 3, 4, 2, 3), suggestion="=1+1"
    )
    answer_as(role_users["unit_operator"], survey, units["a"], scores_of(3, 4, 3, 2, 4, 3, 4, 3, 3))
    return survey


@pytest.mark.parametrize("role", READERS)
def test_results_for_readers(answered, role_users, client_for, role):
    page = client_for(role_users[role]).get(f"/survey/{answered.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    result = page.context["result"]
    # Element sums over the two answers: 7 8 6 5 8 6 8 5 6 = 59, so the averages add up
    # to 59/2 = 29.5; ÷ 9 × 25 = 81.944… → 81.94 (B)
    assert str(result.index) == "81.94" and result.grade.letter == "B"
    assert 'id="element-chart"' in html and '<title id="chart-title">' in html and "<desc" in html
    assert 'id="element-table"' in html and 'id="unanswered-units"' in html
    assert "Biro B" in html  # not answered yet
    assert ("=1+1" in html) is (role in BUREAU)
    assert ("Close the survey" in html) is (role in BUREAU + ["admin"])


def test_results_for_unit_people_once_closed(answered, role_users, client_for):
    client = client_for(role_users["operator_b"])
    before = client.get(f"/survey/{answered.pk}/")
    assert before.status_code == 200 and before.context["result"] is None
    services.close(actor=role_users["staff"], survey=answered)
    after = client.get(f"/survey/{answered.pk}/")
    html = after.content.decode()
    assert str(after.context["result"].index) == "81.94"
    assert "did not answer" in html
    assert "=1+1" not in html and 'id="unanswered-units"' not in html
    assert client.get(f"/survey/{answered.pk}/results.xlsx").status_code == 403


def test_results_hidden_from_others(answered, role_users, client_for):
    assert client_for(role_users["nobody"]).get(f"/survey/{answered.pk}/").status_code == 404
    assert (
        client_for(role_users["general_bureau"]).get(f"/survey/{answered.pk}/").status_code == 404
    )


@pytest.mark.parametrize(("role", "sheets"), [
    ("staff", ["Summary", "Elements", "Not answered", "Suggestions", "Responses"]),
    ("deputy", ["Summary", "Elements", "Not answered"]),
])  # fmt: skip
def test_export(answered, role_users, client_for, role, sheets):
    response = client_for(role_users[role]).get(f"/survey/{answered.pk}/results.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('rkpk-survei-kepuasan-2027.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == sheets
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Satisfaction index (IKM)"] == 81.94
    assert summary["Grade"] == "B (Baik)"
    assert book["Elements"]["A2"].value == "U1" and book["Elements"]["D2"].value == 3.5
    if "Suggestions" in sheets:
        assert book["Suggestions"]["C2"].value == "'=1+1"  # no formula
        assert book["Responses"].max_row == 3


@pytest.mark.parametrize("role", ["unit_operator", "general_bureau", "nobody"])
def test_export_refused(answered, role_users, client_for, role):
    assert (
        client_for(role_users[role]).get(f"/survey/{answered.pk}/results.xlsx").status_code == 403
    )


def test_close_in_the_pages(survey, role_users, client_for):
    for role in ("deputy", "viewer", "unit_operator"):
        assert client_for(role_users[role]).post(f"/survey/{survey.pk}/close/").status_code == 403
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    client = client_for(role_users["head_of_bureau"])
    page = client.get(f"/survey/{survey.pk}/").content.decode()
    assert f'action="/survey/{survey.pk}/close/" data-confirm=' in page
    assert client.post(f"/survey/{survey.pk}/close/").status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    again = client.post(f"/survey/{survey.pk}/close/", follow=True)
    assert "already closed" in again.content.decode()


def test_results_page_queries_constant(survey, role_users, client_for, many_units, answer_as,
                                       django_assert_max_num_queries):  # fmt: skip
    staff = client_for(role_users["staff"])
    few = many_units(2, "F")
    # The units created after the opening are not invited: invite them for the test.
    from rkpk.survey.models import Invitation

    def invite_and_answer(pairs):
        for unit, operator in pairs:
            Invitation.objects.create(survey=survey, unit=unit, sent_at=survey.opened_at)
            answer_as(operator, survey, unit, scores_of(3))

    invite_and_answer(few)
    staff.get(f"/survey/{survey.pk}/")
    with django_assert_max_num_queries(60) as small:
        assert staff.get(f"/survey/{survey.pk}/").status_code == 200
    with django_assert_max_num_queries(60) as small_list:
        assert staff.get("/survey/").status_code == 200
    invite_and_answer(many_units(25, "M"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = staff.get(f"/survey/{survey.pk}/")
        assert page.status_code == 200
    assert page.context["result"].respondents == 27
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert staff.get("/survey/").status_code == 200


# --- The questionnaire ---------------------------------------------------------------------


def test_questionnaire_editor(role_users, client_for):
    for role in ("staff", "head_of_bureau", "unit_operator"):
        assert client_for(role_users[role]).get("/survey/questionnaire/").status_code == 403
    client = client_for(role_users["admin"])
    page = client.get("/survey/questionnaire/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["U9-name"] = "Sarana, Prasarana dan Aplikasi"
    assert client.post("/survey/questionnaire/", data).status_code == 302
    assert (
        Questionnaire.objects.get().elements.get(code="U9").name == "Sarana, Prasarana dan Aplikasi"
    )
    data["U9-option_1"] = ""
    invalid = client.post("/survey/questionnaire/", data)
    assert invalid.status_code == 422 and "U9-option_1" in invalid.context["form"].errors
