"""The dashboard's sentence on the units' submissions is chosen from the same figures as its
late-units table and cards: not yet late is not on time (issue 13, point 9).

A cycle whose call went out on 6 October 2025: the deadline is 20 October 2025. The units
expected are E1, E1.A and E1.B (the shared `units` fixture)."""

import re
from datetime import date, datetime
from html import unescape

import pytest
from django.urls import reverse

from rkpk.dashboard import selectors
from rkpk.dashboard.tests.factories import JAKARTA, run_cycle
from rkpk.organisation.models import Unit
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.test_monitoring import add_submission, make_plan

pytestmark = pytest.mark.django_db

YEAR = 2031
CALL_ENDS = {1: date(2025, 10, 3), 2: date(2025, 10, 6)}
BEFORE_DEADLINE = date(2025, 10, 15)
AFTER_DEADLINE = date(2025, 10, 24)
ON_TIME, LATE = date(2025, 10, 10), date(2025, 10, 22)


@pytest.fixture
def operators(units, role_users, make_user):
    return {
        "a": role_users["unit_operator"],
        "b": role_users["operator_b"],
        "root": make_user("op_root", ("unit_operator", units["root"])),
    }


def page(client, monkeypatch, on: date) -> dict:
    """The dashboard page of YEAR as it reads on `on`: its sentence, table rows and cards."""
    monkeypatch.setattr(selectors, "calendar_today", lambda: on)
    html = client.get(reverse("dashboard:cycle", args=[YEAR])).content.decode()
    sentence = re.search(r'id="units-summary">(.*?)</p>', html, re.S).group(1)
    figure = re.search(r'data-figure="late-units">(\d+)<', html).group(1)
    return {
        "sentence": unescape(sentence).strip(),
        "rows": re.findall(r'<tr data-unit="([^"]+)"', html),
        "never": html.count("never submitted</span>"),
        "late_card": int(figure),
    }


def submit(units, operators, **days):
    """Plans first submitted on the given days (the submission written as it is stored; the
    dashboard reads only its date)."""
    for key, on in days.items():
        plan = make_plan(units[key], UnitPlan.Status.SUBMITTED, year=YEAR)
        add_submission(
            plan, operators[key], at=datetime(on.year, on.month, on.day, 9, tzinfo=JAKARTA)
        )


CASES = {
    # name: (submissions, today, sentence, late rows, of them never submitted)
    "all on time": (
        {"a": ON_TIME, "b": ON_TIME, "root": ON_TIME},
        AFTER_DEADLINE,
        "Every unit submitted by the deadline (20 Oktober 2025).",
        [],
        0,
    ),
    "some late": (
        {"a": ON_TIME, "b": LATE},
        AFTER_DEADLINE,
        "Of 3 units (deadline 20 Oktober 2025): 1 submitted on time; 1 submitted late; "
        "1 are late and have not submitted.",
        ["E1", "E1.B"],
        1,
    ),
    "some not yet submitted, not late": (
        {"a": ON_TIME},
        BEFORE_DEADLINE,
        "Of 3 units (deadline 20 Oktober 2025): 1 submitted on time; 2 have not submitted yet.",
        [],
        0,
    ),
    "none submitted": (
        {},
        BEFORE_DEADLINE,
        "No unit has submitted yet; the deadline is 20 Oktober 2025.",
        [],
        0,
    ),
    "deadline passed, some missing": (
        {"a": ON_TIME, "b": ON_TIME},
        AFTER_DEADLINE,
        "Of 3 units (deadline 20 Oktober 2025): 2 submitted on time; "
        "1 are late and have not submitted.",
        ["E1"],
        1,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_sentence_and_the_table_agree(
    case, units, operators, role_users, client_for, monkeypatch
):
    done, on, sentence, rows, never = CASES[case]
    run_cycle(year=YEAR, start=date(2025, 10, 1), ends=CALL_ENDS)
    submit(units, operators, **done)
    shown = page(client_for(role_users["staff"]), monkeypatch, on)
    assert shown["sentence"] == sentence
    assert sorted(shown["rows"]) == rows
    assert shown["late_card"] == len(rows)
    assert shown["never"] == never
    # The figures behind both: every expected unit counted once.
    figures = selectors.cycle_report(selectors.cycle_of_year(YEAR), on=on).submissions
    assert figures.late == len(rows) and figures.never == never
    assert figures.on_time + figures.late + figures.pending == figures.expected == 3


def test_before_the_call_nobody_is_late(units, operators, role_users, client_for, monkeypatch):
    run_cycle(year=YEAR, start=date(2025, 10, 1), ends={1: CALL_ENDS[1]})
    submit(units, operators, a=ON_TIME)
    shown = page(client_for(role_users["staff"]), monkeypatch, AFTER_DEADLINE)
    assert shown["sentence"] == (
        "The call for submissions has not gone out yet: no unit can be late. "
        "1 of 3 units have submitted already."
    )
    assert shown["rows"] == [] and shown["late_card"] == 0


def test_no_units(make_user, client_for, monkeypatch):
    run_cycle(year=YEAR, start=date(2025, 10, 1), ends=CALL_ENDS)
    assert not Unit.objects.exists()
    shown = page(client_for(make_user("staf", "staff")), monkeypatch, AFTER_DEADLINE)
    assert shown["sentence"] == "No unit is expected to submit an RK-PK."
    assert shown["rows"] == [] and shown["late_card"] == 0
