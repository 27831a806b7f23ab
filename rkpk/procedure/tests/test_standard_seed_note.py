from importlib import import_module

import pytest
from django.apps import apps

from rkpk.procedure.models import ServiceStandard

pytestmark = pytest.mark.django_db


def test_the_seed_mark_leaves_installed_standards_and_own_notes_stay():
    migration = import_module("rkpk.procedure.migrations.0006_standard_notes_without_seed_mark")
    ServiceStandard.objects.all().delete()
    seeded = ServiceStandard.objects.create(version=1, name="SP", notes=migration.SEEDED)
    own = ServiceStandard.objects.create(version=2, name="SP", notes="Catatan (seed) sendiri.")

    migration.forwards(apps, None)

    seeded.refresh_from_db()
    own.refresh_from_db()
    assert seeded.notes == "Standar pelayanan awal."
    assert own.notes == "Catatan (seed) sendiri."
