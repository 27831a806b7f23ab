"""One validator for every path a plan row arrives by (issue 13.4): the same bad rows sent
through the editor, the workbook upload, the API (POST and PATCH) and the copy of last year's
plan are refused on the same field with the same message, and nothing is written."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rkpk.plans import excel, services, services_content, validation
from rkpk.plans.excel import COLUMNS, FIELD_COLUMNS, INDICATORS, columns
from rkpk.plans.models import Goal, Indicator, MeasureUnit, UnitPlan

pytestmark = pytest.mark.django_db

YEAR = 2027
HX = {"HTTP_HX_REQUEST": "true"}
GOOD = {
    "code": "IK1",
    "name": "Persentase layanan tepat waktu",
    "measure": "Persen",
    "polarity": "higher",
    "indicator_type": "outcome",
    "target_kind": "number",
    "target_value": "80",
    "target_min": "",
    "target_max": "",
    "target_text": "",
}
# (what is wrong, the fields that differ from GOOD, the field the refusal names)
BAD_ROWS = [
    ("unknown satuan", {"measure": "Ekor"}, "measure"),
    ("inactive satuan", {"measure": "Kali"}, "measure"),
    (
        "qualitative value not on the list",
        {"target_kind": "qualitative", "target_value": "", "target_text": "Luar biasa"},
        "target_text",
    ),
    ("target not a number", {"target_value": "delapan puluh"}, "target_value"),
    (
        "range with min > max",
        {"target_kind": "range", "target_value": "", "target_min": "95", "target_max": "90"},
        "target_max",
    ),
    ("38-digit target", {"target_value": "1" + "0" * 37}, "target_value"),
    ("empty indicator name", {"name": ""}, "name"),
    ("percentage above 1000", {"target_kind": "percent", "target_value": "1500"}, "target_value"),
]
# What the copy of last year's plan takes of a row: not its targets (the new year sets its
# own), so only these bad rows reach it.
COPIED_FIELDS = {"measure", "name"}
KIND_LABELS = {k: v for k, v in excel.KIND_LABELS.items()}


@pytest.fixture
def setup(units, role_users):
    MeasureUnit.objects.filter(name="Kali").update(is_active=False)
    plan = UnitPlan.objects.create(unit=units["a"], year=YEAR)
    goal = Goal.objects.create(plan=plan, code="S1", text="Sasaran 1", position=1)
    row = services.create_row(
        actor=role_users["unit_operator"], model=Indicator, plan=plan, goal=goal, **clean(GOOD)
    )
    return plan, goal, row


def clean(values: dict) -> dict:
    return {k: (None if v == "" and k.startswith("target_") and k != "target_text" else v)
            for k, v in values.items()}  # fmt: skip


def state(plan) -> tuple:
    plan = UnitPlan.objects.get(pk=plan.pk)
    return (plan.revision, excel.content_fingerprint(plan), Indicator.objects.count())


def expected(changes: dict, field: str) -> str:
    """The one validator's message, asked directly."""
    errors = validation.row_errors(Indicator, {**GOOD, **changes})
    return errors[field]


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- the paths ------------------------------------------------------------------------------


def through_editor(plan, goal, row, changes, operator) -> dict[str, list[str]]:
    base = f"/plans/{plan.unit.code}/{YEAR}"
    response = client(operator).post(
        f"{base}/indicator/new/", {**GOOD, **changes, "goal": goal.pk, "in_pk": "on"}, **HX
    )
    assert response.status_code == 200
    new = dict(response.context["form"].errors)
    response = client(operator).post(
        f"{base}/indicator/{row.pk}/edit/",
        {**GOOD, **changes, "goal": goal.pk, "in_pk": "on", "revision": row.revision},
        **HX,
    )
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == new  # the edit is judged as the add
    return new


def through_api(plan, goal, row, changes, operator) -> dict[str, list[str]]:
    base = f"/api/v1/plans/{plan.unit.code}/{YEAR}/rows/indicators"
    body = {**GOOD, **changes, "goal_id": goal.pk}
    c = client(operator)
    found = []
    for response in (
        c.post(base, json.dumps(body), content_type="application/json"),
        c.patch(
            f"{base}/{row.pk}",
            json.dumps({**body, "revision": row.revision}),
            content_type="application/json",
        ),
    ):
        assert response.status_code in (400, 422), response.content
        errors: dict[str, list[str]] = {}
        for e in response.json()["errors"]:
            errors.setdefault(e["field"], []).append(e["message"])
        found.append(errors)
    assert found[0] == found[1]  # PATCH is judged as POST
    return found[0]


def _column_field(header: str) -> str:
    key = next(c.key for c in COLUMNS[INDICATORS] if c.header == header)
    return {v: k for k, v in FIELD_COLUMNS.items()}.get(key, key)


def through_workbook(plan, goal, row, changes, operator) -> dict[str, list[str]]:
    wb = load_workbook(io.BytesIO(excel.build_workbook(plan)))
    ws = wb[INDICATORS]
    values = {**GOOD, **changes}
    cells = {
        "name": values["name"] or None,
        "measure": values["measure"],
        "kind": KIND_LABELS[values["target_kind"]],
        "target": values["target_value"] or None,
        "target_min": values["target_min"] or None,
        "target_max": values["target_max"] or None,
        "target_text": values["target_text"] or None,
    }
    for key, value in cells.items():
        ws[f"{columns.letter_of(INDICATORS, key)}2"] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("rkpk.xlsx", buffer.getvalue())
    response = client(operator).post(
        reverse("plans:excel_upload", args=[plan.unit.code, YEAR]), {"file": upload}
    )
    assert response.status_code == 200
    errors: dict[str, list[str]] = {}
    for e in response.context["errors"]:
        if e.row == 2 and e.sheet == INDICATORS:
            errors.setdefault(_column_field(e.field), []).append(e.message)
    # A value not on a list is reported once per value, naming its cells.
    for group in response.context["unknown_values"]:
        message = next(e.message for e in response.context["errors"] if e.row is None)
        for cell in group["cells"]:
            errors.setdefault(_column_field(cell["header"]), []).append(message)
    return errors


def through_copy(plan, goal, row, changes, operator, units) -> dict[str, list[str]]:
    last = UnitPlan.objects.create(unit=units["a"], year=YEAR + 1, status="accepted")
    old_goal = Goal.objects.create(plan=last, code="S1", text="Sasaran 1", position=1)
    # the bad row as last year's plan holds it (written before the list changed)
    Indicator.objects.create(plan=last, goal=old_goal, **clean({**GOOD, **changes}))
    empty = UnitPlan.objects.create(unit=units["a"], year=YEAR + 2)
    before = state(empty)
    with pytest.raises(ValidationError) as refused:
        services_content.copy_previous_year(actor=operator, plan=empty)
    assert state(empty) == before and not empty.goals.exists()
    last.delete()
    return refused.value.message_dict


# --- the test -------------------------------------------------------------------------------


@pytest.mark.parametrize(("what", "changes", "field"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_the_same_bad_row_is_refused_the_same_way_by_every_path(
    setup, role_users, units, what, changes, field
):
    plan, goal, row = setup
    operator = role_users["unit_operator"]
    message = expected(changes, field)
    before = state(plan)

    editor = through_editor(plan, goal, row, changes, operator)
    assert editor == {field: [message]}, what
    assert state(plan) == before

    api = through_api(plan, goal, row, changes, operator)
    assert api == {field: [message]}, what
    assert state(plan) == before

    workbook = through_workbook(plan, goal, row, changes, operator)
    assert list(workbook) == [field], (what, workbook)
    # the workbook's report adds where the value is used, after the same words
    assert all(m.startswith(message) for m in workbook[field]), (what, workbook)
    assert state(plan) == before

    if field in COPIED_FIELDS:
        copy = through_copy(plan, goal, row, changes, operator, units)
        assert list(copy) == [field], what
        [line] = copy[field]
        assert line.endswith(f": {message}"), (what, line)


# --- rows every path accepts, with the same result ------------------------------------------
# (The copy of last year's plan takes no targets: it has no part in these target rules.)

# (what, the fields that differ from GOOD, the target as stored, the fields warned about)
ACCEPTED_ROWS = [
    # a draft may lack its target: the submission checks (rkpk.plans.checks) name it later
    ("draft without a target", {"target_value": ""}, ("number", None, None, None, ""), set()),
    ("85% under the kind number", {"target_value": "85%"}, ("percent", 85, None, None, ""), set()),
    (
        "a column the kind does not use",
        {"target_min": "5", "target_text": "Baik"},
        ("number", 80, None, None, ""),
        {"target_min", "target_text"},
    ),
]
TARGET = ("target_kind", "target_value", "target_min", "target_max", "target_text")


def stored(row) -> tuple:
    row.refresh_from_db()
    return tuple(
        int(v) if hasattr(v, "is_integer") and v == int(v) else v
        for v in (getattr(row, n) for n in TARGET)
    )


def accepted_by_editor(plan, goal, changes, operator) -> Indicator:
    values = {**GOOD, **changes, "code": "IK7", "goal": goal.pk, "in_pk": "on"}
    response = client(operator).post(f"/plans/{plan.unit.code}/{YEAR}/indicator/new/", values, **HX)
    form = response.context and response.context.get("form")
    assert not (form and form.errors), form.errors
    return Indicator.objects.get(plan=plan, code="IK7")


def accepted_by_api(plan, goal, changes, operator) -> Indicator:
    body = {**GOOD, **changes, "code": "IK8", "goal_id": goal.pk}
    response = client(operator).post(
        f"/api/v1/plans/{plan.unit.code}/{YEAR}/rows/indicators",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return Indicator.objects.get(pk=response.json()["id"])


def accepted_by_workbook(plan, changes, operator) -> tuple[Indicator, set[str]]:
    wb = load_workbook(io.BytesIO(excel.build_workbook(plan)))
    ws = wb[INDICATORS]
    values = {**GOOD, **changes}
    cells = {
        "kind": KIND_LABELS[values["target_kind"]],
        "target": values["target_value"] or None,
        "target_min": values["target_min"] or None,
        "target_max": values["target_max"] or None,
        "target_text": values["target_text"] or None,
    }
    for key, value in cells.items():
        ws[f"{columns.letter_of(INDICATORS, key)}2"] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    c = client(operator)
    url = reverse("plans:excel_upload", args=[plan.unit.code, YEAR])
    response = c.post(url, {"file": SimpleUploadedFile("rkpk.xlsx", buffer.getvalue())})
    assert response.status_code == 200
    assert not response.context["errors"], [str(e) for e in response.context["errors"]]
    warned = {
        _column_field(w.field)
        for w in response.context.get("warnings") or []
        if w.row == 2 and w.sheet == INDICATORS
    }
    assert c.post(url, {"token": response.context["token"]}).status_code == 302
    return Indicator.objects.get(plan=plan, code=GOOD["code"]), warned


@pytest.mark.parametrize(
    ("what", "changes", "target", "warned"), ACCEPTED_ROWS, ids=[a[0] for a in ACCEPTED_ROWS]
)
def test_the_same_row_is_accepted_the_same_way_by_every_path(
    setup, role_users, what, changes, target, warned
):
    plan, goal, row = setup
    operator = role_users["unit_operator"]
    # the validator itself: the row cleaned so, with the warnings named
    cleaned = validation.clean_row(Indicator, clean({**GOOD, **changes}))
    assert tuple(cleaned[n] for n in TARGET) == target, what
    assert set(validation.row_warnings(Indicator, {**GOOD, **changes})) == warned, what

    assert stored(accepted_by_editor(plan, goal, changes, operator)) == target, what
    assert stored(accepted_by_api(plan, goal, changes, operator)) == target, what
    imported, workbook_warned = accepted_by_workbook(plan, changes, operator)
    assert stored(imported) == target, what
    # the import report names the cleared columns (the editor shows only the kind's inputs)
    assert workbook_warned == warned, what
