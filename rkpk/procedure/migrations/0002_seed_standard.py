from django.db import migrations


def load_seed_standard(apps, schema_editor):
    """Version 1 of the service standard: the seed's 13 steps (DESIGN.md §3)."""
    from rkpk.procedure.standard_seed import load_seed_standard as load

    load(apps.get_model("procedure", "ServiceStandard"), apps.get_model("procedure", "StandardStep"))


class Migration(migrations.Migration):
    dependencies = [("procedure", "0001_initial")]
    operations = [migrations.RunPython(load_seed_standard, migrations.RunPython.noop)]
