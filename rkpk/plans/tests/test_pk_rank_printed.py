"""The unit PK's signature blocks print each party's own rank (pangkat/golongan) between the
name and the NIP, in the DOCX and the PDF; a party without rank (a minister) leaves it out."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document

from rkpk.organisation.models import Headship, Official
from rkpk.plans.documents import document_context, render_plan_document
from rkpk.plans.models import UnitPlan
from rkpk.plans.snapshot import plan_snapshot

pytestmark = pytest.mark.django_db

RANK = "Pembina Utama Muda (IV/c)"


@pytest.fixture
def plan(units):
    units["b"].head_position = "Kepala Biro B"
    units["b"].save()
    ani = Official.objects.create(
        name="Ani Rahma", nip="197001012000032001", position="Kepala Biro A", rank=RANK,
        unit=units["a"],
    )  # fmt: skip
    minister = Official.objects.create(
        name="Menteri Satu", nip=None, is_state_official=True, position="Menteri Contoh"
    )
    Headship.objects.create(official=ani, unit=units["b"], kind="Plt", starts_on=date(2020, 1, 1))
    return UnitPlan.objects.create(
        unit=units["b"], year=2027, first_party=ani, second_party=minister
    )


def test_the_context_carries_each_partys_own_rank(plan):
    pk = document_context(plan_snapshot(plan), doc="pk")["pk"]
    assert (pk["first"]["position"], pk["first"]["rank"]) == ("Plt. Kepala Biro B", RANK)
    assert pk["second"]["rank"] == "" and pk["second"]["nip_line"] == ""


def _signature_rows(data: bytes) -> list[tuple[str, str]]:
    document = Document(io.BytesIO(data))
    return [
        (row.cells[0].text, row.cells[1].text)
        for table in document.tables
        if len(table.columns) == 2
        for row in table.rows
    ]


def test_the_docx_signature_prints_the_rank_between_name_and_nip(plan):
    rows = _signature_rows(render_plan_document(plan, doc="pk", fmt="docx"))
    names = [i for i, (_second, first) in enumerate(rows) if first == "Ani Rahma"]
    assert names, rows
    for i in names:
        assert rows[i + 1] == ("", RANK)
        assert rows[i + 2] == ("", "NIP. 197001012000032001")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_the_pdf_signature_prints_the_rank(plan):
    data = render_plan_document(plan, doc="pk", fmt="pdf")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert flat.count(RANK) == 2  # the statement page and the attachment
    assert "Ani Rahma" in flat and "NIP. 197001012000032001" in flat
