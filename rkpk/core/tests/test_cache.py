"""The page cache: a value is computed once per data version, and any committed change of
the data (a model saved or deleted, an audited update) gives a new version."""

import re
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.contrib.auth.models import update_last_login
from django.contrib.sessions.models import Session
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token

from rkpk.core import audit
from rkpk.core import cache as page_cache
from rkpk.organisation.models import Unit


@pytest.fixture
def page_cache_on(settings):
    settings.RKPK_PAGE_CACHE = True


def counting():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


@pytest.mark.django_db
def test_a_value_is_computed_once_per_version(page_cache_on):
    calls, compute = counting()
    assert page_cache.cached(("x", 1), compute) == 1
    assert page_cache.cached(("x", 1), compute) == 1
    assert page_cache.cached(("x", 2), compute) == 2  # other parts, other value
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_committed_change_gives_a_new_version(page_cache_on, django_capture_on_commit_callbacks):
    calls, compute = counting()
    page_cache.cached("units", compute)
    before = page_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Unit.objects.create(code="C1", name="Unit", level=2)
        Unit.objects.create(code="C2", name="Unit 2", level=2)
    assert len(callbacks) == 1  # once per transaction, however many rows
    assert page_cache.data_version() != before
    assert page_cache.cached("units", compute) == 2


@pytest.mark.django_db
def test_an_audited_update_gives_a_new_version(page_cache_on, django_capture_on_commit_callbacks):
    before = page_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        audit.record(actor=None, action="unit.renamed", object_type="unit", after={"x": 1})
    assert page_cache.data_version() != before


@pytest.mark.django_db
def test_bookkeeping_gives_no_new_version(page_cache_on, django_capture_on_commit_callbacks):
    before = page_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Session.objects.create(
            session_key="k" * 32, session_data="", expire_date=datetime(2030, 1, 1, tzinfo=UTC)
        )
        audit.record(actor=None, action="auth.login", object_type="user")
    assert not callbacks
    assert page_cache.data_version() == before


def test_off_computes_every_time(settings):
    settings.RKPK_PAGE_CACHE = False
    calls, compute = counting()
    page_cache.cached("x", compute)
    page_cache.cached("x", compute)
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_log_in_gives_no_new_version(
    page_cache_on, make_user, django_capture_on_commit_callbacks
):
    user = make_user("someone")
    connection.run_on_commit.clear()  # the set-up's own change is pending (see the module)
    before = page_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update_last_login(None, user)
    assert not callbacks
    assert page_cache.data_version() == before


@pytest.mark.django_db
def test_a_shared_rendering_carries_each_readers_own_form_token(
    page_cache_on, rf, tmp_path, settings
):
    (tmp_path / "shared.html").write_text("<form>{% csrf_token %}{{ text }}</form>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    built = []

    def context():
        built.append(1)
        return {"text": 'value="rkpk-csrf-slot"'}  # escaped: never taken for the slot

    first, second = rf.get("/"), rf.get("/")
    one = page_cache.render_shared("form", "shared.html", context, first)
    two = page_cache.render_shared("form", "shared.html", context, second)
    assert len(built) == 1  # the second reader got the first one's rendering

    def token(html):
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
        assert len(found) == 1
        return found[0]

    assert token(one) != token(two)
    assert _unmask_cipher_token(token(one)) == first.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(token(two)) == second.META["CSRF_COOKIE"]
    assert "value=&quot;rkpk-csrf-slot&quot;" in one  # the data's text left as it was


@pytest.mark.django_db
def test_a_value_kept_in_process_is_not_read_back_from_the_shared_cache(page_cache_on):
    calls, compute = counting()
    first = page_cache.cached("board", compute, in_process=True)
    with mock.patch.object(page_cache.cache, "get", wraps=page_cache.cache.get) as reads:
        assert page_cache.cached("board", compute, in_process=True) is first
    assert [c.args[0] for c in reads.call_args_list] == [page_cache.VERSION_KEY]
    page_cache.bump()  # a new version: computed again
    assert page_cache.cached("board", compute, in_process=True) == 2
