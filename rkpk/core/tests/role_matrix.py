"""Every URL of an app, for every role: a table of expected outcomes, checked in one pass.

A table is a list of `Row`s, one per (URL, method). Each row says what every role gets:
`ALLOWED` (2xx or 3xx, but not a redirect to the login page), `REFUSED` (403),
`NOT_FOUND` (404), `LOGIN` (a redirect to the login page), an exact status code (405,
302...), or `SKIP` (not requested: an allowed write that would change what the next rows
see, which the test checks in its own steps). Roles the row does not name get its `other`
outcome; the anonymous visitor gets `anonymous`, by default `LOGIN`.

`assert_role_matrix` requests every row as every user and reports every mismatch at once.
Given an app's namespace, it also requires a row for each URL name the namespace defines,
so a new URL cannot be left out of the table.

The module knows no domain app: the users come in as a mapping role → user (the project's
`role_matrix` fixture in rkpk/conftest.py passes the `role_users`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ALLOWED = "allowed"
LOGIN = "login"
REFUSED = 403
NOT_FOUND = 404
SKIP = "skip"
ANONYMOUS = "anonymous"

Outcome = str | int


@dataclass(frozen=True)
class Row:
    """One URL and method, and the outcome each role gets.

    `inspect(role, response)` runs when a user is let in as expected (below 400, not to
    the login page), for checks beyond the status (content, headers); an `AssertionError` it
    raises is reported as a mismatch.
    """

    name: str
    args: tuple = ()
    method: str = "get"
    data: Mapping[str, Any] | Callable[[str], Mapping[str, Any]] | None = None
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)
    other: Outcome = REFUSED
    anonymous: Outcome = LOGIN
    inspect: Callable[[str, Any], None] | None = None

    @property
    def url(self) -> str:
        return reverse(self.name, args=self.args)

    def expected(self, role: str) -> Outcome:
        if role == ANONYMOUS:
            return self.anonymous
        return self.outcomes.get(role, self.other)


def row(
    name: str,
    *args,
    method: str = "get",
    data=None,
    allowed: Iterable[str] = (),
    refused: Iterable[str] = (),
    not_found: Iterable[str] = (),
    skip: Iterable[str] = (),
    other: Outcome = REFUSED,
    anonymous: Outcome = LOGIN,
    exact: Mapping[str, Outcome] | None = None,
    inspect=None,
) -> Row:
    """A row from role sets: `row("plans:list_index", allowed=READERS)`."""
    outcomes: dict[str, Outcome] = {}
    sets = ((allowed, ALLOWED), (refused, REFUSED), (not_found, NOT_FOUND), (skip, SKIP))
    for roles, outcome in sets:
        for role in roles:
            outcomes[str(role)] = outcome
    outcomes.update({str(role): outcome for role, outcome in (exact or {}).items()})
    return Row(
        name=name,
        args=tuple(args),
        method=method.lower(),
        data=data,
        outcomes=outcomes,
        other=other,
        anonymous=anonymous,
        inspect=inspect,
    )


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def _is_login_redirect(response) -> bool:
    return response.status_code in (301, 302) and response.get("Location", "").startswith(
        _login_url()
    )


def _shown(response) -> str:
    if 300 <= response.status_code < 400:
        return f"{response.status_code} → {response.get('Location', '')}"
    return str(response.status_code)


def matches(expected: Outcome, response) -> bool:
    status = response.status_code
    if expected == ALLOWED:
        return 200 <= status < 400 and not _is_login_redirect(response)
    if expected == LOGIN:
        return _is_login_redirect(response)
    return status == expected


def url_names(namespace: str) -> set[str]:
    """Every 'namespace:name' the URL configuration defines under `namespace`."""
    names: set[str] = set()

    def walk(patterns, current: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(
                    pattern.url_patterns,
                    f"{current}:{inner}" if current and inner else inner or current,
                )
            elif isinstance(pattern, URLPattern) and pattern.name and current == namespace:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def missing_rows(namespace: str, rows: Iterable[Row]) -> list[str]:
    covered = {r.name for r in rows}
    return [f"{name}: no row in the role matrix" for name in sorted(url_names(namespace) - covered)]


def mismatches(client, users: Mapping[str, Any], rows: Iterable[Row]) -> list[str]:
    """Request every row as every user (and anonymously); one line per unexpected outcome."""
    found = []
    for r in rows:
        url = r.url
        for role in [*users, ANONYMOUS]:
            if role == ANONYMOUS:
                client.logout()
            else:
                client.force_login(users[role])
            expected = r.expected(role)
            if expected == SKIP:
                continue
            data = r.data(role) if callable(r.data) else r.data
            response = getattr(client, r.method)(url, data or {})
            if not matches(expected, response):
                found.append(
                    f"{r.method.upper()} {url} ({r.name}) as {role}: "
                    f"expected {expected}, got {_shown(response)}"
                )
            elif r.inspect and response.status_code < 400 and not _is_login_redirect(response):
                try:
                    r.inspect(role, response)
                except AssertionError as error:
                    found.append(f"{r.method.upper()} {url} ({r.name}) as {role}: {error}")
    client.logout()
    return found


def assert_role_matrix(
    client,
    users: Mapping[str, Any],
    rows: Iterable[Row],
    *,
    namespace: str | Iterable[str] | None = None,
) -> None:
    """Fail with every mismatch of the table, and every URL of `namespace` (one or several)
    it leaves out."""
    rows = list(rows)
    namespaces = [namespace] if isinstance(namespace, str) else list(namespace or ())
    problems = [line for name in namespaces for line in missing_rows(name, rows)]
    problems += mismatches(client, users, rows)
    if problems:
        pytest.fail(f"{len(problems)} role-matrix mismatch(es):\n" + "\n".join(problems))
