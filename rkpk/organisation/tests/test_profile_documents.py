"""Every document kind read with a second organisation profile: that profile's names appear
and none of the first demo's; documents already issued keep the profile they were issued
with; no source file names a particular ministry."""

import io
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from docx import Document as WordDocument
from openpyxl import load_workbook

from rkpk.organisation import profile as organisation_profile
from rkpk.organisation.models import Official, OrganisationProfile

pytestmark = pytest.mark.django_db

SECOND = {
    "name": "Badan Contoh Nasional",
    "short_name": "BCN",
    "minister_title": "Kepala Badan Contoh Nasional",
    "deputy_title": "Deputi Bidang Contoh Pengawasan",
    "head_of_bureau_title": "Kepala Biro Contoh Kinerja",
    "head_of_section_title": "Kepala Bagian Contoh",
    "general_bureau_title": "Biro Umum Contoh",
    "pk_second_party_title": "Presiden Republik Indonesia",
    "pk_second_party_name": "",
    "address": "Jalan Contoh Raya No. 9\nKota Contoh 40111",
    "signing_city": "Kota Contoh",
}
# The first demo's names: none may be printed for another organisation.
FIRST_NAMES = ("Sekretariat Negara", "SEKRETARIAT NEGARA", "Kemensetneg", "Menteri Sekretaris")
SOURCE = Path(__file__).resolve().parents[2]  # rkpk/


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.decode().split())


def docx_text(data: bytes) -> str:
    word = WordDocument(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in word.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return " ".join(" ".join(parts).split())


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def text_of(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        return pdf_text(data)
    if name.endswith(".docx"):
        return docx_text(data)
    if name.endswith(".xlsx"):
        return xlsx_text(data)
    return data.decode() if isinstance(data, bytes) else data


def assert_second_profile(name: str, text: str, *expected: str) -> None:
    for first in FIRST_NAMES:
        assert first not in text, f"{name} prints {first!r}"
    for wanted in expected:
        assert wanted in text, f"{name} lacks {wanted!r}"


@pytest.fixture
def second_profile(db, units):
    # Operators submit directly here: the unit head's approval has its own tests.
    return OrganisationProfile.objects.create(
        **SECOND, coordinating_unit=units["a"], unit_head_approval=False
    )


def _minister(role_users):
    user = role_users["minister"]
    user.official = Official.objects.create(
        name="Dr. Kepala Contoh",
        nip=None,
        is_state_official=True,
        position=SECOND["minister_title"],
    )
    user.save(update_fields=["official"])
    return user


def _signed_year(role_users, units):
    """The ministry RK-PK of 2027 approved by the deputy, delivered and signed."""
    from rkpk.correspondence import dispatch
    from rkpk.correspondence import services as correspondence
    from rkpk.correspondence.models import Document
    from rkpk.ministry import services
    from rkpk.ministry.procedure_documents import TO_MINISTER
    from rkpk.ministry.tests.factories import approved_by_deputy

    plan = approved_by_deputy(role_users, units)
    memo = Document.objects.get(cycle=plan.cycle, purpose=TO_MINISTER, status="signed")
    correspondence.register(actor=role_users["staff"], document=memo)
    dispatch.dispatch(actor=role_users["staff"], document=memo, others=[SECOND["minister_title"]])
    minister = _minister(role_users)
    plan.refresh_from_db()
    version = services.current_version(plan)
    services.sign(actor=minister, plan=plan, version_number=version.number)
    plan.refresh_from_db()
    return plan


def _meeting(role_users, units, cycle):
    from rkpk.meetings import services

    staff = role_users["staff"]
    starts = timezone.now() - timedelta(hours=2)
    meeting = services.schedule(
        actor=staff,
        cycle=cycle,
        title="Rapat pembahasan RK-PK",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Ruang Rapat",
    )
    services.invite(actor=staff, meeting=meeting, units=[units["a"]])
    services.add_agenda_item(actor=staff, meeting=meeting, title="Pembahasan", notes="Catatan.")
    return meeting


def _naskah_dinas(role_users):
    """A draft from every template, besides the procedure's own memoranda of the year."""
    from rkpk.correspondence import services
    from rkpk.correspondence.models import LetterTemplate

    values = {"year": 2027, "cycle": "Siklus 2027", "deadline": "29 Januari 2027", "version": 1}
    return [
        services.create_from_template(
            actor=role_users["staff"],
            template=template,
            values=values,
            addressee="Para Pimpinan Unit",
        )
        for template in LetterTemplate.objects.order_by("key")
    ]


def test_every_document_names_the_second_profile(second_profile, role_users, units, settings):
    from rkpk.analysis import consolidated_documents
    from rkpk.analysis.models import Compilation
    from rkpk.correspondence import reference_data, rendering
    from rkpk.correspondence.models import Document
    from rkpk.meetings import documents as meeting_documents
    from rkpk.ministry import documents as ministry_documents
    from rkpk.ministry.models import FinalDocument
    from rkpk.notifications import digest
    from rkpk.notifications.models import Notification
    from rkpk.notifications.tasks import send_notification_emails
    from rkpk.plans.documents import render_plan_document
    from rkpk.plans.models import Submission, UnitPlan

    name, upper = SECOND["name"], SECOND["name"].upper()
    plan = _signed_year(role_users, units)
    files: dict[str, tuple[bytes, tuple[str, ...]]] = {}

    # Unit RK and PK (the accepted plan's submission), DOCX and PDF.
    unit_plan = UnitPlan.objects.filter(unit=units["a"]).first()
    submission = Submission.objects.filter(plan=unit_plan).order_by("-number").first()
    for doc in ("rk", "pk"):
        for fmt in ("docx", "pdf"):
            expected = ("Kota Contoh",) if doc == "pk" else ()
            files[f"unit-{doc}.{fmt}"] = (
                render_plan_document(submission, doc=doc, fmt=fmt),
                expected,
            )
    # Consolidated RK and PK.
    compilation = Compilation.objects.filter(year=plan.year).order_by("-number").first()
    for doc in ("rk", "pk"):
        for fmt in consolidated_documents.FORMATS:
            expected = (upper,) + (
                (SECOND["minister_title"], "Presiden Republik Indonesia", "Kota Contoh")
                if doc == "pk" and fmt != "xlsx"
                else ()
            )
            files[f"consolidated-{doc}.{fmt}"] = (
                consolidated_documents.render(compilation, doc=doc, fmt=fmt),
                expected,
            )
    # The ministry draft and the final RK and PK (as signed and stored, and as re-rendered).
    version = plan.signed_version
    for fmt in ("docx", "pdf"):
        files[f"ministry-draft.{fmt}"] = (
            ministry_documents.render_version(version, fmt=fmt),
            (upper, name),
        )
    for final in FinalDocument.objects.filter(plan=plan):
        final.pdf.open("rb")
        data = final.pdf.read()
        final.pdf.close()
        expected = (upper, SECOND["minister_title"], "Kota Contoh")
        if final.kind == "pk":
            expected += ("Presiden Republik Indonesia",)
        files[f"final-{final.kind}.pdf"] = (data, expected)
    # The meeting report.
    meeting = _meeting(role_users, units, plan.cycle)
    for fmt in ("docx", "pdf"):
        data, _draft = meeting_documents.render(meeting, fmt)
        files[f"meeting-report.{fmt}"] = (data, (upper, "Kota Contoh"))
    # Every naskah dinas: each template, and the memoranda the procedure made.
    drafts = _naskah_dinas(role_users)
    for document in [*drafts, *Document.objects.exclude(pk__in=[d.pk for d in drafts])]:
        key = document.purpose or document.template.key
        expected = (upper, "Kota Contoh")
        for fmt in ("pdf", "docx"):
            files[f"naskah-{key}-{document.pk}.{fmt}"] = (
                rendering.render_document(document, fmt=fmt),
                expected,
            )
    every_kind = {
        *(f"unit-{d}.{f}" for d in ("rk", "pk") for f in ("docx", "pdf")),
        *(f"consolidated-{d}.{f}" for d in ("rk", "pk") for f in ("docx", "pdf", "xlsx")),
        "ministry-draft.docx",
        "ministry-draft.pdf",
        "final-rk.pdf",
        "final-pk.pdf",
        "meeting-report.docx",
        "meeting-report.pdf",
    }
    assert every_kind <= set(files), every_kind - set(files)
    templates = {d.template.key for d in drafts}
    assert len(templates) == len(reference_data.TEMPLATES)
    assert sum(k.startswith("naskah-") for k in files) > 2 * len(drafts)
    texts = {}
    for file_name, (data, expected) in files.items():
        texts[file_name] = text_of(file_name, data)
        assert_second_profile(file_name, texts[file_name], *expected)
    # The titles and signers the procedure's documents print come from the profile.
    memo = Document.objects.get(cycle=plan.cycle, purpose="step10-deputy-to-minister")
    assert memo.addressee == SECOND["minister_title"]
    assert memo.signer_position == SECOND["deputy_title"]
    step10 = texts[f"naskah-step10-deputy-to-minister-{memo.pk}.pdf"]
    assert SECOND["deputy_title"] in step10 and SECOND["minister_title"] in step10
    letter = next(d for d in drafts if d.template.key == "step13-letter-to-menpan")
    assert letter.signer_position == SECOND["minister_title"]
    assert name in letter.subject and name in letter.body
    call = next(d for d in drafts if d.template.key == "step1-call-for-submissions")
    assert units["a"].name in call.body  # the coordinating unit
    assert all(d.place == "Kota Contoh" for d in drafts)
    # Register numbers carry the short name.
    registered = Document.objects.exclude(number="").first()
    assert registered is not None and "/BCN/" in registered.number

    # The verification pages of the final documents and of a registered naskah dinas.
    client = Client()
    for final in FinalDocument.objects.filter(plan=plan):
        page = client.get(f"/verify/{final.verification_token}/")
        assert page.status_code == 200
        assert_second_profile("verification page", page.content.decode(), name)
    page = client.get(f"/verify/{registered.verification_token}/")
    assert page.status_code == 200
    assert_second_profile("verification page (naskah dinas)", page.content.decode(), name)

    # Pages (the footer) and e-mails: one at once, and the daily digest.
    client.force_login(role_users["staff"])
    assert_second_profile("home page", client.get("/").content.decode(), name)
    user = role_users["staff"]
    user.email = "staf@contoh.invalid"
    user.save(update_fields=["email"])
    notification = Notification.objects.filter(recipient=user).first()
    assert notification is not None
    mail.outbox.clear()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    send_notification_emails.call([notification.pk])
    assert len(mail.outbox) == 1
    assert_second_profile("notification e-mail", mail.outbox[0].body, name)
    message = digest.build_digest(user, [notification], now=timezone.now())
    assert_second_profile("digest (text)", message.body, name)
    assert_second_profile("digest (HTML)", message.alternatives[0][0], name)


def test_issued_documents_keep_the_profile_they_were_issued_with(second_profile, role_users, units):
    from rkpk.correspondence import rendering
    from rkpk.correspondence.models import Document
    from rkpk.meetings import documents as meeting_documents
    from rkpk.meetings.models import Meeting
    from rkpk.ministry import documents as ministry_documents
    from rkpk.plans.documents import render_plan_document
    from rkpk.plans.models import Submission, UnitPlan

    plan = _signed_year(role_users, units)
    meeting = _meeting(role_users, units, plan.cycle)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.FILED, report=meeting_documents.report_content(meeting)
    )
    meeting.refresh_from_db()
    memo = Document.objects.exclude(number="").first()
    submission = Submission.objects.filter(plan__in=UnitPlan.objects.all()).first()

    organisation_profile.update_profile(
        actor=role_users["admin"],
        **{
            **SECOND,
            "name": "Lembaga Pengganti Nasional",
            "short_name": "LPN",
            "minister_title": "Kepala Lembaga Pengganti",
            "signing_city": "Kota Lain",
            "address": "Jalan Lain",
        },
    )
    assert organisation_profile.current_profile().name == "Lembaga Pengganti Nasional"
    later = ("Lembaga Pengganti", "LEMBAGA PENGGANTI", "Kota Lain", "Jalan Lain")

    def kept(label: str, text: str, *expected: str) -> None:
        for value in later:
            assert value not in text, f"{label} changed with the profile: {value!r}"
        for value in expected:
            assert value in text, f"{label} lacks {value!r}"

    upper = SECOND["name"].upper()
    for kind in ("rk", "pk"):
        html = ministry_documents.render_final_html(
            ministry_documents.final_context(plan, kind=kind, verification_url="https://x/v/")
        )
        kept(f"final {kind}", html, upper, SECOND["minister_title"], "Kota Contoh")
    kept(
        "ministry draft",
        docx_text(ministry_documents.render_version(plan.signed_version, fmt="docx")),
        upper,
    )
    kept("meeting report", docx_text(meeting_documents.render(meeting, "docx")[0]), upper)
    kept(
        "naskah dinas",
        pdf_text(rendering.render_document(memo, fmt="pdf")),
        upper,
        "Kota Contoh",
        "Jalan Contoh Raya No. 9",
    )
    kept(
        "unit PK",
        docx_text(render_plan_document(submission, doc="pk", fmt="docx")),
        "Kota Contoh",
    )
    page = Client().get(f"/verify/{plan.final_documents.get(kind='pk').verification_token}/")
    # The page's own footer names the organisation as it is now; the document's title is
    # the one it was signed with.
    content = page.content.decode()
    assert f"Kinerja {SECOND['name']} Tahun 2027" in content
    assert "Kinerja Lembaga Pengganti" not in content
    # What is made from now on prints the new profile.
    fresh = Document.objects.get(pk=_naskah_dinas(role_users)[0].pk)
    assert "LEMBAGA PENGGANTI NASIONAL" in fresh.letterhead and fresh.place == "Kota Lain"


# --- no ministry's name in the code ---------------------------------------------------------

EXCLUDED_PARTS = {"tests", "migrations", "locale", "demo_orgs", "static"}
# The shared conftest.py is read too: fixtures take the demo's names from its data.
EXCLUDED_NAMES = re.compile(r"^(demo|demo_.*)\.py$")
NAMES = re.compile(r"Sekretariat Negara|Kemensetneg|Setneg|Menteri Sekretaris", re.IGNORECASE)


def test_no_source_file_names_a_particular_ministry():
    found = []
    for path in SOURCE.rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or not path.is_file():
            continue
        relative = path.relative_to(SOURCE)
        if EXCLUDED_PARTS & set(relative.parts[:-1]) or EXCLUDED_NAMES.match(path.name):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if NAMES.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "A ministry's name outside demo data:\n" + "\n".join(found)
