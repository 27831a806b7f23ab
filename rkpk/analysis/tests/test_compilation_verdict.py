"""The compilation judges each ministry figure against its target by polarity and says
where it cannot; the page and the consolidated documents show the verdict."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from rkpk.analysis import consolidated_documents as documents
from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import Mapping, MinistryIndicator, MinistryTarget
from rkpk.analysis.tests.compilation_factories import accepted_plan, period_with_goals
from rkpk.plans.models import Indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


@pytest.fixture
def compiled(units, role_users):
    """Unit A's indicators (target 85 each) map one each to the first four goals. SS-01
    higher, target 81: met. SS-02 lower, target 82: not met. SS-03 range -1..1: not met.
    SS-04 qualitative. SS-05: no contributing indicator."""
    _period, goals = period_with_goals(goals=5)
    staff = role_users["staff"]
    plan = accepted_plan(units["a"], staff, role_users["unit_operator"], indicators=4)
    for indicator, goal in zip(
        Indicator.objects.filter(plan=plan).order_by("id"), goals, strict=False
    ):
        Mapping.objects.create(
            indicator=indicator,
            goal=goal,
            ministry_indicator=goal.indicators.first(),
            source="manual",
            decided_by=staff,
        )
    MinistryIndicator.objects.filter(goal=goals[1]).update(polarity="lower")
    MinistryIndicator.objects.filter(goal=goals[2]).update(polarity="range")
    MinistryTarget.objects.filter(indicator__goal=goals[2]).update(
        value=None, min_value=Decimal("-1"), max_value=Decimal("1")
    )
    MinistryIndicator.objects.filter(goal=goals[3]).update(polarity="qualitative")
    MinistryTarget.objects.filter(indicator__goal=goals[3]).update(value=None, text="WTP")
    return analysis_services.compile_year(actor=staff, year=2027)


def verdicts(version):
    return {
        g["code"]: (g["ministry_indicators"][0]["verdict"]["status"],
                    g["ministry_indicators"][0]["verdict"]["code"])
        for g in version.data["goals"]
    }  # fmt: skip


def test_each_figure_is_judged_by_polarity(compiled):
    assert verdicts(compiled) == {
        "SS-01": ("met", "higher"),
        "SS-02": ("not_met", "lower"),
        "SS-03": ("not_met", "range"),
        "SS-04": ("not_judged", "qualitative"),
        "SS-05": ("not_judged", "no_contributor"),
    }
    ss03 = compiled.data["goals"][2]["ministry_indicators"][0]
    assert ss03["target"] == "-1 s.d. 1"
    assert (ss03["target_min"], ss03["target_max"], ss03["polarity"]) == ("-1", "1", "range")


def test_page_and_documents_show_the_verdict(compiled, role_users, client_for):
    page = client_for(role_users["staff"]).get(
        reverse("analysis:compilation_detail", args=[2027, 1])
    )
    html = page.content.decode()
    assert html.count('data-verdict="met"') == 1 and html.count('data-verdict="not_met"') == 2
    assert "No contributing unit indicator." in html
    context = documents.document_context(compiled, doc="rk")
    words = [mi["verdict"] for g in context["goals"] for mi in g["indicators"]]
    assert words == [
        "Memenuhi target",
        "Belum memenuhi target",
        "Belum memenuhi target",
        "Tidak dinilai: target kualitatif",
        "Tidak dinilai: tidak ada indikator unit yang berkontribusi",
    ]
    assert "Tidak dinilai: target kualitatif" in documents.render_html(context)
    book = openpyxl.load_workbook(io.BytesIO(documents.render(compiled, doc="rk", fmt="xlsx")))
    values = [c for row in book["Sasaran Strategis"].iter_rows(values_only=True) for c in row]
    assert "Penilaian" in values and "Memenuhi target" in values
    from docx import Document

    docx = Document(io.BytesIO(documents.render(compiled, doc="rk", fmt="docx")))
    cells = {c.text for t in docx.tables for r in t.rows for c in r.cells}
    assert any("Belum memenuhi target" in c for c in cells)
