"""Find what a user should never read in a rendered page: raw codes and untranslated text.

`find_raw_text(html)` is the reusable check (the Django-client crawl in
test_raw_text_walk.py and the browser walk's per-page hooks call it). It reports

- audit action codes (`plan.imported`) of the action registry (rkpk.core.audit_labels), and
  any code-shaped token with one of the registry's prefixes;
- check rule codes (`HAS_GOALS`) of the plan checks;
- on a page rendered in Indonesian (`<html lang="id">`), English message ids of the
  project's catalogue (rkpk/locale/id), translated or not yet: either the translation was
  not used (a string not marked, a stale .mo) or it is still missing;
- seed data marking itself "(seed)";
- unpluralised or English counts: "N item" in Indonesian, "2 item" / "1 items" in English.

Text inside `<script>`, `<style>`, `<textarea>` and inside any element marked
`translate="no"` (codes shown on purpose to administrators, raw audit snapshots) is not read.
Text inside an element whose `lang` differs from the page's (the "English" language switch,
an English gloss) is read for codes but not for English message ids. Attributes read:
`aria-label`, `placeholder`, `alt`, `title` and the value of button-like inputs (codes are
allowed in `title`, the tooltip that shows an administrator the code beside its label).
"""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES" / "django.po"

SKIPPED_TAGS = {"script", "style", "textarea", "template", "noscript"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "label",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "br",
}
TEXT_ATTRIBUTES = ("aria-label", "placeholder", "alt", "title")
# Where the application, not the data, speaks: a single English word ("Goal") counts only
# there, since a single word elsewhere may be data spelt like one ("Unit", a unit of measure).
CHROME_TAGS = {
    "button",
    "caption",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "label",
    "legend",
    "nav",
    "summary",
    "th",
    "title",
}
BUTTON_INPUTS = {"submit", "button", "reset"}

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
WORD = re.compile(r"[A-Za-z][\w'’-]*")


# --- the catalogue ---------------------------------------------------------------------


def _unquote(line: str) -> str:
    text = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _po_entries(path: Path):
    """(msgid, msgid_plural, [msgstr…]) of each entry of a .po file; no msgstr when the
    entry is untranslated or fuzzy."""
    entry: dict[str, list[str]] = {}
    fuzzy = False
    key = None

    def finish():
        msgid = "".join(entry.get("msgid", []))
        strs = [
            "".join(v) for k, v in sorted(entry.items()) if k.startswith("msgstr") and "".join(v)
        ]
        if msgid:
            # A fuzzy or empty translation is not used: the page shows the English.
            yield msgid, "".join(entry.get("msgid_plural", [])), [] if fuzzy else strs

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            yield from finish()
            entry, fuzzy, key = {}, False, None
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            entry[key].append(_unquote(line))
        else:
            key = line.split(None, 1)[0]
            entry[key] = [_unquote(line)]
    yield from finish()


def _normal(text: str) -> str:
    return " ".join(text.split())


def _phrases_of(msgid: str) -> list[str]:
    """What of an English message id would show verbatim in a page: the whole message, or
    for a message with placeholders its longest literal piece."""
    if not PLACEHOLDER.search(msgid):
        return [_normal(msgid)]
    pieces = [_normal(p).strip(" .,:;·—-–()") for p in PLACEHOLDER.split(msgid)]
    pieces = [p for p in pieces if len(re.sub(r"[^A-Za-z]", "", p)) >= 4]
    return [max(pieces, key=len)] if pieces else []


@cache
def english_phrases() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """(single-word phrases, multi-word phrases by first word) of the catalogue's English
    message ids, but those whose Indonesian is spelt the same."""
    if not CATALOGUE.exists():
        return frozenset(), {}
    entries = list(_po_entries(CATALOGUE))
    translations = {_normal(s).lower() for _msgid, _plural, strs in entries for s in strs}
    single: set[str] = set()
    multi: dict[str, set[str]] = {}
    for msgid, plural, strs in entries:
        # Spelt the same in both languages ("Status", "RK-PK"): nothing to find.
        if strs and all(_normal(s).lower() == _normal(msgid).lower() for s in strs):
            continue
        for phrase in {*_phrases_of(msgid), *(_phrases_of(plural) if plural else [])}:
            letters = re.sub(r"[^A-Za-z]", "", phrase)
            # An Indonesian text that happens to be spelt like an English message id is not
            # a missing translation ("Status", "Program" are the same in both).
            if len(letters) < 2 or phrase.lower() in translations:
                continue
            words = WORD.findall(phrase)
            if not words:
                continue
            if len(words) == 1 and words[0] == phrase:
                single.add(phrase)
            elif phrase.startswith(words[0]):
                multi.setdefault(words[0], set()).add(phrase)
    return frozenset(single), {k: tuple(sorted(v, key=len)) for k, v in multi.items()}


# --- the registries ----------------------------------------------------------------------


@cache
def _audit_pattern() -> re.Pattern | None:
    from rkpk.core.audit_labels import known_codes

    codes = known_codes()
    if not codes:
        return None
    prefixes = sorted({code.split(".", 1)[0] for code in codes}, key=len, reverse=True)
    # A code standing alone: not part of an e-mail address, a host name, a path or a file.
    alternatives = "|".join(map(re.escape, prefixes))
    return re.compile(rf"(?<![\w@./-])(?:{alternatives})\.[a-z][a-z0-9_]*(?![\w@/-]|\.\w)")


@cache
def _rule_pattern() -> re.Pattern | None:
    codes = rule_codes()
    if not codes:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(codes))) + r")(?![\w-])")


@cache
def rule_codes() -> frozenset[str]:
    """The codes of every check rule a user may meet (plan checks)."""
    from rkpk.plans import checks

    return frozenset(rule.code for rule in checks.RULES)


# --- the page ----------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        # Open elements: (tag, skipped, foreign language).
        self.stack: list[tuple[str, bool, bool]] = []
        # (text, foreign, chrome): text nodes; "\n" separates blocks.
        self.flow: list[tuple[str, bool, bool]] = []
        self.attributes: list[tuple[str, str, bool]] = []  # (name, text, foreign)

    @property
    def skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    @property
    def foreign(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = (attrs.get("lang") or "").lower()
        skipped = (
            self.skipped or tag in SKIPPED_TAGS or (attrs.get("translate") or "").lower() == "no"
        )
        lang = attrs.get("lang")
        foreign = self.foreign
        if lang is not None and tag != "html":
            foreign = not lang.lower().startswith(self.page_lang or "id")
        if tag in BLOCK_TAGS:
            self.flow.append(("\n", False, False))
        if not skipped:
            for name in TEXT_ATTRIBUTES:
                if attrs.get(name):
                    self.attributes.append((name, attrs[name], foreign))
            is_button = tag == "input" and (attrs.get("type") or "").lower() in BUTTON_INPUTS
            if is_button and attrs.get("value"):
                self.attributes.append(("value", attrs["value"], foreign))
        if tag not in VOID_TAGS:
            self.stack.append((tag, skipped, foreign))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.flow.append(("\n", False, False))
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.skipped:
            chrome = any(tag in CHROME_TAGS for tag, _skipped, _foreign in self.stack)
            self.flow.append((data, self.foreign, chrome))


def _segments(flow: list[tuple[str, bool, bool]]) -> list[tuple[str, bool, bool]]:
    """(text, foreign, chrome) runs between block boundaries and language changes,
    whitespace collapsed."""
    runs: list[tuple[str, bool, bool]] = []
    current: list[str] = []
    current_foreign = current_chrome = False
    for text, foreign, chrome in flow:
        if text == "\n" or foreign != current_foreign:
            if current:
                runs.append((_normal("".join(current)), current_foreign, current_chrome))
            current = [] if text == "\n" else [text]
            current_foreign, current_chrome = foreign, chrome
        else:
            current.append(text)
            current_chrome = current_chrome or chrome
    if current:
        runs.append((_normal("".join(current)), current_foreign, current_chrome))
    return [run for run in runs if run[0]]


def _continues(text: str, end: int) -> bool:
    """Whether a word goes on at `end` ("Unit head" in "Unit head's approval")."""
    rest = text[end : end + 2]
    return bool(rest) and (
        rest[0].isalnum() or rest[0] == "_" or (rest[0] in "'’" and rest[1:].isalpha())
    )


def _english_in(
    text: str, single: frozenset[str], multi: dict[str, tuple[str, ...]], chrome: bool = True
):
    bare = text.strip(" :*·•…-–—()[]")
    if chrome and bare in single:
        yield bare
        return
    spans = []
    for match in WORD.finditer(text):
        for phrase in multi.get(match[0], ()):
            end = match.start() + len(phrase)
            if text.startswith(phrase, match.start()) and not _continues(text, end):
                spans.append((match.start(), end))
    # The longest message wins: its pieces ("to do" in "items are left to do") say nothing new.
    taken: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: s[0] - s[1]):
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            yield text[start:end]


def find_raw_text(html: str) -> list[str]:
    """What in `html` a user should not read: each finding as "kind: text"."""
    page = _Page()
    page.feed(html)
    page.close()
    indonesian = page.page_lang.startswith("id")
    texts = _segments(page.flow)
    code_texts = [text for text, _foreign, _chrome in texts] + [
        text for name, text, _foreign in page.attributes if name != "title"
    ]
    findings: list[str] = []

    def add(finding: str):
        if finding not in findings:
            findings.append(finding)

    audit_pattern, rule_pattern = _audit_pattern(), _rule_pattern()
    for text in code_texts:
        if audit_pattern is not None:
            for match in audit_pattern.finditer(text):
                add(f"audit action code: {match[0]}")
        if rule_pattern is not None:
            for match in rule_pattern.finditer(text):
                add(f"check rule code: {match[0]}")
        if "(seed)" in text:
            add("seed marker: (seed)")
        if indonesian:
            for match in re.finditer(r"\b\d+\s+items?\b", text):
                add(f"count not in Indonesian: {match[0]}")
        else:
            for match in re.finditer(r"\b(?:1\s+items|(?!1\b)\d+\s+item)\b", text):
                add(f"count not pluralised: {match[0]}")
    if indonesian:
        single, multi = english_phrases()
        readable = [(text, chrome) for text, foreign, chrome in texts if not foreign] + [
            (text, True) for _name, text, foreign in page.attributes if not foreign
        ]
        for text, chrome in readable:
            for phrase in _english_in(text, single, multi, chrome):
                add(f"English message id: {phrase}")
    return findings
