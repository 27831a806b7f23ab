"""Every kind of document RK-PK produces, built from one small year of data, for the tests
that read them back (python-docx, openpyxl) and open them in LibreOffice.

`year_of_documents(role_users, units)` runs a year through the ministry draft (two accepted
unit plans, mapped and compiled; the analysis approved; the ministry RK-PK approved by the
deputy; a discussion meeting with a decision; a memorandum) and returns the data the
builders need. The builders return {file name: bytes}.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from rkpk.analysis.models import Compilation
from rkpk.analysis.services import compile_year
from rkpk.ministry.models import MinistryPlan
from rkpk.ministry.tests.factories import YEAR, approved_by_deputy
from rkpk.plans.models import Activity, ActivityIndicator, Indicator, UnitPlan

# Long words that a too narrow column would break mid-word.
LONG_INDICATOR = (
    "Persentase penyelenggaraan pertanggungjawaban akuntabilitas kinerja instansi pemerintah"
)
LONG_MEASURE = "Rekomendasi"
LONG_ACTIVITY = "Penyelenggaraan koordinasi perencanaan dan pertanggungjawaban anggaran"
WHOLE_WORDS = ("Indikator", "Kinerja", "Penyelenggaraan", "pertanggungjawaban", "Rekomendasi")


@dataclass
class Year:
    role_users: dict
    units: dict
    unit_plan: UnitPlan
    compilation: Compilation
    ministry_plan: MinistryPlan


def year_of_documents(role_users, units) -> Year:
    ministry_plan = approved_by_deputy(role_users, units)
    unit_plan = UnitPlan.objects.get(unit=units["a"], year=YEAR)
    Indicator.objects.filter(plan=unit_plan).update(name=LONG_INDICATOR, measure=LONG_MEASURE)
    Indicator.objects.filter(plan=unit_plan, position=2).update(
        target_kind="range", target_value=None, target_min=Decimal("-1.5"), target_max=Decimal(2)
    )
    Activity.objects.filter(plan=unit_plan, kind="activity").update(name=LONG_ACTIVITY)
    ActivityIndicator.objects.filter(activity__plan=unit_plan).update(measure=LONG_MEASURE)
    Activity.objects.filter(plan=unit_plan).update(budget=Decimal("1250000000000"))
    # Compiled again: the consolidated documents show the long names, the range and budgets.
    compilation = compile_year(actor=role_users["staff"], year=YEAR)
    return Year(role_users, units, unit_plan, compilation, ministry_plan)


# --- DOCX and PDF -----------------------------------------------------------------------


def unit_documents(year: Year, *, pdf: bool = False) -> dict[str, bytes]:
    from rkpk.plans.documents import render_plan_document

    files = {
        f"unit-{doc}.docx": render_plan_document(year.unit_plan, doc=doc, fmt="docx")
        for doc in ("rk", "pk", "rkpk")
    }
    if pdf:
        files["unit-pk.pdf"] = render_plan_document(year.unit_plan, doc="pk", fmt="pdf")
    return files


def consolidated_documents(year: Year, *, pdf: bool = False) -> dict[str, bytes]:
    from rkpk.analysis import consolidated_documents as documents

    files = {
        f"consolidated-{doc}.{fmt}": documents.render(year.compilation, doc=doc, fmt=fmt)
        for doc in ("rk", "pk")
        for fmt in ("docx", "xlsx")
    }
    if pdf:
        files["consolidated-pk.pdf"] = documents.render(year.compilation, doc="pk", fmt="pdf")
    return files


def ministry_draft(year: Year) -> dict[str, bytes]:
    from rkpk.ministry import documents

    version = year.ministry_plan.versions.order_by("-number").first()
    return {"ministry-draft.docx": documents.render_version(version, fmt="docx")}


def meeting_report(year: Year) -> dict[str, bytes]:
    from rkpk.core.calendar import today
    from rkpk.meetings import documents, services

    staff = year.role_users["staff"]
    starts = timezone.now() - timedelta(hours=2)
    meeting = services.schedule(
        actor=staff,
        cycle=year.ministry_plan.cycle,
        title="Rapat pembahasan RK-PK",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Ruang Rapat",
    )
    services.invite(actor=staff, meeting=meeting, units=[year.units["a"]])
    item = services.add_agenda_item(
        actor=staff, meeting=meeting, title="Pembahasan", notes="Catatan rapat."
    )
    services.add_decision(
        actor=staff,
        meeting=meeting,
        text=f"Menyempurnakan indikator: {LONG_INDICATOR}",
        agenda_item=item,
        owner_unit=year.units["a"],
        due_date=today() + timedelta(days=7),
    )
    data, _draft = documents.render(meeting, "docx")
    return {"meeting-report.docx": data}


def naskah_dinas(year: Year) -> dict[str, bytes]:
    from rkpk.correspondence import rendering, services
    from rkpk.correspondence.models import LetterTemplate

    template = LetterTemplate.objects.order_by("pk").first()
    document = services.create_from_template(
        actor=year.role_users["staff"],
        template=template,
        values={"year": YEAR, "cycle": f"Siklus {YEAR}", "deadline": "29 Januari 2027"},
        addressee="Para Kepala Satuan Organisasi",
        copies="",
    )
    return {
        "naskah-dinas.docx": rendering.render_document(document, fmt="docx"),
        "naskah-dinas.pdf": rendering.render_document(document, fmt="pdf"),
    }


# --- XLSX -------------------------------------------------------------------------------


def workbooks(year: Year) -> dict[str, bytes]:
    """The plan workbook and the exports (the consolidated workbooks come with
    `consolidated_documents`)."""
    from rkpk.analysis import goal_import
    from rkpk.analysis.models import RenstraPeriod
    from rkpk.complaints import export as complaints_export
    from rkpk.complaints.models import Complaint
    from rkpk.core.calendar import today
    from rkpk.correspondence.exports import book_workbook
    from rkpk.correspondence.models import Register
    from rkpk.organisation import importers
    from rkpk.organisation import selectors as organisation_selectors
    from rkpk.plans import excel, lists, monitoring
    from rkpk.plans.lists_xlsx import export_list

    files = {
        "plan-workbook.xlsx": excel.build_workbook(year.unit_plan),
        "monitoring.xlsx": monitoring.board_workbook(monitoring.board(YEAR)),
        "goals.xlsx": goal_import.template_workbook(RenstraPeriod.objects.first()),
        "units.xlsx": importers.build_workbook(importers.UNITS, organisation_selectors.unit_rows()),
        "officials.xlsx": importers.build_workbook(
            importers.OFFICIALS, organisation_selectors.official_rows()
        ),
        "complaints.xlsx": complaints_export.register_workbook(Complaint.objects.all(), today()),
    }
    for slug in lists.KINDS:
        files[f"list-{slug}.xlsx"] = export_list(slug)
    register = Register.objects.order_by("pk").first()
    if register is not None:
        files["agenda-book.xlsx"] = book_workbook(register, YEAR)
    return files


def every_document(year: Year) -> dict[str, bytes]:
    files = {}
    for build in (unit_documents, consolidated_documents):
        files.update(build(year, pdf=True))
    for build in (ministry_draft, meeting_report, naskah_dinas, workbooks):
        files.update(build(year))
    return files
