"""Files built in the tests, audit look-ups."""

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rkpk.core.models import AuditEvent

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_HEADER = ["code", "name", "short_name", "level", "parent_code", "head_position"]
OFFICIAL_HEADER = ["nip", "name", "position", "rank", "unit_code", "active"]
HEAD_COLUMNS = ["state_official", "head_of_unit", "head_kind", "head_from", "head_until"]
# The template's header: the columns above, then the state-official mark and a post headed.
OFFICIAL_TEMPLATE_HEADER = OFFICIAL_HEADER + HEAD_COLUMNS


def xlsx_bytes(rows, *, title="Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows, *, name="units.xlsx", title="Sheet1") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows, title=title), content_type=XLSX_TYPE)


def csv_file(rows, *, name="units.csv", delimiter=",", encoding="utf-8") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


def rewrite_zip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """Copy an XLSX archive with some members replaced (None: removed) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in replace:
                continue
            target.writestr(info, source.read(info.filename))
        for name, content in replace.items():
            if content is not None:
                target.writestr(name, content)
    return buffer.getvalue()


def audit_events():
    """The audit events the test's writes made (log-ins are audited too: left out)."""
    return AuditEvent.objects.exclude(action__startswith="auth.").order_by("seq")


def actions() -> list[str]:
    return list(audit_events().values_list("action", flat=True))
