"""Accessibility checks for the browser tests: axe-core, run in the page.

axe-core comes from npm (`scripts/install-system-packages.sh test`, called by `make test`,
puts a pinned version in var/npm); it is never loaded from a CDN. `RKPK_AXE_JS` may name
another copy of axe.min.js.

`PageChecks` runs every check on a page after a navigation and collects what each found per
address; a check is a function of the Playwright page returning the problems it saw as
strings. `axe_check` is one; other checks (e.g. untranslated text) are added to the list.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE_JS = Path(os.environ.get("RKPK_AXE_JS", ROOT / "var/npm/node_modules/axe-core/axe.min.js"))

# WCAG 2.0 and 2.1, A and AA. Two rules outside those tags that the crawl of issue 13 found
# are switched on by name: label-content-name-mismatch (WCAG 2.1 2.5.3, "experimental" in
# axe) and heading-order (best practice, "moderate").
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {
        "label-content-name-mismatch": {"enabled": True},
        "heading-order": {"enabled": True},
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
# Failures whatever their impact: axe rates them "moderate", the issue asks for none.
ALWAYS_FAILING = {"heading-order"}

PageCheck = Callable[..., Iterable[str]]


def require_axe() -> Path:
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE_JS}): run `bash scripts/install-system-packages.sh test`"
        )
    return AXE_JS


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (all impacts)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # add_script_tag writes an inline script, which the application's CSP (script-src
        # 'self') refuses; evaluating the source runs it in the page without loosening the CSP
        # of the tested context (a CSP report there is a console error the walk counts).
        page.evaluate(require_axe().read_text() + "\n;undefined")
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def failing(violations: list[dict]) -> list[str]:
    """The violations that fail a test, one line each: rule, impact, offending nodes."""
    lines = []
    for v in violations:
        if v["impact"] in FAILING_IMPACTS or v["id"] in ALWAYS_FAILING:
            targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:8])
            more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
            lines.append(f"{v['id']} [{v['impact']}]: {targets}{more}")
    return lines


def axe_check(page) -> list[str]:
    return failing(axe_violations(page))


class PageChecks:
    """Runs `checks` on a page after each navigation (once per document loaded) and keeps
    the problems per address: `problems` maps "who path" to lines."""

    def __init__(self, checks: Iterable[PageCheck] = (axe_check,)):
        self.checks = list(checks)
        self.problems: dict[str, list[str]] = {}
        self.pages_checked = 0
        self._loaded: set[int] = set()
        self._who: dict[int, str] = {}

    def watch(self, page, who: str = "") -> None:
        """Mark the page for checking whenever it loads a document."""
        page.on("load", lambda p: self._loaded.add(id(p)))
        self._loaded.add(id(page))
        self._who[id(page)] = who

    def __call__(self, page) -> None:
        """Check the page if it loaded a document since it was last checked."""
        if id(page) not in self._loaded:
            return
        self._loaded.discard(id(page))
        page.wait_for_load_state()
        parts = urlsplit(page.url)
        path = f"{parts.path}{'?' + parts.query if parts.query else ''}"
        where = f"{self._who.get(id(page), '')} {path}".strip()
        self.pages_checked += 1
        for check in self.checks:
            for line in check(page):
                found = self.problems.setdefault(where, [])
                if line not in found:
                    found.append(line)

    def report(self) -> str:
        return "\n".join(
            f"{where}\n" + "\n".join(f"    {line}" for line in lines)
            for where, lines in sorted(self.problems.items())
        )


def assert_accessible(page) -> None:
    problems = axe_check(page)
    assert not problems, f"{page.url}\n" + "\n".join(problems)
