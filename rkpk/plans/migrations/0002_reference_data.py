from django.db import migrations


def load(apps, schema_editor):
    from rkpk.plans.reference_data import load_reference_data

    load_reference_data(
        apps.get_model("plans", "MeasureUnit"),
        apps.get_model("plans", "QualitativeValue"),
        apps.get_model("plans", "ReturnReason"),
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
