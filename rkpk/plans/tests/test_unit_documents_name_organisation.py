"""A unit's RK and PK print the organisation's name under the unit's (DOCX and PDF), as the
plan's snapshot froze it; nothing before a profile is saved."""

import io
import shutil
import subprocess

import pytest
from docx import Document

from rkpk.organisation.models import OrganisationProfile
from rkpk.plans.documents import document_context, render_plan_document
from rkpk.plans.snapshot import plan_snapshot
from rkpk.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


@pytest.fixture
def profile(db):
    return OrganisationProfile.objects.create(
        name="Badan Uji Coba", short_name="BUC", minister_title="Kepala Badan Uji Coba",
        pk_second_party_title="Presiden Republik Indonesia", signing_city="Bandung",
    )  # fmt: skip


def test_rk_and_pk_name_the_organisation_under_the_unit(profile, units):
    plan = complete_plan(units["a"])
    for doc in ("rk", "pk", "rkpk"):
        paragraphs = _paragraphs(render_plan_document(plan, doc=doc, fmt="docx"))
        assert paragraphs[1:3] == ["BIRO A", "BADAN UJI COBA"], (doc, paragraphs[:4])
    if shutil.which("pdftotext"):
        for doc in ("rk", "pk"):
            text = subprocess.run(
                ["pdftotext", "-", "-"],
                input=render_plan_document(plan, doc=doc, fmt="pdf"),
                capture_output=True,
                check=True,
            ).stdout.decode()
            assert "BIRO A\nBADAN UJI COBA" in text, (doc, text[:300])


def test_a_snapshot_keeps_the_name_it_froze(profile, units):
    snapshot = plan_snapshot(complete_plan(units["a"]))
    profile.name = "Badan Baru"
    profile.save()
    assert document_context(snapshot, doc="pk")["organisation_upper"] == "BADAN UJI COBA"


def test_nothing_is_printed_before_a_profile_is_saved(units):
    plan = complete_plan(units["a"])
    assert document_context(plan_snapshot(plan), doc="rk")["organisation_upper"] == ""
    paragraphs = _paragraphs(render_plan_document(plan, doc="rk", fmt="docx"))
    assert "RK-PK" not in paragraphs
