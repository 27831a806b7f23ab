"""Documents keep their letterhead; the installed templates and registers read the
organisation profile.

1. `Document.letterhead`: what a document prints at its head, copied when it is created.
   Existing documents get the letterhead their template had (or the old default), so
   what was issued keeps its text.
2. The templates and registers installed by 0002/0003 named one ministry in their text;
   the names become the profile's placeholders ({organisation}, {minister_title}, …).
   Only the wording installed by those migrations is rewritten: text an administrator
   changed stays as it is.
"""

from django.db import migrations, models

OLD_LETTERHEAD = "KEMENTERIAN SEKRETARIAT NEGARA\nREPUBLIK INDONESIA"
NEW_LETTERHEAD = "{organisation_upper}\nREPUBLIK INDONESIA\n{address}"
# (old, new) in subjects and bodies, longest first.
TEXT = [
    ("konsep nota dinas Deputi Bidang Pengawasan", "konsep nota dinas {deputy_title}"),
    ("kepada Biro Akuntabilitas Kinerja paling", "kepada {coordinating_unit} paling"),
    ("Kementerian Sekretariat Negara", "{organisation}"),
]
POSITIONS = {
    "Kepala Biro Akuntabilitas Kinerja": "{head_of_bureau_title}",
    "Deputi Bidang Pengawasan": "{deputy_title}",
    "Menteri Sekretaris Negara": "{minister_title}",
}
REGISTER_NAMES = {
    "Nota Dinas Deputi Bidang Pengawasan": "Nota Dinas Deputi",
    "Nota Dinas Kepala Biro Akuntabilitas Kinerja": "Nota Dinas Kepala Biro",
    "Surat Menteri Sekretaris Negara": "Surat Menteri",
}


def forwards(apps, schema_editor):
    Document = apps.get_model("correspondence", "Document")
    LetterTemplate = apps.get_model("correspondence", "LetterTemplate")
    Register = apps.get_model("correspondence", "Register")
    for document in Document.objects.filter(letterhead="").select_related("template"):
        template = document.template
        document.letterhead = (
            template.letterhead if template and template.letterhead else (OLD_LETTERHEAD)
        )
        document.save(update_fields=["letterhead"])
    for template in LetterTemplate.objects.all():
        changed = False
        if template.letterhead == OLD_LETTERHEAD:
            template.letterhead, changed = NEW_LETTERHEAD, True
        for field in ("subject", "body"):
            text = getattr(template, field)
            for old, new in TEXT:
                text = text.replace(old, new)
            if text != getattr(template, field):
                setattr(template, field, text)
                changed = True
        if template.signer_position in POSITIONS:
            template.signer_position, changed = POSITIONS[template.signer_position], True
        if changed:
            template.save()
    for register in Register.objects.all():
        changed = False
        if "/Kemensetneg/" in register.pattern:
            register.pattern = register.pattern.replace("/Kemensetneg/", "/{organisation}/")
            changed = True
        if register.name in REGISTER_NAMES:
            register.name, changed = REGISTER_NAMES[register.name], True
        if changed:
            register.save()


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0003_more_procedure_templates")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="letterhead",
            field=models.TextField(blank=True, verbose_name="letterhead"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
