"""The installed standard's step 5 counted one ministry's strategic goals ("21 sasaran
stratejik"): each organisation has its own number, so the step names the goals without one.
Only that exact wording is replaced; an administrator's own text stays."""

from django.db import migrations

REPLACEMENTS = [
    ("ke dalam 21 sasaran stratejik", "ke dalam sasaran stratejik"),
    ("against the 21 strategic goals", "against the strategic goals"),
]


def _without_count(text: str) -> str:
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


def forwards(apps, schema_editor):
    StandardStep = apps.get_model("procedure", "StandardStep")
    for step in StandardStep.objects.filter(title_id__contains="21 sasaran"):
        step.title_id = _without_count(step.title_id)
        step.title_en = _without_count(step.title_en)
        step.save(update_fields=["title_id", "title_en"])


class Migration(migrations.Migration):
    dependencies = [("procedure", "0004_neutral_role_titles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
