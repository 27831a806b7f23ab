"""A whole planning cycle in the real browser, on each demo organisation, with the demo
accounts, each doing their own part: from the call for submissions to the distribution of
the signed ministry RK-PK.

Every action is a click or a form on the pages people use; the database is only read, to
find a document's address, the names the demo uses (operator1's unit, the goals) and to
check what the pages said. The demo organisation comes from `seed_demo --organisation NAME
--no-cycle` (its units with plans for next year in mixed states).
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from rkpk.analysis.models import StrategicGoal
from rkpk.complaints.models import Complaint
from rkpk.core.audit import verify_chain
from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.core.tests.a11y import PageChecks, axe_check, require_axe
from rkpk.core.tests.raw_text import find_raw_text
from rkpk.correspondence.models import Document, Recipient
from rkpk.meetings.models import Meeting
from rkpk.ministry import procedure_documents as pd
from rkpk.ministry.models import FinalDocument, MinistryPlan
from rkpk.organisation import demo_orgs
from rkpk.organisation.models import Headship, OrganisationProfile, RoleAssignment
from rkpk.plans.models import UnitPlan
from rkpk.procedure.models import Cycle, CycleStep
from rkpk.survey.models import Response, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rkpk-demo-2026"
SHOTS = Path("test-results/whole-cycle")  # a folder per demo organisation below


def raw_text_check(page) -> list[str]:
    return [f"raw text: {line}" for line in find_raw_text(page.content())]


# Run on every page of the walk after each navigation (axe-core: no serious or critical
# violation; no raw code or untranslated message id). A check takes the Playwright page and
# returns the problems it saw; add more here.
PAGE_CHECKS = [axe_check, raw_text_check]
WALK: PageChecks | None = None  # the running walk's checks, for `click`


def visited(page) -> None:
    """The page hook: check the page if it loaded a document since its last check."""
    if WALK is not None:
        WALK(page)


def shot(name: str) -> str:
    """Where to save a screenshot or file (the folder made again: other test sessions may
    have emptied test-results/ meanwhile)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return str(SHOTS / name)


class Desks:
    """One signed-in browser tab per demo account, opened on first use."""

    def __init__(self, browser, base_url: str, checks: PageChecks):
        self.browser, self.base_url, self.pages, self.errors = browser, base_url, {}, []
        self.checks = checks

    def __call__(self, username: str, path: str | None = None):
        page = self.pages.get(username)
        if page is None:
            context = self.browser.new_context(base_url=self.base_url, locale="en-GB")
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            page.on(
                "console",
                lambda m, who=username: (
                    self.errors.append(f"{who}: {m.text}") if m.type == "error" else None
                ),
            )
            page.goto("/accounts/login/")
            self.checks.watch(page, username)
            self.checks(page)
            page.locator("#id_username").fill(username)
            page.locator("#id_password").fill(PASSWORD)
            page.locator("button[type=submit]").click()
            page.wait_for_url(f"{self.base_url}/")
            self.pages[username] = page
        if path is not None:
            self.checks(page)  # what a raw click loaded, before it is left
            page.goto(path)
            self.checks(page)
        return page

    def check_all(self) -> None:
        for page in self.pages.values():
            self.checks(page)


def click(page, name: str, *, exact: bool = False):
    """Click the button or link named `name` and wait for the page it leads to."""
    visited(page)
    target = page.get_by_role("button", name=name, exact=exact)
    if target.count() == 0:
        target = page.get_by_role("link", name=name, exact=exact)
    if target.count() == 0:
        page.screenshot(path=shot("missing.png"), full_page=True)
        raise AssertionError(f"no button or link {name!r} on {page.url}")
    target.first.click()
    page.wait_for_load_state()
    visited(page)


def step_status(cycle: Cycle) -> dict[int, str]:
    return dict(CycleStep.objects.filter(cycle=cycle).values_list("number", "status"))


def document(cycle: Cycle, purpose: str) -> Document:
    return pd.current_documents(cycle)[purpose]


def sign_document(desk, cycle, purpose: str, signer: str, reviewer: str = "kabag"):
    """The bureau's staff sends the draft for review, the reviewer approves, the signer signs."""
    doc = document(cycle, purpose)
    path = f"/correspondence/{doc.pk}/"
    if doc.requires_review and doc.status == Document.Status.DRAFT:
        click(desk("staf", path), "Send for review")
        page = desk(reviewer, path)
        page.get_by_label("Approve").check()
        click(page, "Record the review")
    click(desk(signer, path), "Sign the document")
    doc.refresh_from_db()
    assert doc.status == Document.Status.SIGNED, (purpose, doc.status)


def register_and_dispatch(desk, cycle, purpose: str):
    doc = document(cycle, purpose)
    page = desk("staf", f"/correspondence/{doc.pk}/")
    click(page, "Register and number")
    click(page, "Dispatch", exact=True)  # the link to the dispatch form
    click(page, "Dispatch", exact=True)  # the form, its recipients proposed
    doc.refresh_from_db()
    assert doc.status == Document.Status.DISPATCHED, (purpose, doc.status)
    return doc


def complete_on_cycle_page(desk, year: int, number: int):
    page = desk("staf", f"/procedure/cycles/{year}/")
    start = page.locator(f"#step-{number} button", has_text="Start")
    if start.count():
        start.click()
        page.wait_for_load_state()
    page.locator(f"#step-{number} button", has_text="Complete").click()
    page.wait_for_load_state()


@pytest.fixture
def desk(browser, live_server):
    global WALK
    require_axe()
    WALK = PageChecks(PAGE_CHECKS)
    desks = Desks(browser, live_server.url, WALK)
    yield desks
    WALK = None
    # On a failure, what every account saw last.
    for username, page in desks.pages.items():
        page.screenshot(path=shot(f"last-{username}.png"), full_page=True)


@pytest.mark.parametrize("organisation", demo_orgs.names())
def test_a_whole_cycle_with_the_demo_accounts(desk, settings, organisation):
    global SHOTS
    SHOTS = Path("test-results/whole-cycle", organisation)
    settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG = False
    call_command("seed_demo", "--organisation", organisation, "--no-cycle", verbosity=0)
    year = today().year + 1
    # What differs between the demos, read from the loaded data.
    profile = OrganisationProfile.objects.get()
    assert profile.name == demo_orgs.get(organisation).title
    unit = RoleAssignment.objects.get(user__username="operator1", role="unit_operator").unit
    goals = StrategicGoal.objects.filter(period__start_year__lte=year, period__end_year__gte=year)

    # Every page names the organisation; the unit page shows an acting head as "Plt."/"Plh.".
    for headship in Headship.objects.exclude(kind=Headship.Kind.DEFINITIVE):
        page = desk("admin", f"/organisation/units/{headship.unit_id}/")
        head = page.locator("#current-head").inner_text()
        assert f"{headship.kind}. {headship.official.name}" in head, head
        assert profile.name in page.locator("footer").inner_text()

    # The bureau starts the cycle (the form proposes next year and today).
    page = desk("staf", "/procedure/cycles/new/")
    assert profile.name in page.locator("footer").inner_text()
    click(page, "Start", exact=True)
    cycle = Cycle.objects.get(year=year)

    # Step 1: the Head of Bureau's memo to the Deputy and the Deputy's call, signed.
    page = desk("staf", f"/correspondence/cycles/{year}/")
    click(page, "Create all missing drafts")
    sign_document(desk, cycle, pd.COVER_MEMO, "karo")
    sign_document(desk, cycle, pd.CALL, "deputi")
    assert step_status(cycle)[1] == "done"

    # Step 2: registered, numbered and sent to every unit.
    call = register_and_dispatch(desk, cycle, pd.CALL)
    assert call.number and step_status(cycle)[2] == "done"

    # Step 3: operator1 submits the unit's draft, the bureau accepts it; the bureau closes
    # the monitoring with the late units recorded.
    draft = UnitPlan.objects.get(year=year, unit=unit)
    assert draft.status == UnitPlan.Status.DRAFT
    page = desk("operator1", f"/plans/{unit.code}/{year}/")
    page.locator("#submit-plan").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.status == UnitPlan.Status.AWAITING_HEAD  # the unit head approves first
    page = desk("kaunit1", f"/plans/{unit.code}/{year}/")
    page.locator("#approve-plan").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.status == UnitPlan.Status.SUBMITTED
    page = desk("staf", f"/plans/{unit.code}/{year}/review/")
    click(page, "Accept version")
    assert UnitPlan.objects.get(pk=draft.pk).status == UnitPlan.Status.ACCEPTED
    complete_on_cycle_page(desk, year, 3)

    # Step 4: compiled.
    page = desk("staf", f"/analysis/compilations/{year}/")
    click(page, "Compile a new version")
    complete_on_cycle_page(desk, year, 4)

    # Step 5: the unit indicators mapped to the strategic goals (the suggestions accepted)
    # and compiled again; the analysis drafted by the staff, approved by the Head of Bureau.
    page = desk("staf", f"/analysis/mapping/{year}/")
    click(page, "Accept the first suggestion of every row on this page")
    page = desk("staf", f"/analysis/compilations/{year}/")
    click(page, "Compile a new version")
    page = desk("staf", f"/analysis/drafts/{year}/")
    click(page, "Create the analysis draft")
    page.locator("textarea[name=text]").first.fill(
        f"Analisis RK terhadap {goals.count()} sasaran stratejik."
    )
    click(page, "Save section")
    click(page, "Submit to the head of bureau")
    click(desk("karo", f"/analysis/drafts/{year}/"), "Approve (completes step 5)")
    assert step_status(cycle)[5] == "done"
    page.screenshot(path=shot("05-analysis.png"), full_page=True)

    # Step 6: the discussion meeting, chaired by the Head of Bureau; the report is filed.
    begun = timezone.localtime() - timedelta(minutes=30)
    page = desk("staf", f"/meetings/new/?cycle={year}")
    page.get_by_label("Title").fill("Rapat pembahasan RK-PK Kementerian")
    page.get_by_label("Date").fill(begun.date().isoformat())
    page.get_by_label("Starts at (WIB)").fill(begun.strftime("%H:%M"))
    page.get_by_label("Place").fill(f"Ruang Rapat {profile.coordinating_unit.name}")
    click(page, "Schedule")
    page.get_by_label("Units").select_option(index=[0, 1, 2])
    click(page, "Invite", exact=True)
    click(page, "Draft the invitation (naskah dinas)")
    meeting_url = f"/meetings/{Meeting.objects.get(cycle=cycle).pk}/"
    page = desk("staf", meeting_url)
    for select in page.locator("select[id^=att-]").all():
        select.select_option("present")
    click(page, "Save attendance")
    agenda = page.locator("#agenda")
    agenda.get_by_label("Agenda item").fill("Target kinerja kementerian")
    agenda.get_by_label("Notes").fill(
        f"Target disepakati dengan penyesuaian pada {goals.first().code}."
    )
    click(page, "Add item")
    decisions = page.locator("#decisions")
    decisions.get_by_label("Decision").fill(f"{unit.short_name} menyempurnakan target.")
    decisions.get_by_label("Owner (unit)").select_option(index=1)
    decisions.get_by_label("Due date").fill((today() + timedelta(days=7)).isoformat())
    click(page, "Record the decision")
    page.goto(f"{meeting_url}report/")
    click(page, "File the report (completes step 6)")
    assert step_status(cycle)[6] == "done"

    # Step 7: the head of section drafts the ministry RK-PK and submits it.
    page = desk("kabag", "/ministry/")
    click(page, "Start the draft")
    page.goto(f"/ministry/{year}/")
    page.locator("textarea[name=text]").first.fill("Pendahuluan RK-PK Kementerian.")
    click(page, "Save section")
    page.wait_for_selector("text=Section saved.")
    click(page, "Submit to the head of bureau")
    assert step_status(cycle)[7] == "done"

    # Step 8: the Head of Bureau comments on a table row and returns it with the change
    # required; the head of section revises; the Head of Bureau approves.
    page = desk("karo", f"/ministry/{year}/")
    row = page.locator("details.ministry-comment").nth(4)
    row.locator("summary").click()
    row.locator("textarea").fill("Target indikator ini perlu dinaikkan.")
    row.get_by_label("Required change").check()
    row.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    assert page.get_by_text("Target indikator ini perlu dinaikkan.").count()
    page.screenshot(path=shot("08-review.png"), full_page=True)
    page.get_by_label("Changes required (one per line)").fill("Naikkan target sesuai rapat.")
    click(page, "Return for revision")
    page = desk("kabag", f"/ministry/{year}/")
    assert page.get_by_text("Naikkan target sesuai rapat.").count()
    page.screenshot(path=shot("08-revise.png"), full_page=True)
    page.locator("textarea[name=text]").first.fill("Pendahuluan, target dinaikkan.")
    click(page, "Save section")
    page.wait_for_selector("text=Section saved.")
    click(page, "Submit to the head of bureau")
    click(desk("karo", f"/ministry/{year}/"), "Approve version 2")
    assert step_status(cycle)[8] == "done"
    assert document(cycle, pd.BUREAU_TO_DEPUTY).status == Document.Status.SIGNED

    # Step 9: the Deputy approves; step 10: the memo to the Minister is numbered and sent.
    click(desk("deputi", f"/ministry/{year}/"), "Approve version 2")
    assert step_status(cycle)[9] == "done"
    register_and_dispatch(desk, cycle, pd.TO_MINISTER)
    assert step_status(cycle)[10] == "done"

    # Step 11: the Minister approves and signs.
    page = desk("menteri", f"/ministry/{year}/")
    click(page, "Approve and sign")
    assert step_status(cycle)[11] == "done"
    page.screenshot(path=shot("11-signed.png"), full_page=True)

    # Step 12: binding requested from Biro Umum, who confirms; the bureau completes the step.
    sign_document(desk, cycle, pd.BINDING, "karo")
    register_and_dispatch(desk, cycle, pd.BINDING)
    click(desk("biroumum", f"/correspondence/cycles/{year}/"), "Confirm binding done")
    click(desk("staf", f"/correspondence/cycles/{year}/"), "Update the steps from the documents")
    assert step_status(cycle)[12] == "done"

    # Step 13: the Minister's letter to Kementerian PAN and the Deputy's distribution memo.
    sign_document(desk, cycle, pd.TO_MENPAN, "menteri")
    sign_document(desk, cycle, pd.DISTRIBUTION, "deputi")
    register_and_dispatch(desk, cycle, pd.TO_MENPAN)
    distribution = register_and_dispatch(desk, cycle, pd.DISTRIBUTION)
    assert set(step_status(cycle).values()) == {"done"}

    # A unit acknowledges receipt and reads the published, signed RK-PK.
    page = desk("operator1", f"/correspondence/{distribution.pk}/")
    click(page, "Acknowledge receipt")
    assert Recipient.objects.filter(
        document=distribution, acknowledged_at__isnull=False, unit=unit
    ).exists()
    page = desk("operator1", f"/ministry/{year}/")
    with page.expect_download() as download:
        page.locator(f"a[href='/ministry/{year}/final/pk.pdf']").first.click()
    body = Path(download.value.path()).read_bytes()
    final = FinalDocument.objects.get(plan__year=year, kind="pk")
    assert hashlib.sha256(body).hexdigest() == final.pdf_sha256
    Path(shot("PK.pdf")).write_bytes(body)
    page.screenshot(path=shot("13-published-unit.png"), full_page=True)

    # After the distribution the unit answers the satisfaction survey (SKM).
    survey = Survey.objects.get(cycle=cycle)
    page = desk("operator1", f"/survey/{survey.pk}/answer/{unit.code}/")
    for fieldset in page.locator("fieldset:has(input[type=radio])").all():
        fieldset.locator("input[type=radio]").nth(3).check()  # 4: the best of each element
    click(page, "Send the answer")
    assert Response.objects.filter(survey=survey, unit=unit).exists()

    # A complaint: filed by the unit, delegated by the Head of Bureau to the head of section,
    # answered, closed.
    page = desk("operator1", "/complaints/new/")
    page.get_by_label("Grievance (keluhan)").check()
    page.get_by_label("Subject").fill("Templat PK sulit diunduh")
    page.get_by_label("Text").fill("Unduhan templat PK sempat gagal pada hari kedua.")
    click(page, "Send the complaint")
    complaint = Complaint.objects.get()
    page = desk("karo", f"/complaints/{complaint.pk}/")
    page.locator("select[name=to]").select_option(index=1)
    click(page, "Delegate", exact=True)
    page = desk("kabag", f"/complaints/{complaint.pk}/")
    page.get_by_label("Answer to the complainant").fill(
        "Server telah diperbaiki; silakan coba lagi."
    )
    click(page, "Send the answer")
    click(desk("karo", f"/complaints/{complaint.pk}/"), "Close", exact=True)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED

    # The end: the timeline, the documents, the service's performance and the audit trail.
    page = desk("karo", f"/dashboard/{year}/")
    assert page.locator("svg").count() >= 1
    page.screenshot(path=shot("15-dashboard.png"), full_page=True)
    page = desk("karo", f"/procedure/cycles/{year}/")
    assert page.locator(".timeline svg rect.planned").count() == 13
    assert Cycle.objects.get(pk=cycle.pk).status == Cycle.Status.COMPLETED
    page.screenshot(path=shot("14-cycle.png"), full_page=True)
    page = desk("karo", f"/correspondence/cycles/{year}/")
    assert page.locator("text=Dispatched").count() >= 5
    page = desk("karo", "/audit/?action=ministry_plan.signed")
    assert page.get_by_text("ministry_plan.signed").count()
    assert MinistryPlan.objects.get(year=year).status == MinistryPlan.Status.PUBLISHED
    assert AuditEvent.objects.filter(action="ministry_plan.published").exists()
    assert verify_chain().ok

    # The same pages in Indonesian, the language of the users.
    meeting = Meeting.objects.get(cycle=cycle)
    for n, (username, path, expected) in enumerate(
        (
            ("karo", f"/ministry/{year}/", "Dipublikasikan"),
            ("staf", f"/meetings/{meeting.pk}/", "Butir agenda"),
            ("operator1", f"/ministry/{year}/", "Dipublikasikan"),
            ("admin", "/organisation/acting/", "Plt."),
            ("karo", "/complaints/register/", "ADU-"),
            ("karo", f"/survey/{survey.pk}/", "Indeks"),
            ("karo", f"/dashboard/{year}/", "Hari kerja"),
            ("operator1", "/notifications/settings/", "Ringkasan harian"),
        )
    ):
        page = desk(username, path)
        if page.locator("html").get_attribute("lang") != "id":
            click(page, "Bahasa Indonesia")
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.get_by_text(expected).count(), (username, path, expected)
        page.screenshot(path=shot(f"id-{n}-{username}.png"), full_page=True)

    # The time is bench.whole_cycle's figure, never an assertion: the machine is shared.
    assert desk.errors == []
    # Every page the walk loaded, for every account: axe-core and the other page checks.
    desk.check_all()
    assert desk.checks.pages_checked > 100
    assert not desk.checks.problems, desk.checks.report()
