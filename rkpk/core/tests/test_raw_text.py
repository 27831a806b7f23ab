"""find_raw_text finds what a user should not read, and only that (issue 13.10)."""

import pytest

from rkpk.core.tests.raw_text import find_raw_text


def page(body: str, lang: str = "id") -> str:
    head = "<head><title>x</title></head>"
    return f'<!doctype html><html lang="{lang}">{head}<body>{body}</body></html>'


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        ("<td>plan.imported</td>", "audit action code: plan.imported"),
        ("<p>Langkah cycle.started oleh staf</p>", "audit action code: cycle.started"),
        ("<td>Aturan <span>HAS_GOALS</span></td>", "check rule code: HAS_GOALS"),
        ("<p>Standar pelayanan awal (seed).</p>", "seed marker: (seed)"),
        ("<p>16 item</p>", "count not in Indonesian: 16 item"),
        ('<label for="g">Goal</label>', "English message id: Goal"),
        (
            "<p>The page does not exist, or it is not yours to see.</p>",
            "English message id: The page does not exist, or it is not yours to see.",
        ),
        ('<button aria-label="Main navigation">x</button>', "English message id: Main navigation"),
    ],
)
def test_finds(body, finding):
    assert finding in find_raw_text(page(body))


@pytest.mark.parametrize(
    "body",
    [
        # Codes shown on purpose to an administrator, and tooltips.
        '<code translate="no">plan.imported</code>',
        '<td title="plan.imported">Rencana diimpor</td>',
        '<pre translate="no">{"rule": "HAS_GOALS"}</pre>',
        # Addresses and host names are not codes.
        "<p>operator@unit.kementerian.go.id</p>",
        # The language switch names English in English.
        '<button lang="en">English</button>',
        # Data spelt like a one-word message: a unit of measure in a table cell.
        "<td>Unit</td>",
        "<script>var plan = {imported: 1}; plan.imported = 2;</script>",
        "<p>Beranda · Sasaran · Keluar</p>",
    ],
)
def test_leaves_alone(body):
    assert find_raw_text(page(body)) == []


def test_english_pages_are_checked_for_codes_and_plurals_only():
    html = page("<h1>Goal</h1><p>2 item</p><p>1 item</p><td>plan.submitted</td>", lang="en")
    assert sorted(find_raw_text(html)) == [
        "audit action code: plan.submitted",
        "count not pluralised: 2 item",
    ]
