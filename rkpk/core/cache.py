"""Computed page parts kept between requests, invalidated by the data version.

A page that costs much to compute (the monitoring board's figures, the dashboard, the
compilation) asks `cached(("monitoring", year), compute)`. The result is stored in the
shared cache (settings.CACHES["default"]: files under var/cache, shared by every worker of
the host) under a key that holds the *data version*, a token that changes after every
committed change of the database (any model saved or deleted, outside the bookkeeping
models below). So a cached value is never older than the last commit that could change it:
a reader that started before the commit stored its value under the old version, which
nobody asks for again. Every audited change saves an audit event, so changes made with
`QuerySet.update()` are seen too.

Keys must hold everything else the value depends on: the user's scope where the value is
filtered by it, the language where it holds translated text, the day where it depends on
today (lateness in working days). `settings.RKPK_PAGE_CACHE` switches the cache off (tests,
by default: they measure the work a page does; the tests of caching switch it on). The new
version is set once per transaction, by the first change's on-commit callback: in a test
whose set-up already changed data inside the test's transaction, that callback is pending
before the test's own change, so such a test runs with `django_db(transaction=True)` or
empties `connection.run_on_commit` first.
"""

import hashlib
import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

VERSION_KEY = "rkpk:data-version"
DEFAULT_TIMEOUT = 15 * 60
# Models whose rows change without changing what any page computes.
BOOKKEEPING = frozenset(
    {
        "sessions.session",
        "core.auditchainhead",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accessfailurelog",
        "axes.accesslog",
        "django_tasks_database.dbtaskresult",
    }
)


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return version


def bump() -> None:
    """A new data version: every value cached before is no longer read."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def key_for(parts: Hashable, version: str | None = None) -> str:
    text = repr(parts)
    digest = hashlib.sha1(f"{version or data_version()}|{text}".encode()).hexdigest()
    return f"rkpk:page:{digest}"


# Values also kept in this process's memory (`cached(..., in_process=True)`), by their
# versioned key: a large value read back from the shared cache (a file, unpickled) can cost
# more than the page's other work. Bounded; emptied when full.
IN_PROCESS_MAX = 16
_in_process: dict[str, Any] = {}


def cached(
    parts: Hashable,
    compute: Callable[[], Any],
    timeout: int = DEFAULT_TIMEOUT,
    *,
    in_process: bool = False,
) -> Any:
    """The value of `compute()` for `parts` at the current data version (computed at most
    once per version while it stays in the cache). `in_process` keeps it in this process's
    memory too: only for values nobody changes after reading them (they are shared)."""
    if not settings.RKPK_PAGE_CACHE:
        return compute()
    key = key_for(parts)  # the version is read before computing: see the module's docstring
    if in_process and key in _in_process:
        return _in_process[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    if in_process:
        if len(_in_process) >= IN_PROCESS_MAX:
            _in_process.clear()
        _in_process[key] = value
    return value


# A shared rendering carries this in place of the reader's CSRF token: `{% csrf_token %}` writes
# it into the form's hidden input, where `render_shared` puts each reader's own token. Text
# from the data is escaped, so it cannot hold the attribute's quotes.
CSRF_SLOT = "rkpk-csrf-slot"
_CSRF_INPUT = f'name="csrfmiddlewaretoken" value="{CSRF_SLOT}"'


def render_shared(
    parts: Hashable, template_name: str, context: Callable[[], dict], request
) -> SafeString:
    """A template rendered once per data version for every reader with the same `parts` (which
    must hold everything the rendering shows of the reader: permissions, language, ...), with
    the reader's own CSRF token in its forms. `context()` is called only when rendering."""

    def render() -> str:
        shared = {**context(), "csrf_token": CSRF_SLOT}
        return str(render_to_string(template_name, shared, request=request))

    html = cached(parts, render)
    token = f'name="csrfmiddlewaretoken" value="{get_token(request)}"'
    return mark_safe(html.replace(_CSRF_INPUT, token))


def _bump_after_commit() -> None:
    bump()


def data_changed() -> None:
    """Called on every change: bumps the version once the transaction commits (once per
    transaction), at once outside one."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump()
        return
    if not any(func is _bump_after_commit for _ids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_bump_after_commit)


def _on_change(sender, instance=None, update_fields=None, **kwargs):
    label = sender._meta.label_lower
    if label in BOOKKEEPING:
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a log-in stamps the user; no page shows it
    if label == "core.auditevent" and str(getattr(instance, "action", "")).startswith("auth."):
        return  # a log-in or log-out changes no page's data
    data_changed()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="rkpk.core.cache.save")
    post_delete.connect(_on_change, dispatch_uid="rkpk.core.cache.delete")
    m2m_changed.connect(_on_change, dispatch_uid="rkpk.core.cache.m2m")
