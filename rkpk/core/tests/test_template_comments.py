"""Django's `{# … #}` comments end at the line's end: a `{#` left open on its line prints the
comment's text into the page. Longer comments use `{% comment %}`."""

from pathlib import Path

import rkpk

ROOT = Path(rkpk.__file__).parent


def test_no_template_opens_a_comment_it_does_not_close_on_the_same_line():
    found = []
    for template in sorted(ROOT.rglob("*.html")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if line.count("{#") > line.count("#}"):
                found.append(f"{template.relative_to(ROOT)}:{number}")
    assert not found, "one-line comments left open: " + ", ".join(found)
