from django.db import migrations


def load_seed_standard(apps, schema_editor):
    """Version 1 of the service standard: the seed's 13 steps (DESIGN.md §3)."""
    from rkpk.procedure.standard_seed import STANDARD_NAME, STEPS

    ServiceStandard = apps.get_model("procedure", "ServiceStandard")
    StandardStep = apps.get_model("procedure", "StandardStep")
    if ServiceStandard.objects.exists():
        return
    standard = ServiceStandard.objects.create(
        version=1, name=STANDARD_NAME, notes="Standar pelayanan awal (seed)."
    )
    StandardStep.objects.bulk_create(
        StandardStep(standard=standard, number=index, **step)
        for index, step in enumerate(STEPS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("procedure", "0001_initial")]
    operations = [migrations.RunPython(load_seed_standard, migrations.RunPython.noop)]
