from django.db import migrations


def load(apps, schema_editor):
    from rkpk.plans.reference_data import load_statement_template

    load_statement_template(apps.get_model("plans", "StatementTemplate"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_statement_template")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
