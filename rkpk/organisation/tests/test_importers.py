"""The import: reading XLSX/CSV, checking every row, writing nothing unless all is valid.

`parse_upload()` is checked for the exact error (sheet, row as Excel shows it, column);
the bad-input cases are then posted through the import page, which must write nothing.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from rkpk.core import sheet_reader
from rkpk.core.models import AuditEvent
from rkpk.organisation import importers
from rkpk.organisation.importers import OFFICIALS, UNITS, parse_upload
from rkpk.organisation.models import Official, Unit
from rkpk.organisation.tests.helpers import (
    OFFICIAL_HEADER,
    OFFICIAL_TEMPLATE_HEADER,
    UNIT_HEADER,
    audit_events,
    csv_file,
    rewrite_zip,
    xlsx_bytes,
    xlsx_file,
)

NIP_1 = "197001011990031001"
NIP_2 = "198002022005012002"


def only_error(result):
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0]


# --- Valid files --------------------------------------------------------------------------


def test_valid_units_xlsx_parent_later_in_file_and_in_database(units):
    upload = xlsx_file(
        [
            UNIT_HEADER,
            ["E1.A.1", "Bagian Satu", "Bag 1", 3, "E1.A.X", "Kepala Bagian"],  # parent below
            ["E1.A.X", "Biro X", "", 2, "E1", "Kepala Biro X"],  # parent in the database
            ["E2", "Deputi Dua", "Dep 2", 1, "", "Deputi"],
        ]
    )
    result = parse_upload(upload, kind=UNITS)
    assert result.ok, [str(e) for e in result.errors]
    assert [r.code for r in result.rows] == ["E1.A.1", "E1.A.X", "E2"]
    assert result.rows[0].row == 2 and result.rows[0].level == 3
    assert result.sheet == "Sheet1"


def test_valid_units_csv_semicolon_with_bom_and_loose_headers(units):
    upload = csv_file(
        [
            [" Code ", "NAME", "Short Name", "Level", "Parent Code", "head position"],
            ["E1.C", "Biro C", "BC", "2", "E1", "Kepala Biro C"],
        ],
        delimiter=";",
    )
    upload = SimpleUploadedFile("units.csv", b"\xef\xbb\xbf" + upload.read())
    result = parse_upload(upload, kind=UNITS)
    assert result.ok, [str(e) for e in result.errors]
    row = result.rows[0]
    assert (row.code, row.short_name, row.level, row.parent_code, row.head_position) == (
        "E1.C",
        "BC",
        2,
        "E1",
        "Kepala Biro C",
    )


def test_valid_officials_csv_comma(units):
    upload = csv_file(
        [
            OFFICIAL_HEADER,
            [NIP_1, "Dr. Budi", "Kepala Biro A", "IV/c", "E1.A", "yes"],
            [NIP_2, "Sari", "Analis", "", "", "tidak"],
        ],
        name="officials.csv",
    )
    result = parse_upload(upload, kind=OFFICIALS)
    assert result.ok, [str(e) for e in result.errors]
    assert [(r.nip, r.unit_code, r.is_active) for r in result.rows] == [
        (NIP_1, "E1.A", True),
        (NIP_2, "", False),
    ]


def test_empty_rows_are_skipped_and_rows_keep_excel_numbers(units):
    upload = xlsx_file(
        [
            UNIT_HEADER,
            ["E3", "Tiga", "", 1, "", ""],
            [None, None, None, None, None, None],
            ["", "  ", "", "", "", ""],
            ["E3.A", "Tiga A", "", "two", "E3", ""],
        ]
    )
    result = parse_upload(upload, kind=UNITS)
    assert [r.code for r in result.rows] == ["E3", "E3.A"]
    error = only_error(result)
    assert (error.row, error.label) == (5, "D (level)")


def test_template_round_trip(units):
    """The downloadable template, filled in, imports cleanly."""
    workbook = load_workbook(io.BytesIO(importers.build_workbook(OFFICIALS)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == OFFICIAL_TEMPLATE_HEADER
    assert sheet.title == OFFICIALS
    sheet.append([NIP_1, "Budi", "Staf", "III/a", "E1.A", "yes"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("filled.xlsx", buffer.getvalue())
    result = parse_upload(upload, kind=OFFICIALS)
    assert result.ok, [str(e) for e in result.errors]
    assert result.rows[0].nip == NIP_1


# --- Bad rows: each names the row and the column ------------------------------------------


def test_text_in_level_column(units):
    upload = xlsx_file([UNIT_HEADER, ["E5", "Lima", "", "Eselon II", "", ""]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.sheet, error.row, error.label) == ("Sheet1", 2, "D (level)")
    assert "Eselon II" in error.message


def test_level_out_of_range(units):
    error = only_error(
        parse_upload(xlsx_file([UNIT_HEADER, ["E5", "L", "", 7, "", ""]]), kind=UNITS)
    )
    assert (error.row, error.label) == (2, "D (level)")


def test_nip_not_18_digits(units):
    upload = csv_file([OFFICIAL_HEADER, [NIP_1, "A", "Staf", "", "", ""], ["12345", "B", "Staf"]])
    error = only_error(parse_upload(upload, kind=OFFICIALS))
    assert (error.sheet, error.row, error.label) == ("units.csv", 3, "A (nip)")
    assert "18 digits" in error.message


def test_nip_stored_as_float_number(units):
    upload = xlsx_file([OFFICIAL_HEADER, [1.97001011990031e17, "A", "Staf", "", "", ""]])
    error = only_error(parse_upload(upload, kind=OFFICIALS))
    assert (error.row, error.label) == (2, "A (nip)")
    assert "Text" in error.message


def test_duplicate_codes_in_file(units):
    upload = xlsx_file(
        [
            UNIT_HEADER,
            ["E6", "Enam", "", 1, "", ""],
            ["E7", "Tujuh", "", 1, "", ""],
            ["E6", "Enam lagi", "", 1, "", ""],
        ]
    )
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.row, error.label) == (4, "A (code)")
    assert "row 2" in error.message


def test_duplicate_nips_in_file(units):
    upload = csv_file(
        [OFFICIAL_HEADER, [NIP_1, "A", "Staf", "", "", ""], [NIP_1, "B", "Staf", "", "", ""]]
    )
    error = only_error(parse_upload(upload, kind=OFFICIALS))
    # One NIP is one person: a different name on the same NIP is refused.
    assert (error.row, error.label) == (3, "B (name)")
    assert "row 2" in error.message
    # The same person twice without any post headed is a duplicate.
    upload = csv_file(
        [OFFICIAL_HEADER, [NIP_1, "A", "Staf", "", "", ""], [NIP_1, "A", "Staf", "", "", ""]]
    )
    error = only_error(parse_upload(upload, kind=OFFICIALS))
    assert (error.row, error.label) == (3, "A (nip)")


def test_unknown_parent_code(units):
    upload = xlsx_file([UNIT_HEADER, ["E8", "Delapan", "", 2, "NOWHERE", ""]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.row, error.label) == (2, "E (parent_code)")
    assert "NOWHERE" in error.message


def test_unknown_unit_code_for_official(units):
    upload = csv_file([OFFICIAL_HEADER, [NIP_1, "A", "Staf", "", "NOWHERE", ""]])
    error = only_error(parse_upload(upload, kind=OFFICIALS))
    assert (error.row, error.label) == (2, "E (unit_code)")
    assert "NOWHERE" in error.message


def test_parent_level_must_be_lower(units):
    # E1.A is level 2 in the database; a level-2 child under it is wrong.
    upload = xlsx_file([UNIT_HEADER, ["E1.A.9", "Salah", "", 2, "E1.A", ""]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.row, error.label) == (2, "D (level)")


def test_loop_between_rows(units):
    upload = xlsx_file(
        [UNIT_HEADER, ["L1", "Loop 1", "", 2, "L2", ""], ["L2", "Loop 2", "", 2, "L1", ""]]
    )
    messages = [e.in_words() for e in parse_upload(upload, kind=UNITS).errors]
    assert any("row 2" in m and "column E (parent_code)" in m and "loop" in m for m in messages)


def test_level_change_would_put_existing_child_above(units):
    upload = xlsx_file([UNIT_HEADER, ["E1", "Root", "", 2, "", ""]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.row, error.label) == (2, "D (level)")
    assert "E1.A, E1.B" in error.message


def test_formula_in_a_cell(units):
    upload = xlsx_file([UNIT_HEADER, ["E9", '=UPPER("x")', "", 1, "", ""]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.row, error.label) == (2, "B (name)")
    assert "Formula" in error.message


def test_formula_like_text_in_csv(units):
    upload = csv_file([UNIT_HEADER, ["E9", '=HYPERLINK("x")', "", "1", "", ""]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.row, error.label) == (2, "B (name)")


def test_missing_required_columns_are_named(units):
    upload = xlsx_file([["code", "short_name", "parent_code"], ["E9", "", ""]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert error.row == 1
    assert "name" in error.message and "level" in error.message
    assert error.label == "name, level"


def test_column_named_twice(units):
    upload = csv_file([["code", "name", "level", "Code"], ["E9", "N", "1", "E9"]])
    error = only_error(parse_upload(upload, kind=UNITS))
    assert (error.row, error.label) == (1, "D")
    assert "appears twice" in error.message


def test_sheet_named_after_the_kind_is_preferred(units):
    workbook_bytes = xlsx_bytes([["notes"], ["ignore me"]], title="Read me")
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    sheet = workbook.create_sheet("Units")
    sheet.append(UNIT_HEADER)
    sheet.append(["E9", "Sembilan", "", 1, "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_upload(SimpleUploadedFile("two-sheets.xlsx", buffer.getvalue()), kind=UNITS)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.sheet, result.rows[0].code) == ("Units", "E9")


def test_required_value_missing(units):
    upload = csv_file([OFFICIAL_HEADER, [NIP_1, "", "Staf", "", "", ""]])
    error = only_error(parse_upload(upload, kind=OFFICIALS))
    assert (error.row, error.label) == (2, "B (name)")


def test_bad_active_value(units):
    upload = csv_file([OFFICIAL_HEADER, [NIP_1, "A", "Staf", "", "", "maybe"]])
    error = only_error(parse_upload(upload, kind=OFFICIALS))
    assert (error.row, error.label) == (2, "F (active)")


# --- Bad files ----------------------------------------------------------------------------


def macro_enabled_xlsx() -> bytes:
    data = xlsx_bytes([UNIT_HEADER, ["E9", "N", "", 1, "", ""]])
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    types = types.replace(sheet_reader.WORKBOOK_TYPES[0], sheet_reader.MACRO_MAIN)
    return rewrite_zip(data, {"[Content_Types].xml": types.encode()})


def encrypted_xlsx() -> bytes:
    # What Excel writes for a password-protected workbook: an OLE compound file whose
    # directory names the EncryptionInfo and EncryptedPackage streams.
    body = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    body += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 400
    return sheet_reader.OLE_MAGIC + b"\x00" * 504 + body


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


BAD_FILES = {
    "pdf renamed xlsx": ("units.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not an Excel"),
    "zip that is not a workbook": ("units.xlsx", plain_zip(), "not an Excel workbook"),
    "macro content type": ("units.xlsx", macro_enabled_xlsx(), "Macro-enabled"),
    "xlsm name": ("units.xlsm", xlsx_bytes([UNIT_HEADER]), "Macro-enabled"),
    "password protected": ("units.xlsx", encrypted_xlsx(), "password-protected"),
    "corrupt xlsx": ("units.xlsx", xlsx_bytes([UNIT_HEADER])[:700], "damaged"),
    "pdf extension": ("units.pdf", b"%PDF-1.7", ".pdf"),
    "csv not utf-8": ("units.csv", "code,name,level\nE9,Café,1\n".encode("cp1252"), "UTF-8"),
    "csv that is a workbook": ("units.csv", xlsx_bytes([UNIT_HEADER]), "Excel workbook"),
    "empty": ("units.csv", b"", "empty"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_files_give_a_clear_message(units, case):
    name, content, expected = BAD_FILES[case]
    error = only_error(parse_upload(SimpleUploadedFile(name, content), kind=UNITS))
    assert expected in error.message


def test_file_over_10_mb(units):
    upload = SimpleUploadedFile("big.csv", b"a" * (10 * 1024 * 1024 + 1))
    error = only_error(parse_upload(upload, kind=UNITS))
    assert "10 MB" in error.message


# --- Through the import page: nothing is written unless the whole file is valid ----------


BAD_UPLOADS = {
    **{k: (v[0], v[1]) for k, v in BAD_FILES.items() if k != "empty"},
    "text in level": (
        "u.xlsx",
        xlsx_bytes([UNIT_HEADER, ["N1", "N", "", 1, "", ""], ["N2", "N", "", "two", "N1", ""]]),
    ),
    "duplicate code": ("u.xlsx", xlsx_bytes([UNIT_HEADER, ["N1", "N", "", 1], ["N1", "M", "", 1]])),
    "unknown parent": (
        "u.xlsx",
        xlsx_bytes([UNIT_HEADER, ["N1", "N", "", 1], ["N2", "M", "", 2, "ZZ"]]),
    ),
    "formula": (
        "u.xlsx",
        xlsx_bytes([UNIT_HEADER, ["N1", "N", "", 1], ["N2", "=A2", "", 2, "N1"]]),
    ),
    "missing column": ("u.csv", b"code,name\nN1,N\n"),
    "too big": ("u.csv", b"x" * (10 * 1024 * 1024 + 1)),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_import_page_writes_nothing_for_a_bad_file(admin_client, case):
    name, content = BAD_UPLOADS[case]
    units_before = set(Unit.objects.values_list("code", flat=True))
    response = admin_client.post(
        reverse("organisation:import"),
        {"kind": UNITS, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert response.context["result"].errors
    assert set(Unit.objects.values_list("code", flat=True)) == units_before
    assert not audit_events().exists()


def test_import_page_refuses_an_empty_file(admin_client):
    response = admin_client.post(
        reverse("organisation:import"), {"kind": UNITS, "file": SimpleUploadedFile("u.csv", b"")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not audit_events().exists()


def test_import_page_shows_row_and_column(admin_client):
    upload = xlsx_file([UNIT_HEADER, ["N1", "N", "", 1, "", ""], ["N2", "M", "", "dua", "N1", ""]])
    response = admin_client.post(reverse("organisation:import"), {"kind": UNITS, "file": upload})
    html = response.content.decode()
    assert "<td>3</td><td>D (level)</td>" in html
    assert not Unit.objects.filter(code="N1").exists()  # the valid row was not written either


def test_officials_with_a_bad_row_write_nothing(admin_client):
    upload = csv_file(
        [OFFICIAL_HEADER, [NIP_1, "A", "Staf", "", "E1.A", ""], ["123", "B", "Staf", "", "", ""]],
        name="officials.csv",
    )
    response = admin_client.post(
        reverse("organisation:import"), {"kind": OFFICIALS, "file": upload}
    )
    assert "A (nip)" in response.content.decode()
    assert not Official.objects.exists()
    assert not audit_events().exists()


def test_import_page_imports_a_valid_file(admin_client):
    upload = xlsx_file(
        [
            UNIT_HEADER,
            ["E1.A.1", "Bagian Satu", "", 3, "E1.A", "Kepala Bagian Satu"],
            ["E1.B", "Biro B (renamed)", "", 2, "E1", ""],
        ]
    )
    response = admin_client.post(
        reverse("organisation:import"), {"kind": UNITS, "file": upload}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("organisation:import")
    text = response.content.decode()
    assert "1 created, 1 updated, 0 unchanged" in text
    assert Unit.objects.get(code="E1.A.1").parent.code == "E1.A"
    assert Unit.objects.get(code="E1.B").name == "Biro B (renamed)"
    assert AuditEvent.objects.filter(action="unit.imported").count() == 1


def test_import_officials_csv_through_the_page(admin_client):
    upload = csv_file(
        [OFFICIAL_HEADER, [NIP_1, "Budi", "Kepala Biro A", "IV/c", "E1.A", "ya"]],
        name="officials.csv",
        delimiter=";",
    )
    response = admin_client.post(
        reverse("organisation:import"), {"kind": OFFICIALS, "file": upload}, follow=True
    )
    assert "1 created" in response.content.decode()
    official = Official.objects.get(nip=NIP_1)
    assert official.unit.code == "E1.A" and official.is_active
    # The same file again changes nothing.
    upload.seek(0)
    response = admin_client.post(
        reverse("organisation:import"), {"kind": OFFICIALS, "file": upload}, follow=True
    )
    assert "0 created, 0 updated, 1 unchanged" in response.content.decode()
