"""The operational commands start without the system checks and the heavy libraries
(issue 13.15). Their start-up time is measured by `python -m bench.command_startup`."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import get_commands, load_command_class

OPERATIONAL = (
    "import_plan",
    "export_plan",
    "workdays",
    "verify_audit",
    "send_reminders",
    "run_scheduled",
    "compile_plans",
)
# Each costs tenths of a second to import; none is needed to start a command.
HEAVY = ("openpyxl", "weasyprint", "docx", "playwright", "sklearn", "scipy", "pyhanko", "ninja")


@pytest.mark.parametrize("name", OPERATIONAL)
def test_operational_commands_run_no_system_checks(name):
    command = load_command_class(get_commands()[name], name)
    # The checks load every URL module, and with them every view and library (~5 s).
    assert command.requires_system_checks == []


def test_starting_a_command_imports_no_heavy_library(tmp_path):
    # What an operator's `rkpk <command> --help` loads: settings, django.setup(), the
    # command's module and its parser. In a fresh process, as sys.modules is shared here.
    script = f"""
import json, sys
import django
django.setup()
from django.core.management import get_commands, load_command_class
for name in {OPERATIONAL!r}:
    load_command_class(get_commands()[name], name).create_parser("rkpk", name)
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rkpk.settings",
        "RKPK_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
