"""The installed service standard named one ministry's posts ("Menteri Sekretaris Negara",
"Deputi Bidang Pengawasan", "Kepala Biro Akuntabilitas Kinerja"): they become the generic
titles of the seed (Menteri, Deputi, Kepala Biro); the organisation's own titles are in
its profile. Only those exact names are replaced; other wording stays as it is."""

from django.db import migrations

REPLACEMENTS = [
    (
        "Menyiapkan memorandum Kepala Biro Akuntabilitas Kinerja dan memorandum "
        "Deputi Menteri Sekretaris Negara Bidang Pengawasan",
        "Menyiapkan memorandum Kepala Biro dan memorandum Deputi",
    ),
    ("Kepala Biro Akuntabilitas Kinerja", "Kepala Biro"),
    ("Deputi Bidang Pengawasan", "Deputi"),
    ("Menteri Sekretaris Negara", "Menteri"),
]


def _neutral(text: str) -> str:
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


def forwards(apps, schema_editor):
    StandardStep = apps.get_model("procedure", "StandardStep")
    for step in StandardStep.objects.all():
        title = _neutral(step.title_id)
        done_when = _neutral(step.done_when)
        activities = [_neutral(a) if isinstance(a, str) else a for a in step.activities or []]
        if (title, done_when, activities) != (step.title_id, step.done_when, step.activities):
            step.title_id, step.done_when, step.activities = title, done_when, activities
            step.save(update_fields=["title_id", "done_when", "activities"])


class Migration(migrations.Migration):
    dependencies = [("procedure", "0003_cycle_submission_days")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
