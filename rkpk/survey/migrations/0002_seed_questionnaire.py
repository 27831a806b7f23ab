from django.db import migrations


def load(apps, schema_editor):
    from rkpk.survey.reference_data import load as load_data

    load_data(apps.get_model("survey", "Questionnaire"), apps.get_model("survey", "Element"))


class Migration(migrations.Migration):
    dependencies = [("survey", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
