from django.db import migrations


def create_head(apps, schema_editor):
    # The head row exists from the start, so concurrent first writers only ever lock it.
    apps.get_model("core", "AuditChainHead").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
