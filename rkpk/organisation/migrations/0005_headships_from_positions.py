"""Today's heads become definitive headships: the active official of a unit whose position
is the unit's head position (the rule the unit tree used before headships were recorded)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Unit = apps.get_model("organisation", "Unit")
    Official = apps.get_model("organisation", "Official")
    Headship = apps.get_model("organisation", "Headship")
    recorded = set(Headship.objects.values_list("unit_id", flat=True))
    wanted = {
        unit.pk: unit.head_position.strip().casefold()
        for unit in Unit.objects.exclude(head_position="")
        if unit.head_position.strip() and unit.pk not in recorded
    }
    done = set()
    for official in Official.objects.filter(unit_id__in=wanted, is_active=True).order_by(
        "name", "pk"
    ):
        if official.unit_id in done:
            continue
        if official.position.strip().casefold() == wanted[official.unit_id]:
            Headship.objects.create(official=official, unit_id=official.unit_id, kind="def")
            done.add(official.unit_id)


class Migration(migrations.Migration):
    dependencies = [("organisation", "0004_profile_headships_optional_nip")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
