"""The whole strategic-goal model: polarity, perspective, responsible units and targets
as numbers, ranges (negative allowed) or qualitative values — in the services, the
import (all or nothing, every problem named by sheet, row and column) and the export."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from rkpk.analysis import goal_import, goals
from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
from rkpk.core.models import AuditEvent
from rkpk.core.sheet_reader import SheetFileError

pytestmark = pytest.mark.django_db
HEADER = [
    "periode",
    "kode sasaran",
    "sasaran",
    "kode indikator",
    "indikator",
    "satuan",
    "agregasi",
    "polaritas",
    "perspektif",
    "unit penanggung jawab",
    "tahun",
    "target",
]


def xlsx(rows, header=HEADER, name="sasaran.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.title = "sasaran"
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def row(code="IKU-1", polarity="", units="", year=2026, target=85, **kw):
    values = {
        "period": "2025-2029",
        "goal": "SS-01",
        "goal_text": "Sasaran satu",
        "name": f"Indikator {code}",
        "measure": "Persen",
        "aggregation": "average",
        "perspective": "Pelanggan",
    } | kw
    return [
        values["period"],
        values["goal"],
        values["goal_text"],
        code,
        values["name"],
        values["measure"],
        values["aggregation"],
        polarity,
        values["perspective"],
        units,
        year,
        target,
    ]


@pytest.fixture
def admin(role_users):
    return role_users["admin"]


@pytest.fixture
def indicator(admin):
    period = analysis_services.create_period(
        actor=admin, name="Renstra", start_year=2025, end_year=2029
    )
    goal = analysis_services.create_goal(actor=admin, period=period, code="SS-01", text="Sasaran")
    return analysis_services.create_indicator(actor=admin, goal=goal, code="IKU-1", name="Indeks")


def test_import_reads_every_field(admin, units):
    rows = [
        row("IKU-1", "lebih tinggi lebih baik", "E1.A, E1.B", 2026, "85,5"),
        row("IKU-1", "", "", 2027, 86),
        row("IKU-2", "Lower", "e1.a", 2026, "14"),
        row("IKU-3", "rentang", "E1", 2026, "-1,0 s.d. 1,0"),
        row("IKU-3", "", "", 2027, "-0,5 - 0,5"),
        row("IKU-3", "", "", 2028, "-2,5 sampai -1,5"),
        row("IKU-4", "kualitatif", "", 2026, "wtp"),
        row("IKU-5", "", "", 2026, "80 s.d. 90"),  # polarity read from the targets: range
        row("IKU-6", "", "", 2026, "Baik"),  # … qualitative
    ]
    summary = analysis_services.import_goals(actor=admin, upload=xlsx(rows))
    assert summary.ok, summary.errors
    assert summary.ignored_columns == []
    ind = {i.code: i for i in MinistryIndicator.objects.all()}
    assert ind["IKU-1"].polarity == "higher" and ind["IKU-1"].perspective == "Pelanggan"
    assert {u.code for u in ind["IKU-1"].responsible_units.all()} == {"E1.A", "E1.B"}
    assert ind["IKU-2"].polarity == "lower"
    assert [u.code for u in ind["IKU-2"].responsible_units.all()] == ["E1.A"]
    assert ind["IKU-3"].polarity == "range" and ind["IKU-5"].polarity == "range"
    assert ind["IKU-4"].polarity == "qualitative" and ind["IKU-6"].polarity == "qualitative"
    t = {(x.indicator.code, x.year): x for x in MinistryTarget.objects.select_related("indicator")}
    assert t["IKU-1", 2026].value == Decimal("85.5")
    assert (t["IKU-3", 2026].min_value, t["IKU-3", 2026].max_value) == (-1, 1)
    assert t["IKU-3", 2026].value is None and t["IKU-3", 2026].text == ""
    assert (t["IKU-3", 2027].min_value, t["IKU-3", 2027].max_value) == (
        Decimal("-0.5"),
        Decimal("0.5"),
    )
    assert (t["IKU-3", 2028].min_value, t["IKU-3", 2028].max_value) == (
        Decimal("-2.5"),
        Decimal("-1.5"),
    )
    assert t["IKU-4", 2026].text == "WTP"  # spelt as on the qualitative list
    assert AuditEvent.objects.filter(action="strategic_goals.imported").exists()


def test_export_then_import_keeps_every_field(admin, units):
    rows = [
        row("IKU-1", "higher", "E1.A,E1.B", 2026, "85,5"),
        row("IKU-2", "lower", "E1", 2026, 14),
        row("IKU-3", "range", "", 2026, "-1,5 s.d. 1.000"),
        row("IKU-4", "qualitative", "E1.B", 2026, "WTP"),
    ]
    assert analysis_services.import_goals(actor=admin, upload=xlsx(rows)).ok

    def state():
        inds = MinistryIndicator.objects.prefetch_related("responsible_units", "targets")
        return {
            i.code: (
                i.name, i.measure, i.aggregation, i.polarity, i.perspective,
                sorted(u.code for u in i.responsible_units.all()),
                sorted(
                    (t.year, t.value, t.min_value, t.max_value, t.text, t.manual_value)
                    for t in i.targets.all()
                ),
            )
            for i in inds
        }  # fmt: skip

    MinistryTarget.objects.filter(indicator__code="IKU-1").update(manual_value=Decimal("3.25"))
    before = state()
    data = goal_import.template_workbook(RenstraPeriod.objects.get())
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][7:10] == ["polaritas", "perspektif", "unit penanggung jawab"]
    # Wipe and import the export into an empty database: everything comes back.
    MinistryTarget.objects.all().delete()
    MinistryIndicator.objects.all().delete()
    StrategicGoal.objects.all().delete()
    summary = analysis_services.import_goals(actor=admin, upload=SimpleUploadedFile("x.xlsx", data))
    assert summary.ok, summary.errors
    assert state() == before
    # …and importing it over the existing data changes nothing.
    assert analysis_services.import_goals(actor=admin, upload=SimpleUploadedFile("x.xlsx", data)).ok
    assert state() == before


def test_unknown_columns_are_listed_as_ignored(admin, units):
    header = [*HEADER, "keterangan", "Catatan lain"]
    summary = analysis_services.import_goals(
        actor=admin, upload=xlsx([[*row(), "apa saja", "x"]], header=header)
    )
    assert summary.ok
    assert summary.ignored_columns == ["M (keterangan)", "N (Catatan lain)"]
    event = AuditEvent.objects.get(action="strategic_goals.imported")
    assert event.after["ignored_columns"] == summary.ignored_columns


def test_a_column_given_twice_is_refused(admin):
    with pytest.raises(SheetFileError, match="twice"):
        analysis_services.import_goals(
            actor=admin, upload=xlsx([row()], header=[*HEADER, "polarity"])
        )


def test_hostile_inputs(admin, units):
    cases = [
        ("naik turun", "", 1, "H", "Unknown polarity naik turun"),
        ("paling baik", "", 1, "H", "lebih rendah lebih baik"),
        ("", "E9.Z, E1.A", 1, "J", "No unit has the code E9.Z"),
        ("range", "", "5 s.d. 1", "L", "minimum 5 is above the maximum 1"),
        ("range", "", 5, "L", "minimum and maximum"),
        ("higher", "", "Istimewa", "L", "not a number, a range or a value"),
        ("higher", "", "WTP", "L", "needs a qualitative indicator"),
        ("qualitative", "", 3, "L", "choose a value from the qualitative list"),
        ("", "", "1,2,3", "L", "not a number"),
        ("", "", True, "L", "not a number"),
    ]
    for polarity, unit_codes, target, column, words in cases:
        good = row("IKU-9", "higher", "E1.A", 2026, 1)
        bad = row("IKU-1", polarity, unit_codes, 2026, target)
        summary = analysis_services.import_goals(actor=admin, upload=xlsx([good, bad]))
        assert not summary.ok, (polarity, target)
        found = [e for e in summary.errors if e.row == 3 and e.label.startswith(column)]
        assert found, (polarity, target, summary.errors)
        assert words in found[0].message, found[0].message
        assert found[0].in_words().startswith("sasaran, row 3")
        assert not StrategicGoal.objects.exists() and not MinistryIndicator.objects.exists()


def test_wrong_types_in_cells_never_crash(admin, units):
    import datetime

    rows = [
        row("IKU-1", 12, 3.5, datetime.datetime(2026, 1, 1), datetime.date(2026, 1, 2)),
        row("IKU-2", True, False, "dua ribu", 1e300),
        row("IKU-3", "", "", 2026, "--5"),
        row("IKU-4", "", "", 2026, "1e999"),
    ]
    summary = analysis_services.import_goals(actor=admin, upload=xlsx(rows))
    assert not summary.ok
    rows_with_errors = {e.row for e in summary.errors}
    assert {2, 3, 4, 5} <= rows_with_errors, summary.errors
    assert all(e.label for e in summary.errors)
    assert not MinistryIndicator.objects.exists()


def test_conflicting_indicator_fields_across_rows(admin, units):
    rows = [row("IKU-1", "higher", "E1.A", 2026, 1), row("IKU-1", "lower", "E1.B", 2027, 1)]
    summary = analysis_services.import_goals(actor=admin, upload=xlsx(rows))
    messages = {(e.row, e.label[0]): e.message for e in summary.errors}
    assert "another polarity in row 2" in messages[3, "H"]
    assert "another responsible units in row 2" in messages[3, "J"]


def test_services_validate_targets_by_polarity(admin, indicator):
    with pytest.raises(ValidationError) as error:
        analysis_services.set_target(
            actor=admin, indicator=indicator, year=2026, min_value="2", max_value="1"
        )
    assert "above the maximum" in str(error.value.message_dict["max_value"])
    with pytest.raises(ValidationError) as error:
        analysis_services.set_target(actor=admin, indicator=indicator, year=2026, min_value="-1")
    assert "both ends" in str(error.value.message_dict["max_value"])
    with pytest.raises(ValidationError) as error:
        analysis_services.set_target(
            actor=admin, indicator=indicator, year=2026, value=1, text="WTP"
        )
    assert "not more than one" in str(error.value)
    with pytest.raises(ValidationError) as error:
        analysis_services.set_target(actor=admin, indicator=indicator, year=2026, text="WTP")
    assert "needs a qualitative indicator" in str(error.value)
    target = analysis_services.set_target(
        actor=admin, indicator=indicator, year=2026, min_value="-1,5", max_value="2"
    )
    assert (target.min_value, target.max_value, target.value) == (Decimal("-1.5"), 2, None)
    event = AuditEvent.objects.filter(action="ministry_target.set").latest("seq")
    assert event.after["min_value"] == "-1.5" or Decimal(event.after["min_value"]) == Decimal(
        "-1.5"
    )


def test_save_indicator_changes_polarity_and_targets_together(admin, indicator, units):
    analysis_services.set_target(actor=admin, indicator=indicator, year=2026, value=3)
    fields = {"code": "IKU-1", "name": "Opini", "polarity": "kualitatif", "perspective": "Keuangan",
              "responsible_units": [units["a"].pk]}  # fmt: skip
    # The target of 2026 is a number: a qualitative polarity refuses it, nothing changes.
    with pytest.raises(ValidationError) as error:
        analysis_services.save_indicator(
            actor=admin, goal=indicator.goal, indicator=indicator, fields=fields
        )
    assert "target_2026" in error.value.message_dict
    indicator.refresh_from_db()
    assert indicator.polarity == "higher" and not indicator.responsible_units.exists()
    analysis_services.save_indicator(
        actor=admin,
        goal=indicator.goal,
        indicator=indicator,
        fields=fields,
        targets={2026: {"text": "wtp"}, 2027: goals.split_target("WTP")},
    )
    indicator.refresh_from_db()
    assert indicator.polarity == "qualitative" and indicator.perspective == "Keuangan"
    assert [u.code for u in indicator.responsible_units.all()] == ["E1.A"]
    assert sorted(indicator.targets.values_list("year", "text")) == [(2026, "WTP"), (2027, "WTP")]
    event = AuditEvent.objects.filter(action="ministry_indicator.updated").latest("seq")
    assert event.before["responsible_units"] == [] and event.after["responsible_units"] == ["E1.A"]
    assert event.after["polarity"] == "qualitative"


def test_parse_helpers():
    assert goals.parse_range("-1,0 s.d. 1,0") == (Decimal("-1.0"), Decimal("1.0"))
    assert goals.parse_range("-1,0 - 1,0") == (Decimal("-1.0"), Decimal("1.0"))
    assert goals.parse_range("-1,0 s/d 1,0") == (Decimal("-1.0"), Decimal("1.0"))
    assert goals.parse_range("80%–90%") == (80, 90)
    assert goals.parse_range("85") is None and goals.parse_range("WTP") is None
    for word, polarity in [
        ("lebih tinggi lebih baik", "higher"), ("Higher", "higher"),
        ("Lebih rendah lebih baik", "lower"), ("lower is better", "lower"),
        ("rentang", "range"), ("Range", "range"), ("kualitatif", "qualitative"),
        ("qualitative", "qualitative"),
    ]:  # fmt: skip
        assert goals.parse_polarity(word) == polarity
    assert goals.parse_polarity("naik turun") is None


def _model_state():
    inds = MinistryIndicator.objects.select_related("goal").prefetch_related(
        "responsible_units", "targets"
    )
    return {
        (i.goal.code, i.code): (
            i.goal.text, i.name, i.measure, i.aggregation, i.polarity, i.perspective,
            sorted(u.code for u in i.responsible_units.all()),
            sorted(
                (t.year, t.value, t.min_value, t.max_value, t.text, t.manual_value)
                for t in i.targets.all()
            ),
        )
        for i in inds
    }  # fmt: skip


@pytest.mark.parametrize("demo", ["setneg", "kelautan"])
def test_both_demos_round_trip_through_export_and_import(admin, demo):
    from rkpk.organisation import demo_orgs
    from rkpk.site import demo as site_demo

    organisation = demo_orgs.get(demo)
    organisation.load_organisation(password="Sandi-uji-2026!")
    site_demo.load_goals(organisation)
    assert MinistryIndicator.objects.filter(responsible_units__isnull=False).exists()
    polarities = set(MinistryIndicator.objects.values_list("polarity", flat=True))
    assert {"higher", "lower", "range", "qualitative"} <= polarities
    assert MinistryTarget.objects.filter(min_value__lt=0).exists()
    before = _model_state()
    data = goal_import.template_workbook(RenstraPeriod.objects.get())
    MinistryIndicator.objects.all().delete()
    summary = analysis_services.import_goals(actor=admin, upload=SimpleUploadedFile("d.xlsx", data))
    assert summary.ok, summary.errors[:5]
    assert _model_state() == before


def test_a_polarity_change_must_suit_the_stored_targets(admin, units):
    rows = [row("IKU-1", "higher", "", 2026, 80), row("IKU-1", "", "", 2027, 82)]
    assert analysis_services.import_goals(actor=admin, upload=xlsx(rows)).ok
    summary = analysis_services.import_goals(
        actor=admin, upload=xlsx([row("IKU-1", "kualitatif", "", 2026, "WTP")])
    )
    assert not summary.ok
    (error,) = summary.errors
    assert error.row == 2 and error.column.startswith("H")
    assert "stored target of 2027 (82)" in error.message
    assert MinistryIndicator.objects.get().polarity == "higher"
    both = [row("IKU-1", "kualitatif", "", 2026, "WTP"), row("IKU-1", "", "", 2027, "WTP")]
    assert analysis_services.import_goals(actor=admin, upload=xlsx(both)).ok
    assert MinistryIndicator.objects.get().polarity == "qualitative"
