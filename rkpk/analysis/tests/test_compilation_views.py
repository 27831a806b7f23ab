import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from rkpk.analysis import consolidated_documents as documents
from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import Compilation
from rkpk.analysis.tests.compilation_factories import accepted_plan, map_all, period_with_goals
from rkpk.core.tests.role_matrix import row
from rkpk.plans.models import Indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

READERS = (
    "staff", "head_of_section", "head_of_bureau", "deputy", "minister", "viewer", "admin",
    "general_bureau",
)  # fmt: skip
OUTSIDERS = ("unit_operator", "unit_head", "operator_b", "nobody")


@pytest.fixture
def compiled(units, role_users):
    _period, goals = period_with_goals()
    staff = role_users["staff"]
    plan = accepted_plan(units["a"], staff, role_users["unit_operator"])
    Indicator.objects.filter(plan=plan).update(name='=HYPERLINK("http://x") Persentase')
    map_all(plan, goals[0], staff)
    return analysis_services.compile_year(actor=staff, year=2027)


def test_pages_for_the_ministry_only(compiled, role_matrix):
    outcomes = {"exact": dict.fromkeys(READERS, 200), "refused": OUTSIDERS}
    role_matrix(
        [
            row("analysis:compilation_list", 2027, **outcomes),
            row("analysis:compilation_detail", 2027, 1, **outcomes),
            row("analysis:compilation_coverage", 2027, **outcomes),
            row("analysis:compilation_download", 2027, 1, "pk", "xlsx", **outcomes),
        ]
    )


def test_compile_button_for_the_bureau(units, role_users, client_for):
    period_with_goals()
    url = reverse("analysis:compilation_compile", args=[2027])
    for code in ("viewer", "deputy", "unit_operator"):
        assert client_for(role_users[code]).post(url).status_code == 403
    listing = client_for(role_users["staff"]).get(reverse("analysis:compilation_list", args=[2027]))
    assert b'id="empty"' in listing.content
    response = client_for(role_users["staff"]).post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("analysis:compilation_detail", args=[2027, 1])
    page = response.content.decode()
    assert "have no accepted plan" in page  # every unit missing: allowed, warned
    assert Compilation.objects.get().missing_units
    listing = client_for(role_users["viewer"]).get(
        reverse("analysis:compilation_list", args=[2027])
    )
    assert b'id="missing-units"' in listing.content
    assert b"Compile a new version" not in listing.content


def test_coverage_page_draws_the_charts(compiled, role_users, client_for):
    client = client_for(role_users["head_of_bureau"])
    page = client.get(reverse("analysis:compilation_coverage", args=[2027]) + "?weak=3")
    html = page.content.decode()
    assert page.context["coverage"].weak == 3
    assert html.count('class="goal-bar"') == 3 and 'data-status="weak"' in html
    assert 'class="heat-cell"' in html
    assert "<script>" not in html and "<style" not in html
    assert "split equally" in html
    empty = client.get(reverse("analysis:compilation_coverage", args=[2031]))
    assert b'id="empty"' in empty.content


def test_downloads_every_format(compiled, role_users, client_for):
    client = client_for(role_users["staff"])
    for doc in documents.DOCS:
        for fmt in documents.FORMATS:
            response = client.get(
                reverse("analysis:compilation_download", args=[2027, 1, doc, fmt])
            )
            assert response.status_code == 200
            assert response["Content-Type"] == documents.CONTENT_TYPES[fmt]
            assert f"{doc.upper()}-KEMENTERIAN-2027-v1.{fmt}" in response["Content-Disposition"]
    bad = client.get(reverse("analysis:compilation_download", args=[2027, 1, "pk", "exe"]))
    assert bad.status_code == 404


def test_xlsx_neutralises_formulas(compiled):
    data = documents.render(compiled, doc="rk", fmt="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [row[3] for row in book["Indikator Unit"].iter_rows(min_row=3)]
    # Text, never a formula: a string cell with the quote prefix (no visible apostrophe).
    assert cells and all(c.value.startswith("=HYPERLINK") for c in cells)
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_pk_pdf_and_docx_content(compiled, demo_profile):
    context = documents.document_context(compiled, doc="pk")
    assert context["title"] == "PENETAPAN KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027"
    assert context["first"]["position"] == "Menteri Sekretaris Negara"
    html = documents.render_html(context)
    assert "&lt;" not in context["title"] and "=HYPERLINK" in html
    assert documents.render(compiled, doc="pk", fmt="pdf").startswith(b"%PDF")
    from docx import Document

    text = "\n".join(
        p.text
        for p in Document(io.BytesIO(documents.render(compiled, doc="pk", fmt="docx"))).paragraphs
    )
    assert "PENETAPAN KINERJA KEMENTERIAN SEKRETARIAT NEGARA TAHUN 2027" in text


def test_command_writes_six_files_and_warns(units, role_users, tmp_path, capsys):
    period_with_goals()
    accepted_plan(units["a"], role_users["staff"], role_users["unit_operator"])
    call_command("compile_plans", "--year", "2027", "--out", str(tmp_path), "--user", "u_staff")
    out = capsys.readouterr().out
    assert "warning:" in out and "E1.B" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{d}-KEMENTERIAN-2027-v1.{f}" for d in ("PK", "RK") for f in ("docx", "pdf", "xlsx")
    )
    assert Compilation.objects.get().created_by == role_users["staff"]
    call_command("compile_plans", "--year", "2027", "--out", str(tmp_path))
    assert Compilation.objects.filter(year=2027).count() == 2


def test_the_index_opens_the_running_cycles_year(role_users, client_for):
    from datetime import date

    from django.urls import reverse

    from rkpk.procedure import services as procedure_services

    procedure_services.start_cycle(
        actor=role_users["staff"], year=2031, start_date=date(2026, 1, 5)
    )
    response = client_for(role_users["staff"]).get(reverse("analysis:compilation_index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("analysis:compilation_list", args=[2031])


# --- Cost under load: constant queries, one list at a time, shared cached content ----------


def _more_units(role_users, goals, count):
    from rkpk.organisation.models import Role, RoleAssignment, Unit, User

    root = Unit.objects.get(code="E1")
    for n in range(count):
        unit = Unit.objects.create(code=f"E1.X{n}", name=f"Biro X{n}", level=2, parent=root)
        user = User.objects.create_user(username=f"opx{n}", password="x-Sandi-2026!")
        RoleAssignment.objects.create(user=user, role=Role.UNIT_OPERATOR, unit=unit)
        plan = accepted_plan(unit, role_users["staff"], user, indicators=3)
        map_all(plan, goals[n % len(goals)], role_users["staff"])


def _pages(number, goal):
    return [
        reverse("analysis:compilation_list", args=[2027]),
        reverse("analysis:compilation_detail", args=[2027, number]),
        reverse("analysis:compilation_detail", args=[2027, number]) + f"?list={goal.pk}&page=2",
        reverse("analysis:compilation_coverage", args=[2027]) + f"?version={number}",
        reverse("analysis:compilation_coverage", args=[2027]) + "?list=unmapped",
    ]


def test_pages_read_in_constant_queries_whatever_the_units(
    units, role_users, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _period, goals = period_with_goals()
    staff = role_users["staff"]
    map_all(accepted_plan(units["a"], staff, role_users["unit_operator"]), goals[0], staff)
    analysis_services.compile_year(actor=staff, year=2027)
    client = client_for(staff)
    few = []
    for url in _pages(1, goals[0]):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        few.append(len(ctx.captured_queries))
    _more_units(role_users, goals, 6)
    analysis_services.compile_year(actor=staff, year=2027)
    for url, count in zip(_pages(2, goals[0]), few, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_a_version_shows_one_list_at_a_time_a_page_at_a_time(
    compiled, role_users, client_for, monkeypatch
):
    from rkpk.analysis.models import StrategicGoal
    from rkpk.analysis.views import compilation as views

    monkeypatch.setattr(views, "LIST_PAGE", 1)
    goal = StrategicGoal.objects.get(code="SS-01")
    client = client_for(role_users["staff"])
    url = reverse("analysis:compilation_detail", args=[2027, 1])
    html = client.get(url).content.decode()
    # The goals' lists are links with their counts, none drawn until asked for.
    assert 'id="goal-lists"' in html and 'id="goal-unit-indicators"' not in html
    assert f'href="?list={goal.pk}#unit-indicators"' in html and "2 unit indicators" in html
    assert "=HYPERLINK" not in html
    html = client.get(f"{url}?list={goal.pk}").content.decode()
    assert html.count("=HYPERLINK") == 1 and "Page 1 of 2" in html
    assert f"list={goal.pk}&page=2" in html
    html = client.get(f"{url}?list={goal.pk}&page=2").content.decode()
    assert html.count("=HYPERLINK") == 1 and "Page 2 of 2" in html
    # Nonsense asks for the default list (the unit indicators serving no goal).
    assert client.get(f"{url}?list=x'&page=zz").status_code == 200
    assert client.get(reverse("analysis:compilation_detail", args=[2027, 7])).status_code == 404


def test_coverage_lists_one_long_list_at_a_time(compiled, role_users, client_for, monkeypatch):
    from rkpk.analysis.models import Mapping
    from rkpk.analysis.views import compilation as views

    Mapping.objects.filter(pk__in=Mapping.objects.values("pk")[:1]).delete()
    analysis_services.compile_year(actor=role_users["staff"], year=2027)
    monkeypatch.setattr(views, "LIST_PAGE", 1)
    client = client_for(role_users["staff"])
    url = reverse("analysis:compilation_coverage", args=[2027])
    html = client.get(url).content.decode()
    assert 'id="unmapped"' not in html
    assert "list=unmapped#unmapped-heading" in html and "1 unit indicator" in html
    html = client.get(f"{url}?list=unmapped").content.decode()
    assert 'id="unmapped"' in html and html.count("=HYPERLINK") == 1
    assert client.get(f"{url}?version=9").status_code == 404


def test_cached_pages_follow_a_new_version_and_the_language(
    compiled, role_users, client_for, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.RKPK_PAGE_CACHE = True
    cache.clear()
    client = client_for(role_users["viewer"])
    coverage = reverse("analysis:compilation_coverage", args=[2027])
    listing = reverse("analysis:compilation_list", args=[2027])
    detail = reverse("analysis:compilation_detail", args=[2027, 1])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "From compiled version 1." in client.get(coverage).content.decode()
    assert "Every unit indicator serves a goal." in client.get(detail).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Every unit indicator serves a goal." not in client.get(detail).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        analysis_services.compile_year(actor=role_users["staff"], year=2027)
    assert "From compiled version 2." in client.get(coverage).content.decode()
    assert 'href="/analysis/compilations/2027/v2/"' in client.get(listing).content.decode()
