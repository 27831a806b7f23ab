"""The installed standard's first version noted itself "(seed)", a developer's word that users
read on the service-standard page. Only that exact note is replaced; an administrator's own
notes stay."""

from django.db import migrations

SEEDED = "Standar pelayanan awal (seed)."
PLAIN = "Standar pelayanan awal."


def forwards(apps, schema_editor):
    ServiceStandard = apps.get_model("procedure", "ServiceStandard")
    ServiceStandard.objects.filter(notes=SEEDED).update(notes=PLAIN)


class Migration(migrations.Migration):
    dependencies = [("procedure", "0005_goals_without_a_count")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
