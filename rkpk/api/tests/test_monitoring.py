from io import BytesIO

import openpyxl
import pytest

from rkpk.api.tests.conftest import API
from rkpk.plans import services
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.factories import complete_plan

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


def test_board_for_the_ministry_only(units, role_users, api_as):
    complete_plan(units["a"], 2027)
    services.submit(actor=role_users["unit_operator"], plan=UnitPlan.objects.get())
    for code in ("staff", "head_of_bureau", "viewer", "deputy"):
        body = api_as(role_users[code]).get(f"{API}/monitoring/2027").json()
        rows = {row["unit"]: row for row in body["rows"]}
        assert rows["E1.A"]["status"] == "submitted" and rows["E1.A"]["version"] == 1
        assert rows["E1.B"]["status"] != "submitted"
    for code in ("unit_operator", "operator_b", "nobody"):
        assert api_as(role_users[code]).get(f"{API}/monitoring/2027").status_code == 403
    filtered = api_as(role_users["staff"]).get(f"{API}/monitoring/2027?status=submitted").json()
    assert [row["unit"] for row in filtered["rows"]] == ["E1.A"]


def test_board_export(units, role_users, api_as):
    units["b"].name = '=HYPERLINK("http://x")'
    units["b"].save()
    response = api_as(role_users["staff"]).get(f"{API}/monitoring/2027/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names  # neutralised, never a formula
