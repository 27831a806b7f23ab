from django.db import migrations


def load(apps, schema_editor):
    from rkpk.correspondence.reference_data import load as load_data

    load_data(
        apps.get_model("correspondence", "Register"),
        apps.get_model("correspondence", "LetterTemplate"),
    )


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
