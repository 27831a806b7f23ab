"""Leases on running background jobs (issue 13.2): see rkpk.core.jobs."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_keyed_chain"),
        ("django_tasks_database", "0017_dbtaskresult_metadata"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobLease",
            fields=[
                (
                    "task_result",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="lease",
                        serialize=False,
                        to="django_tasks_database.dbtaskresult",
                    ),
                ),
                ("worker_id", models.CharField(max_length=64)),
                ("hostname", models.CharField(max_length=255)),
                ("pid", models.IntegerField()),
                ("taken_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
