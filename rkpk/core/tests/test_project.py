from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_rkpk_command_is_manage_py(capsys):
    from rkpk import cli

    with pytest.raises(SystemExit) as exit_info:
        import sys

        argv, sys.argv = sys.argv, ["rkpk", "workdays", "--help"]
        try:
            cli.main()
        finally:
            sys.argv = argv
    assert exit_info.value.code == 0
    assert "working days" in capsys.readouterr().out.lower()
