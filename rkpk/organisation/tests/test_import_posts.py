"""The officials import as officials really are: state officials without NIP, one person
holding several posts, acting posts (Plt./Plh.) with their dates, ignored columns."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rkpk.organisation import importers, selectors, services
from rkpk.organisation.importers import OFFICIALS, parse_upload
from rkpk.organisation.models import Headship, Official
from rkpk.organisation.tests.helpers import OFFICIAL_TEMPLATE_HEADER as HEADER
from rkpk.organisation.tests.helpers import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

NIP_ANI = "197001011990032001"
NIP_BUDI = "198002022005011002"


@pytest.fixture
def posts(units):
    units["a"].head_position = "Kepala Biro A"
    units["a"].save()
    units["b"].head_position = "Kepala Biro B"
    units["b"].save()
    units["root"].head_position = "Sekretaris Uji"
    units["root"].save()
    return units


def rows_file(*rows, name="officials.xlsx"):
    return xlsx_file([HEADER, *rows], name=name)


ANI_OWN = [NIP_ANI, "Ani", "Kepala Biro A", "IV/c", "E1.A", "yes", "", "E1.A", "definitif", "", ""]
ANI_PLT = [
    NIP_ANI,
    "Ani",
    "Kepala Biro A",
    "IV/c",
    "E1.A",
    "yes",
    "",
    "E1.B",
    "Plt",
    "2026-01-01",
    "",
]
MINISTER = ["", "Menteri Uji", "Menteri Uji", "", "", "yes", "yes", "", "", "", ""]


def _import(admin, upload):
    result = parse_upload(upload, kind=OFFICIALS)
    assert result.ok, [str(e) for e in result.errors]
    return services.import_officials(actor=admin, rows=result.rows, source="test.xlsx")


def test_one_person_two_posts_and_a_minister_without_nip(admin, posts):
    counts = _import(admin, rows_file(ANI_OWN, ANI_PLT, MINISTER))
    assert counts.created == 2
    ani = Official.objects.get(nip=NIP_ANI)
    minister = Official.objects.get(name="Menteri Uji")
    assert minister.nip is None and minister.is_state_official
    assert set(Headship.objects.values_list("unit__code", "kind", "starts_on")) == {
        ("E1.A", "def", None),
        ("E1.B", "Plt", date(2026, 1, 1)),
    }
    heads = selectors.current_heads([posts["a"], posts["b"]], on_date=date(2026, 6, 1))
    assert heads[posts["a"].pk] == ani and heads[posts["b"].pk].head_prefix == "Plt. "
    # Importing the same file again changes nothing (the minister is found by name).
    again = _import(admin, rows_file(ANI_OWN, ANI_PLT, MINISTER))
    assert (again.created, again.updated) == (0, 0)
    assert Official.objects.count() == 2 and Headship.objects.count() == 2


def test_export_reimports_cleanly(admin, posts, admin_client):
    _import(admin, rows_file(ANI_OWN, ANI_PLT, MINISTER))
    response = admin_client.get(reverse("organisation:export", args=["officials"]))
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("officials.xlsx", response.content)
    result = parse_upload(upload, kind=OFFICIALS)
    assert result.ok, [str(e) for e in result.errors]
    assert len(result.rows) == 3
    again = services.import_officials(actor=admin, rows=result.rows)
    assert (again.created, again.updated) == (0, 0) and Headship.objects.count() == 2


def test_own_post_as_unit_head_becomes_a_headship(admin, posts):
    row = [NIP_BUDI, "Budi", "Kepala Biro B", "", "E1.B", "", "", "", "", "", ""]
    _import(admin, rows_file(row))
    assert Headship.objects.get().official.name == "Budi"


def _errors(upload):
    result = parse_upload(upload, kind=OFFICIALS)
    assert not result.ok
    return [(e.row, e.label, e.message) for e in result.errors]


def test_civil_servant_without_nip_is_refused(posts):
    row = ["", "Tanpa NIP", "Analis", "", "E1.A", "", "", "", "", "", ""]
    ((number, column, message),) = _errors(rows_file(row))
    assert (number, column) == (2, "A (nip)") and "state_official" in message


def test_acting_post_needs_a_start_and_ordered_dates(posts):
    no_start = [*ANI_PLT[:9], "", ""]
    assert _errors(rows_file(ANI_OWN, no_start))[0][:2] == (3, "J (head_from)")
    backwards = [*ANI_PLT[:9], "2026-02-01", "2026-01-01"]
    assert _errors(rows_file(ANI_OWN, backwards))[0][:2] == (3, "K (head_until)")


def test_bad_kind_date_and_unknown_unit_name_the_cell(posts):
    bad_kind = [*ANI_PLT[:8], "Pj", "2026-01-01", ""]
    bad_date = [*ANI_PLT[:9], "kemarin", ""]
    unknown = [*ANI_PLT[:7], "NOWHERE", "Plt", "2026-01-01", ""]
    errors = _errors(rows_file(ANI_OWN, bad_kind, bad_date, unknown))
    assert (3, "I (head_kind)") in [e[:2] for e in errors]
    assert (4, "J (head_from)") in [e[:2] for e in errors]
    assert (5, "H (head_of_unit)") in [e[:2] for e in errors]


def test_overlapping_acting_heads_in_the_file(posts):
    budi_plh = [
        NIP_BUDI,
        "Budi",
        "Analis",
        "",
        "E1.B",
        "",
        "",
        "E1.B",
        "Plh",
        "2026-03-01",
        "2026-03-10",
    ]
    errors = _errors(rows_file(ANI_OWN, ANI_PLT, budi_plh))
    ((number, column, message),) = errors
    assert (number, column) == (4, "H (head_of_unit)") and "row 3" in message


def test_a_second_own_post_is_refused(posts):
    other = [NIP_ANI, "Ani", "Kepala Biro B", "IV/c", "E1.B", "yes", "", "", "", "", ""]
    ((number, column, message),) = _errors(rows_file(ANI_OWN, other))
    assert (number, column) == (3, "C (position)") and "Plt" in message


def test_conflict_with_the_database_names_the_row_and_saves_nothing(admin, posts):
    budi = Official.objects.create(name="Budi", nip=NIP_BUDI, position="Analis", unit=posts["b"])
    Headship.objects.create(official=budi, unit=posts["b"], kind="Plh", starts_on=date(2026, 1, 5))
    result = parse_upload(rows_file(ANI_OWN, ANI_PLT), kind=OFFICIALS)
    assert result.ok
    with pytest.raises(ValidationError) as error:
        services.import_officials(actor=admin, rows=result.rows)
    text = " ".join(error.value.messages)
    assert "row 3" in text and "J (head_from)" in text and "Budi" in text
    assert not Official.objects.filter(nip=NIP_ANI).exists()
    assert Headship.objects.count() == 1


def test_unknown_columns_are_listed_as_ignored(admin_client, posts):
    upload = csv_file([[*HEADER, "Keterangan"], [*ANI_OWN, "catatan"]], name="officials.csv")
    result = parse_upload(upload, kind=OFFICIALS)
    assert result.ok and result.ignored == ["L (Keterangan)"]
    upload.seek(0)
    response = admin_client.post(
        reverse("organisation:import"), {"kind": OFFICIALS, "file": upload}, follow=True
    )
    assert "L (Keterangan)" in response.content.decode()
    assert Official.objects.filter(nip=NIP_ANI).exists()


def test_old_files_without_the_new_columns_still_import(admin, posts):
    upload = csv_file(
        [HEADER[:6], [NIP_BUDI, "Budi", "Analis", "", "E1.B", ""]], name="officials.csv"
    )
    _import(admin, upload)
    assert Official.objects.get().is_state_official is False


def test_template_explains_several_posts():
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(importers.build_workbook(OFFICIALS)))
    notes = " ".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row)
    assert "head_of_unit" in notes and "state_official" in notes


def test_zeros_are_not_a_nip(admin, posts):
    zeros = "0" * 18
    minister = [zeros, "Menteri Uji", "Menteri Uji", "", "", "yes", "yes", "", "", "", ""]
    _import(admin, rows_file(minister))
    assert Official.objects.get().nip is None
    clerk = [zeros, "Staf", "Analis", "", "E1.A", "", "", "", "", "", ""]
    ((number, column, message),) = _errors(rows_file(clerk))
    assert (number, column) == (2, "A (nip)") and "Zeros" in message
    with pytest.raises(ValidationError):
        services.create_official(actor=admin, name="X", nip=zeros, position="Menteri")
