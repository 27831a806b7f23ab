"""The minister signs the ministry RK-PK (step 11): the final RK and PK PDFs, their tokens and
SHA-256, acting signatures, the real PAdES signature, and every refusal."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rkpk.core.models import AuditEvent
from rkpk.correspondence import signing
from rkpk.correspondence.rendering import verification_url
from rkpk.correspondence.tests.test_signing import change_one_byte, make_certificate
from rkpk.ministry import services
from rkpk.ministry.models import FinalDocument, MinistryPlan
from rkpk.ministry.tests.factories import approved_by_deputy
from rkpk.ministry.tests.signing_helpers import (
    MINISTER_NAME,
    MINISTER_NIP,
    give_official,
    pdf_text,
    read_file,
    ready_to_sign,
    signed_plan,
)
from rkpk.organisation.models import ActingAssignment, Role
from rkpk.procedure.models import CycleStep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

AUTHENTIC = "Authentic and unchanged"
NOT_AUTHENTIC = "Not the authentic document, or altered."


def step_status(plan, number: int) -> str:
    return CycleStep.objects.get(cycle=plan.cycle, number=number).status


def finals(plan) -> dict[str, FinalDocument]:
    return {f.kind: f for f in FinalDocument.objects.filter(plan=plan)}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("ministry-cert"), "--days", "30")


@pytest.fixture
def pades(settings, certificate):
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = certificate
    settings.RKPK_SIGNING_KEY_PASSWORD = ""
    return signing.get_signer()


def acting_minister(make_user, kind="Plt"):
    """A user who is not the minister but acts for them today by an acting assignment."""
    user = make_user(f"u_{kind.lower()}_minister", Role.DEPUTY)
    give_official(
        user, name="Dr. Setya Utama, S.H., M.Si.", nip="196801011990031005", position="Deputi"
    )
    today = timezone.localdate()
    ActingAssignment.objects.create(
        user=user,
        role=Role.MINISTER,
        kind=kind,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=10),
        reason="Menteri bertugas ke luar negeri",
    )
    return user


# --- The signature ---------------------------------------------------------------------


def test_the_minister_signs_and_both_final_documents_are_issued(role_users, units):
    plan = ready_to_sign(role_users, units)
    version = services.current_version(plan)
    assert step_status(plan, 10) == "done" and step_status(plan, 11) != "done"
    services.sign(actor=role_users["minister"], plan=plan, version_number=version.number)
    plan.refresh_from_db()
    assert plan.status == MinistryPlan.Status.SIGNED
    assert plan.signed_version == version and plan.signed_by == role_users["minister"]
    assert plan.signed_name == MINISTER_NAME and plan.signed_nip == MINISTER_NIP
    assert plan.signed_position == "Menteri Sekretaris Negara" and plan.signed_acting == ""
    assert step_status(plan, 11) == "done"

    issued = finals(plan)
    assert set(issued) == {"rk", "pk"}
    assert issued["pk"].pdf.name.endswith("PK-KEMENTERIAN-2027.pdf")
    assert issued["rk"].pdf.name.endswith("RK-KEMENTERIAN-2027.pdf")
    assert issued["rk"].verification_token != issued["pk"].verification_token
    for kind, final in issued.items():
        data = read_file(final.pdf)
        assert hashlib.sha256(data).hexdigest() == final.pdf_sha256
        text = pdf_text(data)
        assert MINISTER_NAME in text and f"NIP. {MINISTER_NIP}" in text, kind
        assert "Ditandatangani secara elektronik" in text, kind
        # The QR code leads to the verification page, whose address the footer prints.
        assert verification_url(final.verification_token) in text, kind
    pk_text = pdf_text(read_file(issued["pk"].pdf))
    assert "Pihak Pertama" in pk_text and "Pihak Kedua" in pk_text
    assert "Presiden Republik Indonesia" in pk_text

    event = AuditEvent.objects.filter(action="ministry_plan.signed").get()
    assert event.actor == role_users["minister"]
    assert event.after["version"] == version.number and event.after["acting"] == ""
    assert event.after["pdf_sha256"] == {k: f.pdf_sha256 for k, f in issued.items()}
    assert event.after["content_hash"] == version.content_hash


def test_the_second_party_named_on_the_plan_is_printed(role_users, units):
    plan = ready_to_sign(role_users, units)
    MinistryPlan.objects.filter(pk=plan.pk).update(second_party_name="Ir. H. Joko Widodo")
    services.sign(actor=role_users["minister"], plan=plan, version_number=1)
    text = pdf_text(read_file(finals(plan)["pk"].pdf))
    assert "Ir. H. Joko Widodo" in text and "……" not in text


@pytest.mark.parametrize("kind", ["Plt", "Plh"])
def test_an_acting_minister_signs_as_such(role_users, units, make_user, kind):
    acting = acting_minister(make_user, kind)
    plan = signed_plan(role_users, units, actor=acting)
    assert plan.signed_by == acting and plan.signed_acting == kind
    assert plan.signed_name == "Dr. Setya Utama, S.H., M.Si."
    for final in finals(plan).values():
        text = pdf_text(read_file(final.pdf))
        assert f"{kind}. Menteri Sekretaris Negara" in text
        assert "NIP. 196801011990031005" in text
    assert AuditEvent.objects.get(action="ministry_plan.signed").after["acting"] == kind
    assert step_status(plan, 11) == "done"


def test_with_the_pades_signer_the_embedded_signature_validates(role_users, units, pades):
    plan = signed_plan(role_users, units)
    for final in finals(plan).values():
        data = read_file(final.pdf)
        assert hashlib.sha256(data).hexdigest() == final.pdf_sha256
        result = pades.verify(data)
        assert result.ok and result.pades and result.intact, final.kind
        assert "RK-PK Development Signer" in result.signer_subject
        assert pdf_text(data).count(MINISTER_NAME) >= 1
        altered = pades.verify(change_one_byte(data))
        assert altered.signed and not altered.intact


# --- Refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "admin",
        "staff",
        "head_of_section",
        "head_of_bureau",
        "deputy",
        "general_bureau",
        "viewer",
        "unit_operator",
        "unit_head",
        "operator_b",
        "nobody",
    ],
)
def test_only_the_minister_signs(role_users, units, code):
    plan = ready_to_sign(role_users, units)
    with pytest.raises(PermissionDenied):
        services.sign(actor=role_users[code], plan=plan, version_number=1)
    plan.refresh_from_db()
    assert plan.status == MinistryPlan.Status.APPROVED and plan.signed_at is None
    assert not FinalDocument.objects.exists()
    assert step_status(plan, 11) != "done"


def test_an_expired_acting_assignment_does_not_sign(role_users, units, make_user):
    acting = acting_minister(make_user)
    ActingAssignment.objects.filter(user=acting).update(
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() - timedelta(days=1),
    )
    plan = ready_to_sign(role_users, units)
    with pytest.raises(PermissionDenied):
        services.sign(actor=acting, plan=plan, version_number=1)
    assert not FinalDocument.objects.exists()


@pytest.mark.parametrize("number", [0, 2, "1x", None])
def test_an_outdated_or_unknown_version_is_refused(role_users, units, number):
    plan = ready_to_sign(role_users, units)
    with pytest.raises(services.ConflictError):
        services.sign(actor=role_users["minister"], plan=plan, version_number=number)
    assert not FinalDocument.objects.exists()


def test_a_version_replaced_by_a_newer_one_is_refused(role_users, units):
    """The deputy returned version 1; version 2 went up the chain; version 1 is not signed."""
    from rkpk.ministry.tests.factories import ready_for_drafting

    cycle = ready_for_drafting(role_users, units)
    section_writer = role_users["head_of_section"]
    plan = services.create_plan(actor=section_writer, cycle=cycle)
    services.submit(actor=section_writer, plan=plan)
    services.approve(actor=role_users["head_of_bureau"], plan=plan, version_number=1)
    services.return_for_revision(
        actor=role_users["deputy"], plan=plan, version_number=1, changes="Perbaiki Bab I."
    )
    section = plan.sections.get(key="pendahuluan")
    services.update_section(
        actor=section_writer, section=section, revision=section.revision, text="Bab I diperbaiki."
    )
    services.submit(actor=section_writer, plan=plan)
    services.approve(actor=role_users["head_of_bureau"], plan=plan, version_number=2)
    services.approve(actor=role_users["deputy"], plan=plan, version_number=2)
    from rkpk.ministry.tests.signing_helpers import deliver_to_minister

    deliver_to_minister(role_users, plan)
    give_official(role_users["minister"], name=MINISTER_NAME, nip=MINISTER_NIP)
    with pytest.raises(services.ConflictError, match="outdated"):
        services.sign(actor=role_users["minister"], plan=plan, version_number=1)
    services.sign(actor=role_users["minister"], plan=plan, version_number=2)
    plan.refresh_from_db()
    assert plan.signed_version.number == 2
    text = pdf_text(read_file(finals(plan)["rk"].pdf))
    assert "Bab I diperbaiki." in text


def test_signing_before_step_10_is_refused(role_users, units):
    plan = approved_by_deputy(role_users, units)
    assert step_status(plan, 10) != "done"
    with pytest.raises(ValidationError) as error:
        services.sign(actor=role_users["minister"], plan=plan, version_number=1)
    assert error.value.code == "not_delivered"
    plan.refresh_from_db()
    assert plan.status == MinistryPlan.Status.APPROVED and not FinalDocument.objects.exists()


def test_signing_before_the_deputy_approved_is_refused(role_users, units):
    from rkpk.ministry.tests.factories import ready_for_drafting

    cycle = ready_for_drafting(role_users, units)
    plan = services.create_plan(actor=role_users["head_of_section"], cycle=cycle)
    with pytest.raises(ValidationError) as error:
        services.sign(actor=role_users["minister"], plan=plan, version_number=1)
    assert error.value.code == "not_approved"
    services.submit(actor=role_users["head_of_section"], plan=plan)
    with pytest.raises(ValidationError):
        services.sign(actor=role_users["minister"], plan=plan, version_number=1)
    assert not FinalDocument.objects.exists()


def test_signing_twice_is_refused(role_users, units):
    plan = signed_plan(role_users, units)
    before = {k: f.pdf_sha256 for k, f in finals(plan).items()}
    with pytest.raises(ValidationError) as error:
        services.sign(actor=role_users["minister"], plan=plan, version_number=1)
    assert error.value.code == "signed"
    assert {k: f.pdf_sha256 for k, f in finals(plan).items()} == before
    assert AuditEvent.objects.filter(action="ministry_plan.signed").count() == 1


def test_a_signed_plan_is_not_edited(role_users, units):
    plan = signed_plan(role_users, units)
    writer = role_users["head_of_section"]
    section = plan.sections.first()
    with pytest.raises(ValidationError):
        services.update_section(
            actor=writer, section=section, revision=section.revision, text="Diubah."
        )
    with pytest.raises(ValidationError):
        services.submit(actor=writer, plan=plan)
    with pytest.raises(ValidationError):
        services.refresh_tables(actor=writer, plan=plan)
    section.refresh_from_db()
    assert section.text != "Diubah." and plan.versions.count() == 1


# --- The verification page of a final document -------------------------------------------


def upload(client, url, data: bytes, name="PK-KEMENTERIAN-2027.pdf"):
    return client.post(url, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_the_verification_page_shows_the_facts_of_a_final_document(role_users, units, client):
    plan = signed_plan(role_users, units)
    pk = finals(plan)["pk"]
    url = reverse("verify_document", args=[pk.verification_token])
    assert verification_url(pk.verification_token).endswith(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    html = response.content.decode()
    assert "Penetapan Kinerja Kementerian Sekretariat Negara Tahun 2027" in html
    assert MINISTER_NAME in html and "Menteri Sekretaris Negara" in html
    assert pk.pdf_sha256 in html
    assert 'enctype="multipart/form-data"' in html and 'for="id_file"' in html
    # Only the facts: not the content of the plan.
    assert "Indikator kementerian 1" not in html and "Program Dukungan" not in html
    rk = finals(plan)["rk"]
    html = client.get(reverse("verify_document", args=[rk.verification_token])).content.decode()
    assert "Rencana Kinerja Kementerian Sekretariat Negara Tahun 2027" in html


def test_the_page_names_an_acting_signer(role_users, units, client, make_user):
    plan = signed_plan(role_users, units, actor=acting_minister(make_user))
    pk = finals(plan)["pk"]
    html = client.get(reverse("verify_document", args=[pk.verification_token])).content.decode()
    assert "Plt. Menteri Sekretaris Negara" in html and "Dr. Setya Utama" in html


def test_the_authentic_pdf_passes_and_an_altered_one_fails(role_users, units, client):
    plan = signed_plan(role_users, units)
    pk, rk = finals(plan)["pk"], finals(plan)["rk"]
    url = reverse("verify_document", args=[pk.verification_token])
    data = read_file(pk.pdf)
    html = upload(client, url, data).content.decode()
    assert AUTHENTIC in html and 'data-authentic="true"' in html
    html = upload(client, url, change_one_byte(data)).content.decode()
    assert NOT_AUTHENTIC in html and 'data-authentic="false"' in html
    # The RK is authentic, but it is not the PK this page is about.
    html = upload(client, url, read_file(rk.pdf)).content.decode()
    assert NOT_AUTHENTIC in html


def test_the_upload_page_finds_a_final_document_by_its_hash(role_users, units, client):
    plan = signed_plan(role_users, units)
    rk = finals(plan)["rk"]
    data = read_file(rk.pdf)
    html = upload(client, reverse("verify_upload"), data).content.decode()
    assert AUTHENTIC in html and rk.pdf_sha256 in html
    assert "Rencana Kinerja Kementerian Sekretariat Negara Tahun 2027" in html
    assert MINISTER_NAME in html
    html = upload(client, reverse("verify_upload"), change_one_byte(data)).content.decode()
    assert NOT_AUTHENTIC in html and "Rencana Kinerja Kementerian" not in html


def test_with_pades_the_page_checks_the_embedded_signature(role_users, units, client, pades):
    from rkpk.correspondence import verification
    from rkpk.ministry.verification import FinalDocuments

    plan = signed_plan(role_users, units)
    pk = finals(plan)["pk"]
    url = reverse("verify_document", args=[pk.verification_token])
    data = read_file(pk.pdf)
    html = upload(client, url, data).content.decode()
    assert AUTHENTIC in html and "The electronic signature is intact and valid." in html
    # A stored hash that matches an altered file does not make it authentic: the embedded
    # signature is checked too.
    altered = change_one_byte(data)
    FinalDocument.objects.filter(pk=pk.pk).update(pdf_sha256=hashlib.sha256(altered).hexdigest())
    pk.refresh_from_db()
    outcome = verification.check(altered, other=pk, kind=FinalDocuments())
    assert not outcome.authentic and outcome.signature.signed and not outcome.signature.intact
    assert NOT_AUTHENTIC in upload(client, url, altered).content.decode()


def test_unknown_tokens_are_404(role_users, units, client):
    signed_plan(role_users, units)
    for token in ("unknown-token", "x" * 41):
        assert client.get(f"/verify/{token}/").status_code == 404
