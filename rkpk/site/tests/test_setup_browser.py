"""A new organisation set up in the real browser, from an empty (migrated) database.

The only command is `rkpk create_admin` (and, as a server's operator would, making the
signing certificate); everything else is done by the administrator on the pages, guided by
the set-up checklist: the profile, the unit tree and officials imported from XLSX files
written here, users with their roles, the strategic goals imported, the reference lists and
the service standard checked, then the first planning cycle started. Screenshots are saved
under /tmp/rkpk-setup/.
"""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from rkpk.core.calendar import today
from rkpk.organisation import importers
from rkpk.organisation.models import Official, RoleAssignment, Unit
from rkpk.procedure.models import Cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Admin-baru-2026!"
USER_PASSWORD = "Pengguna-baru-2026!"
SHOTS = Path("/tmp/rkpk-setup")

UNITS = [
    {"code": "KC", "name": "Sekretariat Jenderal Kementerian Contoh", "level": 1,
     "head_position": "Sekretaris Jenderal"},
    {"code": "KC.REN", "name": "Biro Perencanaan", "short_name": "Biro Ren", "level": 2,
     "parent_code": "KC", "head_position": "Kepala Biro Perencanaan"},
    {"code": "KC.UM", "name": "Biro Umum", "level": 2, "parent_code": "KC",
     "head_position": "Kepala Biro Umum"},
]  # fmt: skip
# One row per post: Budi heads the planning bureau and acts (Plt.) as head of the general
# bureau; the minister is a state official without NIP. Columns the importer does not know
# yet are simply left out of the file (the headers are read from the importer).
OFFICIALS = [
    {"nip": "", "state_official": "yes", "name": "Prof. Dr. Menteri Contoh",
     "position": "Menteri Contoh"},
    {"nip": "197001011995031001", "name": "Dr. Andi Contoh, M.Si.",
     "position": "Sekretaris Jenderal", "rank": "Pembina Utama (IV/e)", "unit_code": "KC",
     "head_of_unit": "KC"},
    {"nip": "197502022000032002", "name": "Budi Contoh, S.E., M.M.",
     "position": "Kepala Biro Perencanaan", "rank": "Pembina Utama Muda (IV/c)",
     "unit_code": "KC.REN", "head_of_unit": "KC.REN"},
    {"nip": "197502022000032002", "name": "Budi Contoh, S.E., M.M.",
     "position": "Kepala Biro Perencanaan", "rank": "Pembina Utama Muda (IV/c)",
     "unit_code": "KC.REN", "head_of_unit": "KC.UM", "head_kind": "Plt",
     "head_from": "(a month ago)"},
    {"nip": "198003032005011003", "name": "Citra Contoh, S.H.",
     "position": "Kepala Bagian Tata Usaha", "rank": "Pembina (IV/a)", "unit_code": "KC.UM"},
]  # fmt: skip
GOAL_HEADERS = ["periode", "kode sasaran", "sasaran", "kode indikator", "indikator", "satuan",
                "agregasi", "tahun", "target"]  # fmt: skip


def workbook(sheet: str, headers: list[str], rows: list[dict]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append([row.get(name, "") for name in headers])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def goals_workbook(year: int) -> bytes:
    period = f"{year - 1}-{year + 3}"
    rows = [
        [period, "SS1", "Meningkatnya kualitas perencanaan", "IKSS1.1",
         "Nilai SAKIP kementerian", "Nilai", "average", year, 80],
        [period, "SS2", "Meningkatnya layanan umum", "IKSS2.1",
         "Indeks kepuasan layanan", "Indeks", "average", year, 3.5],
    ]  # fmt: skip
    book = Workbook()
    ws = book.active
    ws.title = "sasaran"
    ws.append(GOAL_HEADERS)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def state(page, key: str) -> str:
    return page.locator(f"#setup-{key}").get_attribute("data-state")


def open_checklist(page) -> None:
    page.goto("/setup/")
    expect(page.get_by_role("heading", name="Set-up checklist")).to_be_visible()


def follow(page, key: str) -> None:
    """Click the checklist item's link and wait for the page it leads to."""
    page.locator(f"#setup-{key} a").click()
    page.wait_for_load_state()


def import_organisation(page, kind: str, content: bytes) -> None:
    page.goto("/organisation/import/")
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_file").set_input_files(
        {"name": f"{kind}.xlsx", "mimeType": "application/octet-stream", "buffer": content}
    )
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").filter(has_text="Import of")).to_be_visible()


def add_user(page, username: str, first_name: str, role: str, unit: str | None = None) -> None:
    page.goto("/organisation/users/new/")
    page.locator("#id_username").fill(username)
    page.locator("#id_first_name").fill(first_name)
    page.locator("#id_password").fill(USER_PASSWORD)
    page.locator("#id_password_confirm").fill(USER_PASSWORD)
    page.get_by_role("button", name="Create").click()
    page.wait_for_load_state()
    page.locator("#id_role").select_option(role)
    if unit:
        page.locator("#id_unit").select_option(str(Unit.objects.get(code=unit).pk))
    page.get_by_role("button", name="Add role").click()
    page.wait_for_load_state()


@pytest.fixture
def admin_page(browser, live_server, settings, monkeypatch, tmp_path):
    # The operator's two commands: the certificate and the first administrator.
    call_command("make_signing_certificate", "--out", str(tmp_path / "pki"), verbosity=0)
    settings.RKPK_SIGNING_CERT = str(tmp_path / "pki" / "signing-cert.pem")
    settings.RKPK_SIGNING_KEY = str(tmp_path / "pki" / "signing-key.pem")
    monkeypatch.setenv("RKPK_TEST_ADMIN_PASSWORD", ADMIN_PASSWORD)
    call_command("create_admin", "admin", "--password-env", "RKPK_TEST_ADMIN_PASSWORD")

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    yield page
    shot(page, "last")
    assert not errors, errors
    context.close()


def test_a_new_organisation_from_an_empty_database(admin_page):
    page = admin_page
    year = today().year + 1
    assert not Unit.objects.exists() and not Official.objects.exists()

    # The home page leads to the checklist.
    expect(page.locator("#setup-pending")).to_contain_text("items are left to do")
    page.get_by_role("link", name="Open the set-up checklist").click()
    page.wait_for_load_state()
    shot(page, "01-checklist-empty")
    for key in ("profile", "units", "officials", "users", "goals"):
        assert state(page, key) == "todo", key
    for key in ("lists", "standard", "certificate"):
        assert state(page, key) == "done", key
    assert state(page, "calendar") == "optional"

    # 1. The organisation profile.
    follow(page, "profile")
    assert page.url.endswith("/organisation/profile/edit/")
    page.locator("#id_name").fill("Kementerian Contoh Republik Indonesia")
    page.locator("#id_short_name").fill("Kemencontoh")
    page.locator("#id_minister_title").fill("Menteri Contoh")
    page.locator("#id_pk_second_party_title").fill("Presiden Republik Indonesia")
    page.locator("#id_signing_city").fill("Jakarta")
    page.locator("#id_address").fill("Jalan Contoh No. 1\nJakarta 10110")
    shot(page, "02-profile")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").filter(has_text="profile saved")).to_be_visible()
    open_checklist(page)
    assert state(page, "profile") == "done"

    # 2. Units, then officials, from XLSX files.
    unit_headers = [c.name for c in importers.COLUMNS[importers.UNITS]]
    official_headers = [c.name for c in importers.COLUMNS[importers.OFFICIALS]]
    import_organisation(page, importers.UNITS, workbook("units", unit_headers, UNITS))
    open_checklist(page)
    assert state(page, "units") == "done"
    expect(page.locator("#setup-units")).to_contain_text("3 units, 3 without a head")
    month_ago = (today() - timedelta(days=30)).isoformat()
    officials = [
        {**row, "head_from": month_ago} if row.get("head_from") else row for row in OFFICIALS
    ]
    import_organisation(
        page, importers.OFFICIALS, workbook("officials", official_headers, officials)
    )
    # The profile names the coordinating unit once the units are in.
    page.goto("/organisation/profile/edit/")
    page.locator("#id_coordinating_unit").select_option(str(Unit.objects.get(code="KC.REN").pk))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Biro Perencanaan").first).to_be_visible()

    open_checklist(page)
    expect(page.locator("#setup-units")).to_contain_text("3 units, 0 without a head")
    expect(page.locator("#setup-officials")).to_contain_text("4 officials")
    assert state(page, "officials") == "done"
    page.goto("/organisation/units/")
    expect(page.get_by_role("row").filter(has_text="KC.UM")).to_contain_text("Plt. Budi Contoh")
    shot(page, "02b-units")

    # 3. Users and the roles a cycle runs on.
    add_user(page, "staf.ren", "Dewi", "staff")
    add_user(page, "kabiro.ren", "Budi", "head_of_bureau")
    add_user(page, "operator.um", "Eko", "unit_operator", unit="KC.UM")
    shot(page, "03-user-roles")
    assert set(RoleAssignment.objects.values_list("user__username", "role")) == {
        ("admin", "admin"),
        ("staf.ren", "staff"),
        ("kabiro.ren", "head_of_bureau"),
        ("operator.um", "unit_operator"),
    }
    open_checklist(page)
    assert state(page, "users") == "done"

    # 4. The strategic goals with their ministry indicators.
    follow(page, "goals")
    page.goto("/analysis/goals/import/")
    page.locator("#file").set_input_files(
        {
            "name": "goals.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": goals_workbook(year),
        }
    )
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").filter(has_text="Imported 2 goals")).to_be_visible()

    # 5. The reference lists and the service standard, as the migrations loaded them.
    open_checklist(page)
    if page.locator("#setup-lists a").count():
        follow(page, "lists")
        open_checklist(page)
    follow(page, "standard")
    expect(page.locator("h1")).to_contain_text("standard")
    open_checklist(page)

    # Everything required is done: the banner leaves the home page.
    expect(page.locator("#setup-complete")).to_be_visible()
    assert page.locator("[data-state=todo]").count() == 0
    expect(page.locator("#setup-profile")).to_contain_text("Kementerian Contoh Republik Indonesia")
    expect(page.locator("#setup-profile")).not_to_contain_text("No coordinating unit")
    shot(page, "04-checklist-done")
    page.goto("/")
    expect(page.locator("#setup-pending")).to_have_count(0)

    # 6. The first planning cycle.
    open_checklist(page)
    page.get_by_role("link", name="Start a planning cycle").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_load_state()
    cycle = Cycle.objects.get()
    assert cycle.year == year
    assert page.url.endswith(f"/procedure/cycles/{year}/")
    expect(page.locator("#step-1")).to_be_visible()
    shot(page, "05-cycle")
