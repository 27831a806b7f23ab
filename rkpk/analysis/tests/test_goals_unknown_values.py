"""The goal import and the reference lists (issue 12 point 3): a satuan or a qualitative
target not on its list is reported once, with every cell that uses it; the bureau (or the
admin) adds the values from the report in one confirmed, audited step and the same file then
imports; a role that may not manage the lists sees no button and is refused."""

import io
import re

import pytest
import rules
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, StrategicGoal
from rkpk.core.models import AuditEvent
from rkpk.organisation.models import Role
from rkpk.organisation.rules import role_predicate
from rkpk.plans import lists
from rkpk.plans.models import MeasureUnit, QualitativeValue

pytestmark = pytest.mark.django_db
HEADER = ["periode", "kode sasaran", "sasaran", "kode indikator", "indikator", "satuan"]
HEADER += ["agregasi", "polaritas", "tahun", "target"]


def xlsx(rows, name="sasaran.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.title = "sasaran"
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def line(code, satuan):
    return ["2025-2029", "SS-01", "Sasaran satu", code, f"Indikator {code}", satuan, "latest"]


@pytest.fixture
def admin(role_users):
    return role_users["admin"]


def rows():
    """'Memuaskan' (not on the list) in 5 targets of two indicators; 'Ekor' (not on the list
    either) as the satuan of 3 rows; 'Baik' and 'Persen' are on the lists."""
    out = []
    for year in range(2025, 2030):
        code = "IKU-1" if year < 2028 else "IKU-2"
        out.append([*line(code, "Predikat"), "kualitatif", year, "Memuaskan"])  # rows 2-6
    out.append([*line("IKU-3", "Ekor"), "higher", 2026, 10])  # row 7
    out.append([*line("IKU-3", "Ekor"), "higher", 2027, 12])  # row 8
    out.append([*line("IKU-4", "ekor"), "", 2026, "Baik"])  # row 9
    return out


def test_each_unknown_value_is_reported_once_with_its_cells(admin):
    summary = analysis_services.import_goals(actor=admin, upload=xlsx(rows()))
    assert not summary.ok
    assert not StrategicGoal.objects.exists() and not MinistryIndicator.objects.exists()
    groups = {(g["list"], g["value"]): g for g in summary.unknown_values}
    assert set(groups) == {(lists.QUALITATIVE, "Memuaskan"), (lists.MEASURES, "Ekor")}
    qualitative = groups[(lists.QUALITATIVE, "Memuaskan")]
    assert qualitative["count"] == 5 and not qualitative["inactive"]
    assert [(c["sheet"], c["row"], c["column"]) for c in qualitative["cells"]] == [
        ("sasaran", row, "J") for row in range(2, 7)
    ]
    assert qualitative["where"] == "sasaran column J (target) rows 2–6"
    measure = groups[(lists.MEASURES, "Ekor")]  # "ekor" is the same value
    assert measure["count"] == 3
    assert [c["row"] for c in measure["cells"]] == [7, 8, 9]
    assert {c["column"] for c in measure["cells"]} == {"F"}
    # One error per value, naming where it is used, and no error per row for them.
    assert len(summary.errors) == 2, summary.errors
    assert all(e.row is None for e in summary.errors)
    texts = " ".join(e.message for e in summary.errors)
    assert "Memuaskan" in texts and "rows 2–6" in texts and "rows 7–9" in texts
    assert {e.label for e in summary.errors} == {"J (target)", "F (satuan)"}


def test_adding_the_values_from_the_report_lets_the_same_file_import(admin, role_users):
    upload = xlsx(rows())
    summary = analysis_services.import_goals(actor=admin, upload=upload)
    entries = [(g["list"], g["value"]) for g in summary.unknown_values]
    created = lists.add_unknown_values(
        actor=role_users["staff"], entries=entries, source="sasaran.xlsx"
    )
    assert sorted(str(v) for v in created) == ["Ekor", "Memuaskan"]
    assert AuditEvent.objects.filter(action="plans.list_value_added").count() == 2
    summary = analysis_services.import_goals(actor=admin, upload=upload)
    assert summary.ok, summary.errors
    assert summary.unknown_values == []
    texts = set(MinistryTarget.objects.exclude(text="").values_list("text", flat=True))
    assert texts == {"Memuaskan", "Baik"}
    # Stored as the list spells them.
    assert MinistryIndicator.objects.get(code="IKU-4").measure == "Ekor"
    assert MinistryIndicator.objects.get(code="IKU-4").polarity == "qualitative"


def test_deactivated_values_stay_for_indicators_that_hold_them(admin):
    good = [[*line("IKU-1", "Persen"), "kualitatif", 2026, "Baik"]]
    assert analysis_services.import_goals(actor=admin, upload=xlsx(good)).ok
    QualitativeValue.objects.filter(value="Baik").update(is_active=False)
    MeasureUnit.objects.filter(name="Persen").update(is_active=False)
    # The same file imports again: the ministry's indicators hold these values.
    assert analysis_services.import_goals(actor=admin, upload=xlsx(good)).ok
    MinistryTarget.objects.all().delete()
    MinistryIndicator.objects.all().delete()
    # Nobody holds them any more: refused as deactivated, once each, nothing to add.
    summary = analysis_services.import_goals(actor=admin, upload=xlsx(good))
    assert not summary.ok
    assert {(g["value"], g["inactive"]) for g in summary.unknown_values} == {
        ("Baik", True),
        ("Persen", True),
    }
    assert all("deactivated" in e.message for e in summary.errors)


def test_mistyped_numbers_are_not_offered_as_list_values(admin):
    bad = [
        [*line("IKU-1", "Persen"), "", 2026, "1,2,3"],
        [*line("IKU-2", "Persen"), "higher", 2026, "Istimewa"],
    ]
    summary = analysis_services.import_goals(actor=admin, upload=xlsx(bad))
    assert not summary.ok and summary.unknown_values == []
    assert {e.row for e in summary.errors} == {2, 3}


# --- The import page --------------------------------------------------------------------------


def _post_file(client, upload):
    return client.post(reverse("analysis:goals_import"), {"file": upload})


def test_page_groups_the_values_and_the_admin_adds_them_then_imports_again(role_users, client_for):
    client = client_for(role_users["admin"])
    page = _post_file(client, xlsx(rows(), name="goals-2025.xlsx"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 values are not on the lists" in html
    assert html.count('name="value" value="qualitative-values:Memuaskan"') == 1
    assert 'name="value" value="measure-units:Ekor"' in html
    assert "sasaran column J (target) rows 2–6" in html
    add_url = reverse("plans:list_add_unknown")
    assert f'action="{add_url}"' in html and "data-confirm=" in html
    next_url = re.search(r'name="next" value="([^"]+)"', html).group(1)
    assert next_url.startswith(reverse("analysis:goals_import") + "?token=")

    added = client.post(
        add_url,
        {
            "value": ["qualitative-values:Memuaskan", "measure-units:Ekor"],
            "next": next_url,
            "source": "goals-2025.xlsx",
        },
    )
    assert added.status_code == 302 and added["Location"] == next_url
    assert QualitativeValue.objects.filter(value="Memuaskan", is_active=True).exists()
    event = AuditEvent.objects.get(action="plans.list_value_added", object_repr="Memuaskan")
    assert event.actor == role_users["admin"] and "goals-2025.xlsx" in str(event.after)

    offer = client.get(next_url)
    token = next_url.split("token=")[1]
    assert "Import goals-2025.xlsx again" in offer.content.decode()
    assert f'name="token" value="{token}"' in offer.content.decode()
    done = client.post(reverse("analysis:goals_import"), {"token": token})
    assert done.status_code == 302 and done["Location"] == reverse("analysis:goal_list")
    assert MinistryTarget.objects.filter(text="Memuaskan").count() == 5
    # The kept file is gone once imported.
    again = client.post(reverse("analysis:goals_import"), {"token": token})
    assert "no longer available" in again.content.decode()


def test_a_token_of_another_session_is_not_read(role_users, client_for):
    admin = client_for(role_users["admin"])
    html = _post_file(admin, xlsx(rows())).content.decode()
    token = re.search(r"\?token=([0-9a-f]{32})", html).group(1)
    other = Client()
    other.force_login(role_users["admin"])
    page = other.post(reverse("analysis:goals_import"), {"token": token})
    assert "no longer available" in page.content.decode()
    assert not MinistryIndicator.objects.exists()
    bogus = other.post(reverse("analysis:goals_import"), {"token": "../../etc/passwd"})
    assert bogus.status_code == 200 and not MinistryIndicator.objects.exists()


@pytest.fixture
def deputy_manages_goals():
    """A role that may import goals but not manage the lists (no such role by default)."""
    original = rules.permissions.permissions["analysis.manage_goals"]
    rules.set_perm("analysis.manage_goals", original | role_predicate(Role.DEPUTY))
    yield
    rules.set_perm("analysis.manage_goals", original)


def test_a_role_that_may_not_manage_lists_sees_no_button_and_is_refused(
    role_users, client_for, deputy_manages_goals
):
    deputy = role_users["deputy"]
    assert deputy.has_perm("analysis.manage_goals")
    assert not deputy.has_perm("plans.manage_lists")
    client = client_for(deputy)
    html = _post_file(client, xlsx(rows())).content.decode()
    assert "2 values are not on the lists" in html and "Memuaskan" in html
    assert reverse("plans:list_add_unknown") not in html
    assert 'name="value"' not in html and "?token=" not in html
    assert "ask the bureau to add the missing values" in html
    refused = client.post(
        reverse("plans:list_add_unknown"),
        {"value": ["qualitative-values:Memuaskan"], "next": reverse("analysis:goals_import")},
    )
    assert refused.status_code == 403
    assert not QualitativeValue.objects.filter(value="Memuaskan").exists()
    # A unit operator may not even import goals.
    operator = client_for(role_users["unit_operator"])
    assert _post_file(operator, xlsx(rows())).status_code == 403


# --- The satuan of an indicator entered in the form or the API --------------------------------


def test_the_form_and_api_take_a_satuan_from_the_list(admin, role_users, client_for):
    period = analysis_services.create_period(actor=admin, name="R", start_year=2025, end_year=2029)
    goal = analysis_services.create_goal(actor=admin, period=period, code="SS-01", text="Sasaran")
    with pytest.raises(ValidationError) as refused:
        analysis_services.create_indicator(
            actor=admin, goal=goal, code="I-1", name="x", measure="Ekor"
        )
    assert "not on the list of units of measure" in refused.value.message_dict["measure"][0]
    indicator = analysis_services.create_indicator(
        actor=admin, goal=goal, code="I-1", name="x", measure=" persen "
    )
    assert indicator.measure == "Persen"  # as the list spells it
    # A value the indicator already holds stays, even once deactivated or off the list.
    MinistryIndicator.objects.filter(pk=indicator.pk).update(measure="%")
    indicator.refresh_from_db()
    kept = analysis_services.update_indicator(
        actor=admin, indicator=indicator, code="I-1", name="y", measure="%"
    )
    assert kept.measure == "%" and kept.name == "y"
    MeasureUnit.objects.filter(name="Kali").update(is_active=False)
    with pytest.raises(ValidationError) as deactivated:
        analysis_services.update_indicator(
            actor=admin, indicator=indicator, code="I-1", name="z", measure="Kali"
        )
    assert "deactivated" in deactivated.value.message_dict["measure"][0]
    indicator.refresh_from_db()
    assert (indicator.name, indicator.measure) == ("y", "%")

    page = client_for(admin).get(reverse("analysis:goal_list"), {"period": period.pk})
    html = page.content.decode()
    assert '<select class="form-select" id="im-' in html
    assert "<option>Persen</option>" in html and "<option>Kali</option>" not in html
    assert "<option selected>%</option>" in html  # the indicator's own value stays offered

    response = client_for(admin).post(
        f"/api/v1/analysis/goals/{goal.pk}/indicators",
        {"code": "I-2", "name": "Jumlah", "measure": "Ekor"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "measure" in response.content.decode()
    assert not MinistryIndicator.objects.filter(code="I-2").exists()
