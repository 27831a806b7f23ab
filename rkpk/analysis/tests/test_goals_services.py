import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rkpk.analysis import goal_import
from rkpk.analysis import services as analysis_services
from rkpk.analysis.demo import load_demo_goals
from rkpk.analysis.demo_indicators import load_demo_ministry_indicators
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
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
    "tahun",
    "target",
]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.title = "sasaran"
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("sasaran.xlsx", out.getvalue())


def test_admin_edits_goals_indicators_and_targets(role_users):
    admin = role_users["admin"]
    period = analysis_services.create_period(
        actor=admin, name="Renstra", start_year=2025, end_year=2029
    )
    goal = analysis_services.create_goal(actor=admin, period=period, code="SS-01", text="Sasaran")
    with pytest.raises(ValidationError):
        analysis_services.create_goal(actor=admin, period=period, code="SS-01", text="Lagi")
    ind = analysis_services.create_indicator(
        actor=admin,
        goal=goal,
        code="IKU-1",
        name="Indeks",
        measure="indeks",
        aggregation="rata-rata",
    )
    assert ind.aggregation == "average"
    analysis_services.set_target(actor=admin, indicator=ind, year=2026, value="85,5")
    assert MinistryTarget.objects.get(indicator=ind, year=2026).value == pytest.approx(85.5)
    with pytest.raises(ValidationError):  # outside the period
        analysis_services.set_target(actor=admin, indicator=ind, year=2030, value="1")
    analysis_services.set_target(actor=admin, indicator=ind, year=2026)  # nothing: removed
    assert not MinistryTarget.objects.exists()
    with pytest.raises(PermissionDenied):
        analysis_services.create_goal(
            actor=role_users["staff"], period=period, code="SS-02", text="x"
        )


def test_import_writes_everything(role_users):
    rows = [
        [
            "2025-2029",
            "SS-01",
            "Sasaran satu",
            "IKU-1",
            "Indeks kepuasan",
            "indeks",
            "average",
            2026,
            "3,5",
        ],
        [
            "2025-2029",
            "SS-01",
            "Sasaran satu",
            "IKU-1",
            "Indeks kepuasan",
            "indeks",
            "average",
            2027,
            3.6,
        ],
        ["2025-2029", "SS-02", "Sasaran dua", "IKU-2", "Opini", "Predikat", "manual", 2026, "WTP"],
        ["2025-2029", "SS-03", "Sasaran tiga"],
    ]
    summary = analysis_services.import_goals(actor=role_users["admin"], upload=xlsx(rows))
    assert summary.ok, summary.errors
    assert (summary.goals, summary.indicators, summary.targets) == (3, 2, 3)
    assert RenstraPeriod.objects.get().start_year == 2025
    assert MinistryTarget.objects.get(year=2026, indicator__code="IKU-2").text == "WTP"
    assert MinistryIndicator.objects.get(code="IKU-2").aggregation == "manual"
    # Importing again updates rather than duplicates.
    summary = analysis_services.import_goals(actor=role_users["admin"], upload=xlsx(rows))
    assert summary.ok and StrategicGoal.objects.count() == 3 and MinistryTarget.objects.count() == 3


def test_import_is_all_or_nothing_with_row_errors(role_users):
    rows = [
        ["2025-2029", "SS-01", "Sasaran satu", "IKU-1", "Indeks", "indeks", "sum", 2026, 1],
        ["2025-2029", "SS-02", "Sasaran dua", "IKU-2", "Opini", "opini", "median", 2031, 1],
        ["kapan", "SS-03", "Sasaran tiga"],
    ]
    summary = analysis_services.import_goals(actor=role_users["admin"], upload=xlsx(rows))
    assert not summary.ok
    found = {(e.row, e.label.split(" ")[0]) for e in summary.errors}
    assert (3, "G") in found and (3, "H") in found and (4, "A") in found
    assert summary.errors[0].in_words().startswith("sasaran, row")
    assert not StrategicGoal.objects.exists()


def test_import_refuses_a_file_that_is_not_a_workbook(role_users):
    bad = SimpleUploadedFile("sasaran.xlsx", b"not a zip")
    with pytest.raises(SheetFileError):
        analysis_services.import_goals(actor=role_users["admin"], upload=bad)
    with pytest.raises(SheetFileError):
        analysis_services.import_goals(actor=role_users["admin"], upload=xlsx([], header=["foo"]))


def test_template_round_trips(role_users):
    load_demo_goals()
    load_demo_ministry_indicators()
    period = RenstraPeriod.objects.get()
    data = goal_import.template_workbook(period)
    before = MinistryTarget.objects.count()
    summary = analysis_services.import_goals(
        actor=role_users["admin"], upload=SimpleUploadedFile("t.xlsx", data)
    )
    assert summary.ok, summary.errors
    assert MinistryTarget.objects.count() == before


def test_demo_gives_every_goal_indicators_with_targets():
    load_demo_goals()
    assert load_demo_ministry_indicators() >= 21
    load_demo_ministry_indicators()  # twice adds nothing
    for goal in StrategicGoal.objects.prefetch_related("indicators__targets"):
        inds = list(goal.indicators.all())
        assert 1 <= len(inds) <= 2
        assert all(len(i.targets.all()) == 5 for i in inds)
