# Reserved for the keyed (HMAC) audit chain of issue 13.3; its helper fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_append_only_trigger")]

    operations = []
