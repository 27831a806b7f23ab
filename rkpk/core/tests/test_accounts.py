import os
import subprocess
import sys

import pytest
from django.urls import reverse

from rkpk.conftest import PASSWORD
from rkpk.core.tests.role_matrix import row

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


def test_log_in_and_out(make_user, client):
    make_user("siti", "staff")
    response = client.post(reverse("login"), {"username": "siti", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_log_ins_and_failures_are_audited(make_user, client):
    from rkpk.core.models import AuditEvent

    make_user("siti", "staff")
    client.post(reverse("login"), {"username": "siti", "password": "wrong"})
    client.post(reverse("login"), {"username": "siti", "password": PASSWORD})
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login", "auth.logout"]
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.after == {"username": "siti"}
    assert "wrong" not in str(failed.before) + str(failed.after)


def test_lock_out_after_repeated_failures(make_user, client, settings):
    make_user("siti", "staff")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "siti", "password": "wrong"})
    assert response.status_code == 429
    # Now even the right password is refused until the cool-off has passed.
    response = client.post(reverse("login"), {"username": "siti", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode() or "Terlalu" in (
        response.content.decode()
    )
    assert client.get(reverse("home")).status_code == 302


def test_other_users_are_not_locked_by_someone_elses_failures(make_user, client, settings):
    make_user("siti", "staff")
    make_user("budi", "staff")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "siti", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "budi", "password": PASSWORD})
    assert response.status_code == 302


def test_demo_accounts_cannot_log_in_when_debug_is_off(make_user, client, settings):
    make_user("demo", "staff", is_demo=True)
    settings.DEBUG = False
    response = client.post(reverse("login"), {"username": "demo", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert client.get(reverse("home")).status_code == 302
    settings.DEBUG = True
    response = client.post(reverse("login"), {"username": "demo", "password": PASSWORD})
    assert response.status_code == 302


def test_home_page_for_every_role(role_users, client_for, role_matrix):
    role_matrix([row("home", other=200)])
    body = client_for(role_users["nobody"]).get(reverse("home")).content.decode()
    assert "no role" in body.lower() or "belum memiliki peran" in body.lower()


def test_home_lists_the_users_open_steps(role_users, client_for):
    from datetime import date

    from rkpk.procedure import services

    services.start_cycle(actor=role_users["staff"], year=2027, start_date=date(2026, 1, 5))
    staff_home = client_for(role_users["staff"]).get(reverse("home")).context
    assert [p.number for p in staff_home["open_steps"]] == [1]
    operator_home = client_for(role_users["unit_operator"]).get(reverse("home")).context
    assert operator_home["open_steps"] == []
    assert operator_home["overview"].cycle.year == 2027


def test_indonesian_is_the_default_and_english_can_be_chosen(make_user, client, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "id"
    translation.activate("id")
    make_user("siti", "staff")
    client.post(reverse("login"), {"username": "siti", "password": PASSWORD})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="id"' in page
    assert "Beranda" in page and "Keluar" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page and "Your open work" in page


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "RKPK_TESTING": "",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-1234567890",
        "RKPK_AUDIT_KEY": "y" * 48,
        "ALLOWED_HOSTS": "rkpk.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "rkpk.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_key_in_production(tmp_path):
    env = {**os.environ, "DEBUG": "0", "RKPK_TESTING": "", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "rkpk.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_home_shows_the_units_plan_and_deadline_and_the_bureaus_queue(role_users, client_for):
    from datetime import date

    from rkpk.plans import services as plan_services
    from rkpk.plans.tests.factories import complete_plan
    from rkpk.procedure import services

    services.start_cycle(actor=role_users["staff"], year=2027, start_date=date(2026, 1, 5))
    plan = complete_plan(role_users["unit_operator"].role_assignments.get().unit, 2027)
    context = client_for(role_users["unit_operator"]).get(reverse("home")).context
    assert context["unit_plans"] == [plan]
    assert context["deadline"].deadline is not None
    plan_services.submit(actor=role_users["unit_operator"], plan=plan)
    assert client_for(role_users["staff"]).get(reverse("home")).context["awaiting_review"] == 1
    assert (
        "awaiting_review"
        not in client_for(role_users["unit_operator"]).get(reverse("home")).context
    )
