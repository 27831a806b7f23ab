"""Migration 0004 rewrites the templates and registers installed with one ministry's names
into the profile's placeholders, and gives existing documents the letterhead they had."""

import importlib

import pytest
from django.apps import apps

from rkpk.correspondence import services
from rkpk.correspondence.models import Document, LetterTemplate, Register

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "rkpk.correspondence.migrations.0004_document_letterhead_profile_placeholders"
)


def test_installed_wording_becomes_placeholders_and_documents_keep_their_head(role_users):
    register = Register.objects.create(
        code="old-nd",
        name="Nota Dinas Deputi Bidang Pengawasan",
        pattern="ND-{seq}/Kemensetneg/Was/{classification}/{month}/{year}",
    )
    template = LetterTemplate.objects.create(
        key="old-template",
        kind="memo",
        name="Lama",
        letterhead=migration.OLD_LETTERHEAD,
        subject="Penyampaian RK-PK Kementerian Sekretariat Negara Tahun {year}",
        body="Kepada Biro Akuntabilitas Kinerja paling lambat; Kementerian Sekretariat Negara.",
        signer_role="deputy",
        signer_position="Deputi Bidang Pengawasan",
        register=register,
    )
    edited = LetterTemplate.objects.create(
        key="edited-template",
        kind="memo",
        name="Diubah",
        letterhead="KOP BUATAN ADMIN",
        subject="Hal",
        body="Isi.",
        signer_role="minister",
        signer_position="Menteri Sekretaris Negara",
        register=register,
    )
    document = services.create_from_template(
        actor=role_users["staff"], template=template, values={"year": 2027}, addressee="Yth."
    )
    Document.objects.filter(pk=document.pk).update(letterhead="")

    migration.forwards(apps, None)

    template.refresh_from_db()
    assert template.letterhead == migration.NEW_LETTERHEAD
    assert template.subject == "Penyampaian RK-PK {organisation} Tahun {year}"
    assert "{organisation}" in template.body and "Sekretariat" not in template.body
    assert template.signer_position == "{deputy_title}"
    edited.refresh_from_db()
    assert edited.letterhead == "KOP BUATAN ADMIN" and edited.signer_position == "{minister_title}"
    register.refresh_from_db()
    assert register.pattern == "ND-{seq}/{organisation}/Was/{classification}/{month}/{year}"
    assert register.name == "Nota Dinas Deputi"
    document.refresh_from_db()
    assert document.letterhead == migration.OLD_LETTERHEAD  # what it was issued with
