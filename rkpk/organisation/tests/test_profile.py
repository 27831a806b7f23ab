"""The organisation profile: the one read (cached, neutral before it is saved), the audited
update, the administrator's page (labels, errors, logo checked by content) and the API."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rkpk.core.models import AuditEvent
from rkpk.organisation import profile as organisation_profile
from rkpk.organisation.models import OrganisationProfile, Role

pytestmark = pytest.mark.django_db

API = "/api/v1/organisation-profile"
VALUES = {
    "name": "Badan Contoh Nasional",
    "short_name": "BCN",
    "minister_title": "Kepala Badan Contoh Nasional",
    "deputy_title": "Deputi Bidang Contoh",
    "head_of_bureau_title": "Kepala Biro Contoh",
    "head_of_section_title": "",
    "general_bureau_title": "Biro Umum",
    "pk_second_party_title": "Presiden Republik Indonesia",
    "pk_second_party_name": "",
    "pk_second_party_has_nip": False,
    "pk_second_party_nip": "",
    "address": "Jalan Contoh No. 1\nKota Contoh",
    "signing_city": "Kota Contoh",
}


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, kind: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


# --- the read ------------------------------------------------------------------------------


def test_before_it_is_saved_the_profile_is_neutral_and_not_configured():
    profile = organisation_profile.current_profile()
    assert profile.pk is None and not organisation_profile.is_configured()
    assert profile.name == organisation_profile.NEUTRAL_NAME
    assert organisation_profile.title("minister_title") == "Menteri"
    assert not OrganisationProfile.objects.exists()


def test_the_profile_is_read_once_and_read_again_after_a_save(admin, django_assert_num_queries):
    organisation_profile.update_profile(actor=admin, **VALUES)
    organisation_profile.current_profile()
    with django_assert_num_queries(0):
        for _ in range(5):
            assert organisation_profile.current_profile().name == VALUES["name"]
    organisation_profile.update_profile(actor=admin, **{**VALUES, "name": "Badan Baru"})
    with django_assert_num_queries(1):
        assert organisation_profile.current_profile().name == "Badan Baru"
        assert organisation_profile.is_configured()


def test_a_page_pays_no_query_per_use_of_the_profile(admin_client, admin):
    organisation_profile.update_profile(actor=admin, **VALUES)
    response = admin_client.get(reverse("organisation:profile"))
    assert response.status_code == 200
    assert response.context["organisation_name"] == VALUES["name"]
    assert VALUES["name"] in response.content.decode()


# --- the write -----------------------------------------------------------------------------


def test_the_update_is_audited_with_before_and_after(admin):
    profile = organisation_profile.update_profile(actor=admin, **VALUES)
    created = AuditEvent.objects.get(action="organisation.profile_created")
    assert created.before is None and created.after["name"] == VALUES["name"]
    organisation_profile.update_profile(actor=admin, **{**VALUES, "short_name": "BCN2"})
    updated = AuditEvent.objects.get(action="organisation.profile_updated")
    assert updated.before["short_name"] == "BCN" and updated.after["short_name"] == "BCN2"
    assert updated.object_id == str(profile.pk)
    # Saving the same values records nothing more.
    organisation_profile.update_profile(actor=admin, **{**VALUES, "short_name": "BCN2"})
    assert AuditEvent.objects.filter(action__startswith="organisation.profile").count() == 2
    assert OrganisationProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"minister_title": ""}, "minister_title"),
        ({"pk_second_party_title": ""}, "pk_second_party_title"),
        ({"signing_city": ""}, "signing_city"),
        ({"pk_second_party_has_nip": True, "pk_second_party_nip": ""}, "pk_second_party_nip"),
        ({"pk_second_party_has_nip": True, "pk_second_party_nip": "12ab"}, "pk_second_party_nip"),
    ],
)
def test_bad_values_are_refused_on_their_field_and_nothing_changes(admin, changes, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        organisation_profile.update_profile(actor=admin, **{**VALUES, **changes})
    assert field in refused.value.message_dict
    assert not OrganisationProfile.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="organisation.profile").exists()


def test_the_second_party_nip_is_kept_only_when_it_carries_one(admin):
    profile = organisation_profile.update_profile(
        actor=admin,
        **{**VALUES, "pk_second_party_has_nip": True, "pk_second_party_nip": "196001011990031001"},
    )
    assert organisation_profile.second_party(profile)["nip"] == "196001011990031001"
    profile = organisation_profile.update_profile(
        actor=admin, **{**VALUES, "pk_second_party_nip": "196001011990031001"}
    )
    assert profile.pk_second_party_nip == ""
    assert organisation_profile.second_party(profile)["nip"] == ""


def test_an_inactive_coordinating_unit_is_refused(admin, units):
    from django.core.exceptions import ValidationError

    units["b"].is_active = False
    units["b"].save()
    with pytest.raises(ValidationError) as refused:
        organisation_profile.update_profile(actor=admin, **VALUES, coordinating_unit=units["b"])
    assert "coordinating_unit" in refused.value.message_dict


# --- the page ------------------------------------------------------------------------------


def test_every_field_of_the_form_has_a_label(admin_client):
    response = admin_client.get(reverse("organisation:profile_edit"))
    assert response.status_code == 200
    form = response.context["form"]
    for name, field in form.fields.items():
        assert field.label, name
        assert f'for="id_{name}"' in response.content.decode(), name


def test_the_administrator_saves_the_profile_with_a_logo(admin_client, units):
    data = {
        **{k: v for k, v in VALUES.items() if k != "pk_second_party_has_nip"},
        "coordinating_unit": units["a"].pk,
        "logo": upload("lambang.png", png_bytes()),
    }
    response = admin_client.post(reverse("organisation:profile_edit"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = OrganisationProfile.objects.get()
    assert profile.name == VALUES["name"] and profile.coordinating_unit == units["a"]
    assert profile.logo.name.endswith(".png")
    logo = admin_client.get(reverse("organisation:profile_logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")
    page = admin_client.get(reverse("organisation:profile")).content.decode()
    assert VALUES["name"] in page and reverse("organisation:profile_logo") in page
    # The letterhead of a PDF embeds it (nothing is fetched).
    assert organisation_profile.logo_data_uri().startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lambang.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG or JPEG"),
        ("lambang.png", b"GIF89a" + b"\x00" * 20, "PNG or JPEG"),
        ("lambang.jpg", b"\xff\xd8\xff" + b"\x00" * (1024 * 1024 + 1), "1 MB"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(admin_client, name, content, message):
    data = {
        **{k: v for k, v in VALUES.items() if k != "pk_second_party_has_nip"},
        "logo": upload(name, content),
    }
    response = admin_client.post(reverse("organisation:profile_edit"), data)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors["logo"])
    assert not OrganisationProfile.objects.exists()


def test_missing_values_are_shown_on_their_fields(admin_client):
    response = admin_client.post(reverse("organisation:profile_edit"), {"name": ""})
    assert response.status_code == 422
    errors = response.context["form"].errors
    for field in ("name", "short_name", "minister_title", "pk_second_party_title"):
        assert field in errors
    assert "invalid-feedback" in response.content.decode()


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMIN])
def test_only_the_administrator_edits(role_users, client, role):
    client.force_login(role_users[role])
    assert client.get(reverse("organisation:profile")).status_code == 200
    assert client.get(reverse("organisation:profile_edit")).status_code == 403
    response = client.post(reverse("organisation:profile_edit"), VALUES)
    assert response.status_code == 403
    assert not OrganisationProfile.objects.exists()


def test_without_a_role_the_profile_page_is_refused(role_users, client):
    client.force_login(role_users["nobody"])
    assert client.get(reverse("organisation:profile")).status_code == 403


# --- the API -------------------------------------------------------------------------------


def _api(client, method: str, payload: dict):
    import json

    return getattr(client, method)(API, data=json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_reads_the_profile(role_users, client, role):
    client.force_login(role_users[role])
    body = client.get(API).json()
    assert body["configured"] is False and body["name"] == organisation_profile.NEUTRAL_NAME


def test_the_administrator_puts_the_profile(role_users, client, units):
    client.force_login(role_users["admin"])
    response = _api(client, "put", {**VALUES, "coordinating_unit": "E1.A"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["configured"] and body["name"] == VALUES["name"]
    assert body["coordinating_unit"] == "E1.A"
    assert OrganisationProfile.objects.get().coordinating_unit == units["a"]
    client.force_login(role_users["viewer"])
    assert client.get(API).json()["short_name"] == "BCN"


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMIN] + ["nobody"])
def test_other_roles_cannot_put_the_profile(role_users, client, role):
    client.force_login(role_users[role])
    assert _api(client, "put", VALUES).status_code == 403
    assert not OrganisationProfile.objects.exists()


def test_bad_input_is_answered_422_naming_the_field(role_users, client):
    client.force_login(role_users["admin"])
    response = _api(client, "put", {**VALUES, "coordinating_unit": "NOPE"})
    assert response.status_code == 422
    assert "coordinating_unit" in response.content.decode()
    response = _api(client, "put", {**VALUES, "name": ""})
    assert response.status_code == 422 and "name" in response.content.decode()
    response = _api(client, "put", {"name": "only"})
    assert response.status_code == 422
    assert not OrganisationProfile.objects.exists()


def test_the_logo_through_the_api(role_users, client):
    client.force_login(role_users["admin"])
    logo = {"logo": upload("l.png", png_bytes())}
    assert client.post(f"{API}/logo", logo).status_code == 422  # the profile first
    _api(client, "put", VALUES)
    response = client.post(f"{API}/logo", {"logo": upload("l.png", png_bytes())})
    assert response.status_code == 200 and response.json()["has_logo"]
    response = client.post(f"{API}/logo", {"logo": upload("l.png", b"not an image")})
    assert response.status_code == 422 and "logo" in response.content.decode()
    client.force_login(role_users["staff"])
    response = client.post(f"{API}/logo", {"logo": upload("l.png", png_bytes())})
    assert response.status_code == 403


def test_png_helper_is_a_png():
    assert organisation_profile.logo_type(png_bytes()) == "image/png"
    assert io.BytesIO(png_bytes()).read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_logo_is_printed_on_naskah_dinas_pdf_and_docx(admin, role_users):
    from docx import Document as WordDocument

    from rkpk.correspondence import rendering, services
    from rkpk.correspondence.models import LetterTemplate

    def draft():
        return services.create_from_template(
            actor=role_users["staff"],
            template=LetterTemplate.objects.get(key="step1-call-for-submissions"),
            values={"year": 2027},
            addressee="Para Pimpinan Unit",
        )

    plain = draft()
    assert b"/Image" not in rendering.render_document(plain, fmt="pdf")
    organisation_profile.update_profile(actor=admin, **VALUES)
    organisation_profile.update_profile(actor=admin, logo=upload("l.png", png_bytes()))
    document = draft()
    assert b"/Subtype /Image" in rendering.render_document(document, fmt="pdf")
    word = WordDocument(io.BytesIO(rendering.render_document(document, fmt="docx")))
    assert len(word.inline_shapes) == 1
    assert "BADAN CONTOH NASIONAL" in document.letterhead


def test_the_second_party_prints_a_nip_line_only_when_it_carries_one(
    admin, units, role_users, unit_head_approval_off
):
    from rkpk.analysis import consolidated_documents as documents
    from rkpk.analysis import services as analysis_services
    from rkpk.analysis.tests.compilation_factories import (
        accepted_plan,
        map_all,
        period_with_goals,
    )

    _period, goals = period_with_goals()
    plan = accepted_plan(units["a"], role_users["staff"], role_users["unit_operator"])
    map_all(plan, goals[0], role_users["staff"])
    compiled = analysis_services.compile_year(actor=role_users["staff"], year=2027)
    organisation_profile.update_profile(
        actor=admin, **{**VALUES, "pk_second_party_name": "Dr. Pihak Kedua"}
    )
    context = documents.document_context(compiled, doc="pk")
    assert context["second"]["position"] == "Presiden Republik Indonesia"
    assert context["second"]["name"] == "Dr. Pihak Kedua"
    assert context["second"]["nip_line"] == ""
    assert context["first"]["position"] == VALUES["minister_title"]
    assert context["title"] == "PENETAPAN KINERJA BADAN CONTOH NASIONAL TAHUN 2027"
    organisation_profile.update_profile(
        actor=admin,
        **{
            **VALUES,
            "pk_second_party_title": "Kepala Badan Induk",
            "pk_second_party_has_nip": True,
            "pk_second_party_nip": "196001011990031001",
        },
    )
    context = documents.document_context(compiled, doc="pk")
    assert context["second"]["nip_line"] == "NIP. 196001011990031001"
    html = documents.render_html(context)
    assert "Kepala Badan Induk" in html and "NIP. 196001011990031001" in html


def test_the_page_says_when_the_profile_is_not_filled_in(role_users, client):
    client.force_login(role_users["viewer"])
    page = client.get(reverse("organisation:profile")).content.decode()
    assert "has not been filled in yet" in page
    assert reverse("organisation:profile_edit") not in page


def test_the_administrator_removes_the_logo(
    admin, admin_client, django_capture_on_commit_callbacks
):
    organisation_profile.update_profile(actor=admin, **VALUES, logo=upload("l.png", png_bytes()))
    stored = OrganisationProfile.objects.get().logo
    assert stored and stored.storage.exists(stored.name)
    form = admin_client.get(reverse("organisation:profile_edit")).context["form"]
    assert "remove_logo" in form.fields
    data = {
        **{k: v for k, v in VALUES.items() if k != "pk_second_party_has_nip"},
        "remove_logo": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        assert admin_client.post(reverse("organisation:profile_edit"), data).status_code == 302
    assert not OrganisationProfile.objects.get().logo
    assert not stored.storage.exists(stored.name)
    assert admin_client.get(reverse("organisation:profile_logo")).status_code == 404


def test_the_letter_templates_are_offered_with_the_profile_titles(admin, role_users, client):
    organisation_profile.update_profile(actor=admin, **VALUES)
    client.force_login(role_users["staff"])
    page = client.get(reverse("correspondence:document_create")).content.decode()
    assert VALUES["minister_title"] in page and VALUES["deputy_title"] in page
    assert "{minister_title}" not in page and "{deputy_title}" not in page
