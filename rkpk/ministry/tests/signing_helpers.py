"""Helpers of the signing tests: step 10 done (the deputy's memorandum delivered to the
minister), the minister with an official record, and a signed ministry RK-PK."""

import subprocess

from rkpk.correspondence import dispatch
from rkpk.correspondence import services as correspondence
from rkpk.correspondence.models import Document
from rkpk.ministry import services
from rkpk.ministry.procedure_documents import TO_MINISTER
from rkpk.ministry.tests.factories import approved_by_deputy
from rkpk.organisation.models import Official

MINISTER_NAME = "Prof. Dr. Pratikno Wirasaputra, M.Soc.Sc."
MINISTER_NIP = "196202141987031002"


def give_official(user, *, name: str, nip: str, position: str = "Menteri Sekretaris Negara"):
    user.official = Official.objects.create(name=name, nip=nip, position=position)
    user.save(update_fields=["official"])
    return user


def deliver_to_minister(role_users, plan) -> Document:
    """Register and dispatch the deputy's memorandum to the minister: completes step 10."""
    staff = role_users["staff"]
    memo = Document.objects.get(cycle=plan.cycle, purpose=TO_MINISTER, status="signed")
    correspondence.register(actor=staff, document=memo)
    dispatch.dispatch(actor=staff, document=memo, others=["Menteri Sekretaris Negara"])
    return Document.objects.get(pk=memo.pk)


def ready_to_sign(role_users, units, **kwargs):
    """The RK-PK approved by the deputy, the memorandum delivered to the minister, and the
    minister's official record (name and NIP printed on the documents)."""
    plan = approved_by_deputy(role_users, units, **kwargs)
    deliver_to_minister(role_users, plan)
    if role_users["minister"].official_id is None:
        give_official(role_users["minister"], name=MINISTER_NAME, nip=MINISTER_NIP)
    plan.refresh_from_db()
    return plan


def signed_plan(role_users, units, *, actor=None, **kwargs):
    """The RK-PK signed by the minister (or by `actor`, e.g. their Plt.)."""
    plan = ready_to_sign(role_users, units, **kwargs)
    version = services.current_version(plan)
    services.sign(actor=actor or role_users["minister"], plan=plan, version_number=version.number)
    plan.refresh_from_db()
    return plan


def pdf_text(data: bytes, mode: str = "-layout") -> str:
    """The text of a PDF (poppler's pdftotext, in `mode`: "-layout" keeps table rows on one
    line, "-raw" the order of the content, which keeps a watermark out of the lines),
    whitespace collapsed to single spaces."""
    result = subprocess.run(
        ["pdftotext", mode, "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def read_file(field) -> bytes:
    field.open("rb")
    try:
        return field.read()
    finally:
        field.close()
