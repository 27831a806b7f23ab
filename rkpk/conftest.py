"""Shared fixtures: users holding each role, test units, a browser on Debian's Chromium."""

import os

import pytest

from rkpk.organisation.models import Role, RoleAssignment, Unit, User

PASSWORD = "Sandi-uji-2026!"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty shared cache (sessions, computed page parts)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _organisation_profile_cache(request):
    """The cached organisation profile does not outlive a test's rolled-back database; a
    database test starts with it read, as a running server has it (query counts)."""
    from rkpk.organisation.profile import clear_cache, current_profile

    clear_cache()
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        request.getfixturevalue(
            "db" if "transactional_db" not in request.fixturenames else "transactional_db"
        )
        current_profile()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read messages in English; tests of the Indonesian UI set LANGUAGE_CODE back."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _seed_standard(request):
    """Transactional tests flush every table, the migrated service standard with them.

    Every database test gets version 1 back, whatever ran before it in the same worker.
    """
    from rkpk.procedure.models import ServiceStandard, StandardStep
    from rkpk.procedure.standard_seed import load_seed_standard

    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = {"transactional_db", "live_server"} & names or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    load_seed_standard(ServiceStandard, StandardStep)
    from rkpk.plans.models import MeasureUnit, QualitativeValue, ReturnReason, StatementTemplate
    from rkpk.plans.reference_data import load_reference_data, load_statement_template

    load_reference_data(MeasureUnit, QualitativeValue, ReturnReason)
    load_statement_template(StatementTemplate)
    from rkpk.correspondence.models import LetterTemplate, Register
    from rkpk.correspondence.reference_data import load as load_correspondence

    load_correspondence(Register, LetterTemplate)
    from rkpk.survey.models import Element, Questionnaire
    from rkpk.survey.reference_data import load as load_questionnaire

    load_questionnaire(Questionnaire, Element)


@pytest.fixture
def make_user(db):
    def make(username: str, *held: tuple[str, Unit | None] | str, **fields) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, **fields)
        for item in held:
            role, unit = (item, None) if isinstance(item, str) else item
            RoleAssignment.objects.create(user=user, role=role, unit=unit)
        return user

    return make


@pytest.fixture
def units(db):
    root = Unit.objects.create(code="E1", name="Sekretariat Uji", level=1)
    a = Unit.objects.create(code="E1.A", name="Biro A", level=2, parent=root)
    b = Unit.objects.create(code="E1.B", name="Biro B", level=2, parent=root)
    return {"root": root, "a": a, "b": b}


@pytest.fixture
def demo_profile(db):
    """The first demo organisation's profile, as `seed_demo` saves it (tests that read its
    names on documents). The names are the demo's data, not the tests'."""
    from rkpk.organisation import demo_orgs
    from rkpk.organisation.profile import current_profile

    demo_orgs.save_profile(demo_orgs.get(demo_orgs.DEFAULT).profile)
    return current_profile()  # read once, as a running server has it


@pytest.fixture
def unit_head_approval_off(db):
    """The organisation lets unit operators submit to the bureau directly, as it may choose
    (tests of what follows a submission; the unit head's approval has its own tests)."""
    from rkpk.organisation.models import OrganisationProfile
    from rkpk.organisation.profile import _neutral, clear_cache, current_profile

    profile = OrganisationProfile.objects.order_by("pk").first() or _neutral()
    profile.unit_head_approval = False
    profile.save()
    clear_cache()
    return current_profile()  # read again, as a running server has it (query counts)


@pytest.fixture
def role_users(make_user, units):
    """One user per role; unit roles are held for unit A."""
    users = {}
    for role in Role:
        unit = units["a"] if role in (Role.UNIT_OPERATOR, Role.UNIT_HEAD) else None
        users[role.value] = make_user(f"u_{role.value}", (role.value, unit))
    users["operator_b"] = make_user("u_operator_b", (Role.UNIT_OPERATOR, units["b"]))
    users["nobody"] = make_user("u_nobody")
    return users


@pytest.fixture
def role_matrix(client, role_users):
    """`role_matrix(rows, namespace=...)`: every row of the table as every role user and
    anonymously, every mismatch reported at once (rkpk.core.tests.role_matrix)."""
    from rkpk.core.tests.role_matrix import assert_role_matrix

    def check(rows, *, namespace=None, users=None):
        assert_role_matrix(
            client, role_users if users is None else users, rows, namespace=namespace
        )

    return check


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Two test workers, the live server and Chromium share two cores: a page may take
    # longer than Playwright's 5 s default to settle. No test asserts a time.
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
