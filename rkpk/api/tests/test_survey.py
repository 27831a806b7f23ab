"""API of the satisfaction survey: allowed and refused roles, answering (422 out of range or
missing, 409 twice, 403 for another unit, 422 after closing), results per role, opening
(idempotent) and closing."""

import pytest

from rkpk.organisation.models import Role
from rkpk.procedure.tests.factories import cycle_done_through
from rkpk.survey import services
from rkpk.survey.models import ELEMENT_CODES, Element, Questionnaire, Response, Survey
from rkpk.survey.reference_data import load

API = "/api/v1"
JSON = "application/json"
pytestmark = [pytest.mark.django_db]
READERS = ["admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister", "viewer"]


def _scores(*values):
    values = values * 9 if len(values) == 1 else values
    return dict(zip(ELEMENT_CODES, values, strict=True))


@pytest.fixture
def distributed(db):
    load(Questionnaire, Element)  # a transactional run may have flushed the migration's seed
    return cycle_done_through(13, year=2027, start_next=False)


@pytest.fixture
def survey(distributed, role_users, units):
    return services.open_for_cycle(actor=role_users["staff"], cycle=distributed)


def _answer(client, survey, unit="E1.A", scores=None, **extra):
    body = {"unit": unit, "scores": scores or _scores(4)} | extra
    return client.post(f"{API}/surveys/{survey.pk}/responses", body, content_type=JSON)


def test_unauthenticated(api_as, survey):
    assert api_as(None).get(f"{API}/surveys").status_code == 401


# --- Opening -------------------------------------------------------------------------------


def test_open_idempotent(api_as, role_users, distributed, units):
    client = api_as(role_users["staff"])
    first = client.post(f"{API}/surveys", {"year": 2027}, content_type=JSON)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["invited"] == 3 and body["answered"] == 0 and body["status"] == "open"
    assert [e["code"] for e in body["questionnaire"]["elements"]] == list(ELEMENT_CODES)
    assert body["questionnaire"]["elements"][3]["options"][3] == {"score": 4, "label": "Gratis"}
    again = api_as(role_users["head_of_bureau"]).post(
        f"{API}/surveys", {"year": 2027}, content_type=JSON
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Survey.objects.count() == 1
    assert client.post(f"{API}/surveys", {"year": 2031}, content_type=JSON).status_code == 404


@pytest.mark.parametrize(
    "role", ["deputy", "minister", "viewer", "unit_operator", "general_bureau", "nobody"]
)
def test_open_refused(api_as, role_users, distributed, role):
    response = api_as(role_users[role]).post(f"{API}/surveys", {"year": 2027}, content_type=JSON)
    assert response.status_code == 403
    assert not Survey.objects.exists()


def test_open_before_distribution(api_as, role_users, units):
    load(Questionnaire, Element)
    cycle_done_through(12, year=2027)
    response = api_as(role_users["staff"]).post(f"{API}/surveys", {"year": 2027}, content_type=JSON)
    assert response.status_code == 422 and "step 13" in response.json()["detail"]


# --- Reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_list_and_detail_for_readers(api_as, role_users, survey, role):
    client = api_as(role_users[role])
    listed = client.get(f"{API}/surveys")
    assert listed.status_code == 200
    [item] = listed.json()
    assert item["id"] == survey.pk and item["invited"] == 3 and item["my_units"] == []
    assert client.get(f"{API}/surveys/{survey.pk}").status_code == 200


def test_list_and_detail_for_unit_people(api_as, role_users, survey):
    client = api_as(role_users["unit_operator"])
    [item] = client.get(f"{API}/surveys").json()
    assert item["invited"] is None
    assert item["my_units"] == [
        {"unit": {"code": "E1.A", "name": "Biro A"}, "answered_at": None, "can_answer": True}
    ]
    detail = client.get(f"{API}/surveys/{survey.pk}").json()
    assert detail["questionnaire"]["elements"][0]["name"] == "Persyaratan"


@pytest.mark.parametrize("role", ["general_bureau", "nobody"])
def test_list_refused(api_as, role_users, survey, role):
    client = api_as(role_users[role])
    assert client.get(f"{API}/surveys").status_code == 403
    assert client.get(f"{API}/surveys/{survey.pk}").status_code == 403


# --- Answering -----------------------------------------------------------------------------


def test_answer(api_as, role_users, survey):
    response = _answer(
        api_as(role_users["unit_head"]),
        survey,
        scores=_scores(4, 3, 2, 1, 4, 3, 2, 1, 4),
        suggestion="Terima kasih",
        profile={"gender": "P", "age_range": "30_39"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scores"] == _scores(4, 3, 2, 1, 4, 3, 2, 1, 4)
    assert body["unit"]["code"] == "E1.A" and body["respondent"] == "u_unit_head"
    assert body["profile"] == {"gender": "P", "age_range": "30_39", "education": ""}


@pytest.mark.parametrize("bad", [0, 5, -2, 99])
def test_answer_out_of_range_is_422(api_as, role_users, survey, bad):
    response = _answer(api_as(role_users["unit_operator"]), survey, scores=_scores(4) | {"U6": bad})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "U6"
    assert "U6 Kompetensi Pelaksana" in body["detail"]
    assert not Response.objects.exists()


def test_answer_missing_element_or_not_a_number_is_422(api_as, role_users, survey):
    client = api_as(role_users["unit_operator"])
    scores = _scores(4)
    del scores["U2"]
    missing = _answer(client, survey, scores=scores)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "U2"
    text = _answer(client, survey, scores=_scores(4) | {"U1": "sangat"})
    assert text.status_code == 422 and text.json()["errors"][0]["field"] == "scores.U1"
    assert _answer(client, survey, profile={"gender": "X"}).status_code == 422
    assert not Response.objects.exists()


def test_answering_twice_is_409(api_as, role_users, survey):
    assert _answer(api_as(role_users["unit_operator"]), survey).status_code == 201
    again = _answer(api_as(role_users["unit_head"]), survey, scores=_scores(1))
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert Response.objects.count() == 1


def test_answer_for_another_unit_is_403(api_as, role_users, survey):
    assert _answer(api_as(role_users["operator_b"]), survey, unit="E1.A").status_code == 403
    assert _answer(api_as(role_users["operator_b"]), survey, unit="NOPE").status_code == 404
    assert not Response.objects.exists()


@pytest.mark.parametrize("role", ["staff", "head_of_bureau", "deputy", "viewer", "admin", "nobody"])
def test_answer_refused_without_a_unit_role(api_as, role_users, survey, role):
    assert _answer(api_as(role_users[role]), survey).status_code == 403


def test_answer_after_closing_is_422(api_as, role_users, survey):
    services.close(actor=role_users["staff"], survey=survey)
    response = _answer(api_as(role_users["unit_operator"]), survey)
    assert response.status_code == 422 and "closed" in response.json()["detail"]


# --- Results and closing -------------------------------------------------------------------


@pytest.fixture
def answered(survey, role_users, units, make_user):
    root_head = make_user("u_root_head", (Role.UNIT_HEAD, units["root"]))
    services.answer(
        actor=root_head,
        survey=survey,
        unit=units["root"],
        scores=_scores(4, 4, 3, 3, 4, 3, 4, 2, 3),
        suggestion="Saran A",
    )
    services.answer(
        actor=role_users["unit_operator"],
        survey=survey,
        unit=units["a"],
        scores=_scores(3, 4, 3, 2, 4, 3, 4, 3, 3),
    )
    services.answer(actor=role_users["operator_b"], survey=survey, unit=units["b"],
                    scores=_scores(4, 3, 2, 4, 4, 3, 3, 3, 4))  # fmt: skip
    return survey


@pytest.mark.parametrize("role", READERS)
def test_results_for_readers(api_as, role_users, answered, role):
    response = api_as(role_users[role]).get(f"{API}/surveys/{answered.pk}/results")
    assert response.status_code == 200
    body = response.json()
    # By hand: element sums 11 11 8 9 12 9 11 8 10 over three units; (89/3) / 9 × 25 = 82.41
    assert body["index"] == "82.41" and body["grade"]["letter"] == "B"
    assert body["grade"]["label_id"] == "Baik"
    assert body["respondents"] == 3 and body["response_rate"] == "100.00"
    u1 = body["elements"][0]
    assert u1 == {
        "code": "U1", "name": "Persyaratan", "answers": 3, "average": "3.67",
        "weighted": "0.4074", "converted": "91.67", "grade": "A",
        "distribution": {"1": 0, "2": 0, "3": 1, "4": 2},
    }  # fmt: skip
    bureau = role in ("staff", "head_of_section", "head_of_bureau")
    assert (body["suggestions"] is not None) is bureau
    if bureau:
        assert [s["text"] for s in body["suggestions"]] == ["Saran A"]


def test_results_for_unit_people(api_as, role_users, answered):
    client = api_as(role_users["unit_operator"])
    open_body = client.get(f"{API}/surveys/{answered.pk}/results").json()
    assert open_body["results"] is None
    [own] = open_body["responses"]
    assert own["unit"]["code"] == "E1.A" and own["scores"]["U1"] == 3
    services.close(actor=role_users["staff"], survey=answered)
    closed = client.get(f"{API}/surveys/{answered.pk}/results").json()
    assert closed["results"]["index"] == "82.41"
    assert closed["results"]["suggestions"] is None and closed["results"]["unanswered"] == []


@pytest.mark.parametrize("role", ["general_bureau", "nobody"])
def test_results_refused(api_as, role_users, answered, role):
    assert api_as(role_users[role]).get(f"{API}/surveys/{answered.pk}/results").status_code == 403


def test_results_of_a_survey_not_yours_is_404(api_as, make_user, answered):
    from rkpk.organisation.models import Unit

    other = Unit.objects.create(code="OTHER", name="Unit lain", level=2)
    operator = make_user("op_other", (Role.UNIT_OPERATOR, other))
    assert api_as(operator).get(f"{API}/surveys/{answered.pk}/results").status_code == 404
    assert api_as(operator).get(f"{API}/surveys").json() == []


def test_close(api_as, role_users, survey):
    for role in ("deputy", "viewer", "unit_operator", "nobody"):
        assert api_as(role_users[role]).post(f"{API}/surveys/{survey.pk}/close").status_code == 403
    client = api_as(role_users["head_of_section"])
    closed = client.post(f"{API}/surveys/{survey.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["accepts_answers"] is False
    assert client.post(f"{API}/surveys/{survey.pk}/close").status_code == 422


def test_results_queries_constant(
    api_as, role_users, answered, make_user, django_assert_max_num_queries
):
    from rkpk.organisation.models import Unit
    from rkpk.survey.models import Invitation

    client = api_as(role_users["staff"])
    client.get(f"{API}/surveys/{answered.pk}/results")
    with django_assert_max_num_queries(40) as few:
        assert client.get(f"{API}/surveys/{answered.pk}/results").status_code == 200
    for i in range(15):
        unit = Unit.objects.create(code=f"M{i}", name=f"Unit {i}", level=2)
        Invitation.objects.create(survey=answered, unit=unit, sent_at=answered.opened_at)
        operator = make_user(f"op_m{i}", (Role.UNIT_OPERATOR, unit))
        services.answer(
            actor=operator, survey=answered, unit=unit, scores=_scores(2), suggestion="s"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{API}/surveys/{answered.pk}/results")
    assert response.status_code == 200
    body = response.json()
    assert body["respondents"] == 18 and len(body["suggestions"]) == 16
