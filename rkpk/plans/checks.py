"""Form-conformity checks (step 4b) as named rules over a plan snapshot.

Each rule returns the problems it found; a rule with none passes. Errors block a
submission, warnings are shown but do not. The same rules run for the unit before it
submits and are stored with each submission for the bureau.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from rkpk.core.formatting import format_rupiah
from rkpk.plans.models import Indicator, QualitativeValue, TargetKind

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str
    check: Callable[[dict, dict], list[str]]


def _indicators(snapshot):
    for goal in snapshot["goals"]:
        for indicator in goal["indicators"]:
            yield goal, indicator


def _label(indicator) -> str:
    return indicator["code"] or indicator["name"][:60]


def _dec(value):
    return None if value in (None, "") else Decimal(value)


def target_problem(target: dict, qualitative: set[str]) -> str | None:
    kind = target["kind"]
    if kind in (TargetKind.NUMBER, TargetKind.PERCENT):
        if target["value"] is None:
            return str(_("no target"))
        if kind == TargetKind.PERCENT and not Decimal(0) <= _dec(target["value"]) <= Decimal(1000):
            return str(_("a percentage outside 0–1000"))
    elif kind == TargetKind.RANGE:
        low, high = _dec(target["min"]), _dec(target["max"])
        if low is None or high is None:
            return str(_("the range needs both ends"))
        if low > high:
            return str(_("the range's start is above its end"))
    elif kind == TargetKind.QUALITATIVE:
        if not target["text"]:
            return str(_("no qualitative target"))
        if target["text"] not in qualitative:
            return str(_("'%(value)s' is not in the list of qualitative values")) % {
                "value": target["text"]
            }
    return None


def goal_has_indicator(snapshot, context):
    return [
        str(_("Goal '%(goal)s' has no indicator.")) % {"goal": goal["code"] or goal["text"][:60]}
        for goal in snapshot["goals"]
        if not goal["indicators"]
    ]


def has_goals(snapshot, context):
    return [] if snapshot["goals"] else [str(_("The plan has no goal."))]


def indicator_has_measure(snapshot, context):
    return [
        str(_("Indicator '%(ind)s' has no unit of measure.")) % {"ind": _label(ind)}
        for _goal, ind in _indicators(snapshot)
        if not ind["measure"].strip()
    ]


def indicator_target_valid(snapshot, context):
    problems = []
    for _goal, ind in _indicators(snapshot):
        problem = target_problem(ind["target"], context["qualitative"])
        if problem:
            problems.append(
                str(_("Indicator '%(ind)s': %(problem)s."))
                % {"ind": _label(ind), "problem": problem}
            )
    return problems


def pk_subset_of_rk(snapshot, context):
    pk = [ind for _goal, ind in _indicators(snapshot) if ind["in_pk"]]
    if not pk:
        return [str(_("No indicator is marked for the PK."))]
    rk_ids = {ind["id"] for _goal, ind in _indicators(snapshot)}
    return [
        str(_("PK indicator '%(ind)s' is not in the RK.")) % {"ind": _label(ind)}
        for ind in pk
        if ind["id"] not in rk_ids
    ]


def budget_adds_up(snapshot, context):
    """A program row's budget equals the sum of the activity rows that follow it."""
    problems, program, total = [], None, Decimal(0)

    def close():
        if program is not None and total and _dec(program["budget"]) != total:
            problems.append(
                str(_("Program '%(name)s': budget %(budget)s, its activities add up to %(sum)s."))
                % {
                    "name": program["name"][:60],
                    "budget": program["budget_display"],
                    "sum": f"Rp{total:,.0f}".replace(",", "."),
                }
            )

    for activity in snapshot["activities"]:
        if activity["kind"] == "program":
            close()
            program, total = activity, Decimal(0)
        else:
            total += _dec(activity["budget"]) or 0
    close()
    return problems


def parties_set(snapshot, context):
    first, second = snapshot["parties"]["first"], snapshot["parties"]["second"]
    problems = []
    if first is None:
        problems.append(str(_("The first party (the unit head) is not set.")))
    if second is None:
        problems.append(str(_("The second party (the direct superior) is not set.")))
    if first and second and first["official_id"] == second["official_id"]:
        problems.append(str(_("The first and second party are the same person.")))
    return problems


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def no_duplicate_indicators(snapshot, context):
    names = Counter(_normal(ind["name"]) for _goal, ind in _indicators(snapshot))
    codes = Counter(ind["code"] for _goal, ind in _indicators(snapshot) if ind["code"])
    problems = [
        str(_("Indicator '%(name)s' appears %(n)s times.")) % {"name": name[:60], "n": n}
        for name, n in names.items()
        if n > 1
    ]
    problems += [
        str(_("Indicator code %(code)s is used %(n)s times.")) % {"code": code, "n": n}
        for code, n in codes.items()
        if n > 1
    ]
    return problems


def definition_present(snapshot, context):
    return [
        str(_("Indicator '%(ind)s' has no operational definition or data source."))
        % {"ind": _label(ind)}
        for _goal, ind in _indicators(snapshot)
        if not ind["definition"].strip() or not ind["data_source"].strip()
    ]


def quarters_reach_target(snapshot, context):
    problems = []
    for _goal, ind in _indicators(snapshot):
        quarters = [q for q in ind["quarters"] if q is not None]
        value = ind["target"]["value"]
        if ind["target"]["kind"] not in (TargetKind.NUMBER, TargetKind.PERCENT) or not quarters:
            continue
        if (
            value is not None
            and ind["quarters"][3] is not None
            and _dec(ind["quarters"][3]) != _dec(value)
        ):
            problems.append(
                str(_("Indicator '%(ind)s': the Q4 target differs from the annual target."))
                % {"ind": _label(ind)}
            )
    return problems


def target_not_below_last_year(snapshot, context):
    problems = []
    for _goal, ind in _indicators(snapshot):
        new, old = _dec(ind["target"]["value"]), _dec(ind.get("previous_value"))
        if new is None or old is None:
            continue
        worse = new < old if ind["polarity"] == Indicator.Polarity.HIGHER else new > old
        if ind["polarity"] != Indicator.Polarity.RANGE and worse:
            problems.append(
                str(_("Indicator '%(ind)s': target %(new)s is weaker than last year's %(old)s."))
                % {
                    "ind": _label(ind),
                    "new": ind["target"]["display"],
                    "old": ind["previous_target"],
                }
            )
    return problems


def activities_have_indicators(snapshot, context):
    if not snapshot["activities"]:
        return [str(_("The plan lists no program or activity."))]
    return [
        str(_("Activity '%(name)s' has no output indicator.")) % {"name": a["name"][:60]}
        for a in snapshot["activities"]
        # A roll-up line stands for another unit's plan: its outputs are in that plan.
        if a["kind"] == "activity" and not a["indicators"] and not a.get("rolls_up")
    ]


def _recorded(expected: dict) -> str:
    """ "Plt. Kepala Biro Umum: Ani" — the post and who holds it in the records."""
    post = expected.get("post") or ""
    if expected.get("name"):
        return f"{post}: {expected['name']}" if post else expected["name"]
    return post


def first_party_heads_the_unit(snapshot, context):
    """The first party is the unit's head, or the official recorded as acting for it, on the
    signing date."""
    first = snapshot["parties"]["first"]
    expected = (snapshot.get("expected_parties") or {}).get("first")
    if not first or expected is None:
        return []
    if expected["official_id"] is None:
        return [
            str(
                _(
                    "No head of this unit is recorded for the signing date; %(name)s cannot be "
                    "checked against the records."
                )
            )
            % {"name": first["name"]}
        ]
    if first["official_id"] != expected["official_id"]:
        return [
            str(
                _(
                    "The first party %(name)s is not the head of this unit recorded for the "
                    "signing date (%(recorded)s)."
                )
            )
            % {"name": first["name"], "recorded": _recorded(expected)}
        ]
    return []


def second_party_is_superior(snapshot, context):
    """The second party is the head of the parent unit (or its acting official), or the
    minister for a unit directly under the minister."""
    second = snapshot["parties"]["second"]
    expected = (snapshot.get("expected_parties") or {}).get("second")
    if not second or expected is None:
        return []
    if expected["official_id"] == second["official_id"]:
        return []
    if expected["official_id"] is None:
        if expected.get("minister"):
            if not expected.get("post") or second.get("position") == expected["post"]:
                return []
            return [
                str(
                    _(
                        "This unit is directly under the minister: the second party should be "
                        "the %(post)s, not %(name)s."
                    )
                )
                % {"post": expected["post"], "name": second["name"]}
            ]
        return [
            str(
                _(
                    "No head of the parent unit is recorded for the signing date; %(name)s "
                    "cannot be checked against the records."
                )
            )
            % {"name": second["name"]}
        ]
    return [
        str(_("The second party should be %(expected)s, not %(name)s."))
        % {"expected": _recorded(expected), "name": second["name"]}
    ]


def _rollup_facts(snapshot: dict) -> dict:
    """The units below the plan's unit ({id: unit}) and their current plan totals of the
    year, read once per run and only when the plan has activity lines (one query for a unit
    without units below, two otherwise)."""
    from rkpk.organisation.models import Unit
    from rkpk.plans.rollups import ancestors, plan_totals

    unit_id = (snapshot.get("unit") or {}).get("id")
    lines = [a for a in snapshot.get("activities", []) if a.get("kind") != "program"]
    if unit_id is None or not lines:
        return {"units": {}, "totals": {}}
    tree = {
        u["id"]: u for u in Unit.objects.values("id", "parent_id", "code", "name", "short_name")
    }
    parents = {uid: u["parent_id"] for uid, u in tree.items()}
    below = {uid: u for uid, u in tree.items() if unit_id in ancestors(uid, parents)}
    totals = plan_totals(below, snapshot["year"]) if below else {}
    return {"units": below, "totals": totals}


def rollups_marked(snapshot, context):
    """Lines standing for a unit's whole plan are marked as roll-ups and match that plan.

    An unmarked line that names a unit below and carries exactly its plan total would be
    counted twice in the ministry compilation; a marked line should equal the plan it rolls
    up. Both are found here, while the plan can still be changed."""
    from rkpk.plans.rollups import names_unit

    facts = context.get("rollups")
    if facts is None:
        facts = context["rollups"] = _rollup_facts(snapshot)
    units, totals = facts["units"], facts["totals"]
    if not units:
        return []
    problems = []
    seen: set[int] = set()
    for activity in snapshot.get("activities", []):
        if activity.get("kind") == "program":
            continue
        budget = _dec(activity.get("budget")) or Decimal(0)
        marked = activity.get("rolls_up")
        if marked and marked.get("id") in seen:
            problems.append(
                str(_("The plan of %(unit)s is rolled up by more than one line."))
                % {"unit": marked.get("name", "")}
            )
            continue
        if marked:
            seen.add(marked.get("id"))
            total = totals.get(marked.get("id"))
            if total is not None and total != budget:
                problems.append(
                    str(
                        _(
                            "“%(line)s” rolls up the plan of %(unit)s, whose total is now "
                            "%(total)s, not %(budget)s."
                        )
                    )
                    % {
                        "line": activity["name"][:60],
                        "unit": marked.get("name", ""),
                        "total": format_rupiah(total),
                        "budget": format_rupiah(budget),
                    }
                )
            continue
        if not budget:
            continue
        for unit_id, unit in units.items():
            if totals.get(unit_id) == budget and names_unit(activity.get("name", ""), unit):
                problems.append(
                    str(
                        _(
                            "“%(line)s” names %(unit)s and carries exactly its plan total "
                            "(%(budget)s): if it stands for that unit's plan, mark it as "
                            "rolling up %(unit)s, or the compilation counts it twice."
                        )
                    )
                    % {
                        "line": activity["name"][:60],
                        "unit": unit["name"],
                        "budget": format_rupiah(budget),
                    }
                )
                break
    return problems


RULES = [
    Rule("HAS_GOALS", _("The plan has goals"), ERROR, has_goals),
    Rule("GOAL_HAS_INDICATOR", _("Every goal has an indicator"), ERROR, goal_has_indicator),
    Rule(
        "INDICATOR_HAS_MEASURE",
        _("Every indicator has a unit of measure"),
        ERROR,
        indicator_has_measure,
    ),
    Rule("TARGET_VALID", _("Every indicator has a valid target"), ERROR, indicator_target_valid),
    Rule("PK_SUBSET", _("The PK indicators are a subset of the RK"), ERROR, pk_subset_of_rk),
    Rule("BUDGET_ADDS_UP", _("Program budgets add up to their activities"), ERROR, budget_adds_up),
    Rule("PARTIES_SET", _("Both PK parties are set"), ERROR, parties_set),
    Rule("NO_DUPLICATES", _("No duplicate indicators"), ERROR, no_duplicate_indicators),
    Rule(
        "DEFINITIONS",
        _("Indicators have a definition and a data source"),
        WARNING,
        definition_present,
    ),
    Rule(
        "QUARTERS", _("Quarterly targets reach the annual target"), WARNING, quarters_reach_target
    ),
    Rule(
        "NOT_WEAKER",
        _("Targets are not weaker than last year's"),
        WARNING,
        target_not_below_last_year,
    ),
    Rule(
        "ACTIVITY_OUTPUTS",
        _("Activities have output indicators"),
        WARNING,
        activities_have_indicators,
    ),
    Rule(
        "FIRST_PARTY_HEAD",
        _("The first party heads the unit (or acts for its head)"),
        WARNING,
        first_party_heads_the_unit,
    ),
    Rule(
        "SECOND_PARTY_SUPERIOR",
        _("The second party is the direct superior"),
        WARNING,
        second_party_is_superior,
    ),
    Rule(
        "ROLLUPS_MARKED",
        _("Lines standing for a unit's plan are marked as roll-ups"),
        WARNING,
        rollups_marked,
    ),
]


def run_checks(snapshot: dict) -> list[dict]:
    """Every rule's result: code, title, severity, passed, problems."""
    context = {"qualitative": set(QualitativeValue.objects.values_list("value", flat=True))}
    results = []
    for rule in RULES:
        problems = rule.check(snapshot, context)
        results.append(
            {
                "code": rule.code,
                "title": str(rule.title),
                "severity": rule.severity,
                "passed": not problems,
                "problems": problems,
            }
        )
    return results


def blocking(results: list[dict]) -> list[dict]:
    return [r for r in results if not r["passed"] and r["severity"] == ERROR]
