"""Files and complaints for the tests of the complaints app."""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from rkpk.complaints import services
from rkpk.complaints.models import Complaint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200

# Monday 2 February 2026: no holiday that week or the next (checked in the tests).
MONDAY = date(2026, 2, 2)


def office_zip(folder: str, *, macro: bool = False) -> bytes:
    """A minimal OOXML package (DOCX with folder "word", XLSX with "xl")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
        if macro:
            archive.writestr(f"{folder}/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def file(user, **kwargs) -> Complaint:
    values = {
        "category": Complaint.Category.COMPLAINT,
        "subject": "Surat undangan terlambat",
        "text": "Surat undangan pembahasan baru kami terima sehari sebelum rapat.",
    }
    values.update(kwargs)
    return services.file_complaint(actor=user, **values)


def received_on(complaint: Complaint, day: date) -> Complaint:
    """Move a complaint's receipt (and its due dates) to `day`."""
    delegation_due, answer_due = services.due_dates(day)
    Complaint.objects.filter(pk=complaint.pk).update(
        received_on=day,
        year=day.year,
        delegation_due=delegation_due,
        answer_due=answer_due,
    )
    complaint.refresh_from_db()
    return complaint
