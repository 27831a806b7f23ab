"""Coverage of the strategic goals by the units' plans, read from a compiled version.

Everything comes from `Compilation.data` (no further queries), so the analysis always
describes exactly one compiled version:

- goals with no support, or weak support (fewer than `weak` mapped unit indicators,
  default 2);
- unit indicators that serve no goal;
- the units contributing to each goal;
- targets lower than last year's, for "higher is better" indicators (`Indicator.previous`);
- budget per goal. The plans do not tie budget lines to goals, so the rule is the simplest
  honest one: each unit's total budget is split equally across the distinct goals its
  mapped indicators serve; the budget of units with no mapped indicator is shown apart.

Charts are drawn server-side as SVG: a bar per goal (indicators mapped) and a goal × unit
heat map (indicators per cell). This module computes the geometry; templates draw it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rkpk.core.formatting import format_rupiah

WEAK_DEFAULT = 2
NONE, WEAK, SUPPORTED = "none", "weak", "supported"
STATUS_COLOURS = {NONE: "#b02a37", WEAK: "#fd7e14", SUPPORTED: "#198754"}

BAR_ROW = 22
BAR_LABEL = 70
BAR_WIDTH = 360
CELL = 14
HEAT_LABEL = 70
HEAT_TOP = 70


@dataclass
class GoalCoverage:
    id: int
    code: str
    text: str
    indicators: int
    units: list[dict]
    budget: Decimal
    status: str
    ministry_indicators: int

    @property
    def budget_display(self) -> str:
        return format_rupiah(self.budget.quantize(Decimal(1)))


@dataclass
class Bar:
    code: str
    text: str
    count: int
    y: int
    width: float
    colour: str
    status: str

    @property
    def text_y(self) -> int:
        return self.y + 15

    @property
    def count_x(self) -> float:
        return round(BAR_LABEL + self.width + 4, 1)


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    width: int = BAR_LABEL + BAR_WIDTH + 40
    label_width: int = BAR_LABEL


@dataclass
class HeatCell:
    x: int
    y: int
    count: int
    opacity: float
    label: str


@dataclass
class HeatMap:
    rows: list[dict]  # {"code", "y"}
    columns: list[dict]  # {"code", "name", "x"}
    cells: list[HeatCell]
    width: int
    height: int
    cell: int = CELL
    top: int = HEAT_TOP
    label_width: int = HEAT_LABEL


@dataclass
class Coverage:
    year: int
    number: int
    weak: int
    goals: list[GoalCoverage]
    unmapped: list[dict]
    lower_than_last_year: list[dict]
    unassigned_budget: Decimal
    chart: Chart
    heatmap: HeatMap
    counts: dict = field(default_factory=dict)

    @property
    def unassigned_budget_display(self) -> str:
        return format_rupiah(self.unassigned_budget.quantize(Decimal(1)))


def is_lower_than_last_year(entry: dict) -> bool:
    """A "higher is better" target below last year's numeric target."""
    if entry.get("polarity") != "higher":
        return False
    value, previous = entry.get("value"), entry.get("previous_value")
    if value is None or previous is None:
        return False
    return Decimal(value) < Decimal(previous)


def coverage(compilation, *, weak: int = WEAK_DEFAULT) -> Coverage:
    data = compilation.data
    weak = max(1, int(weak))
    units = {u["id"]: u for u in data.get("units", [])}
    goals_of_unit: dict[int, set[int]] = defaultdict(set)
    per_cell: dict[tuple[int, int], int] = defaultdict(int)
    lower = []
    for goal in data.get("goals", []):
        for entry in goal["unit_indicators"]:
            goals_of_unit[entry["unit_id"]].add(goal["id"])
            per_cell[(goal["id"], entry["unit_id"])] += 1
            if is_lower_than_last_year(entry):
                lower.append({**entry, "goal_code": goal["code"]})
    lower += [
        {**e, "goal_code": ""} for e in data.get("unmapped", []) if is_lower_than_last_year(e)
    ]
    share: dict[int, Decimal] = {}
    unassigned = Decimal(0)
    for unit_id, unit in units.items():
        budget = Decimal(unit.get("budget") or 0)
        served = goals_of_unit.get(unit_id)
        if served:
            share[unit_id] = budget / len(served)
        else:
            unassigned += budget

    goal_rows = []
    for goal in data.get("goals", []):
        count = len(goal["unit_indicators"])
        contributing = sorted(
            {e["unit_id"] for e in goal["unit_indicators"]},
            key=lambda uid: units.get(uid, {}).get("code") or "",
        )
        status = NONE if count == 0 else WEAK if count < weak else SUPPORTED
        goal_rows.append(
            GoalCoverage(
                id=goal["id"],
                code=goal["code"],
                text=goal["text"],
                indicators=count,
                units=[
                    {
                        "id": uid,
                        "code": units.get(uid, {}).get("code", ""),
                        "name": units.get(uid, {}).get("name", ""),
                        "indicators": per_cell[(goal["id"], uid)],
                    }
                    for uid in contributing
                ],
                budget=sum((share.get(uid, Decimal(0)) for uid in contributing), Decimal(0)),
                status=status,
                ministry_indicators=len(goal.get("ministry_indicators", [])),
            )
        )
    return Coverage(
        year=compilation.year,
        number=compilation.number,
        weak=weak,
        goals=goal_rows,
        unmapped=data.get("unmapped", []),
        lower_than_last_year=lower,
        unassigned_budget=unassigned,
        chart=bar_chart(goal_rows),
        heatmap=heat_map(goal_rows, list(units.values()), per_cell),
        counts={
            "goals": len(goal_rows),
            "none": sum(g.status == NONE for g in goal_rows),
            "weak": sum(g.status == WEAK for g in goal_rows),
            "supported": sum(g.status == SUPPORTED for g in goal_rows),
            "unmapped": len(data.get("unmapped", [])),
            "lower": len(lower),
        },
    )


def bar_chart(goals: list[GoalCoverage]) -> Chart:
    top = max((g.indicators for g in goals), default=0) or 1
    bars = [
        Bar(
            code=g.code,
            text=g.text,
            count=g.indicators,
            y=index * BAR_ROW,
            width=round(g.indicators / top * BAR_WIDTH, 1),
            colour=STATUS_COLOURS[g.status],
            status=g.status,
        )
        for index, g in enumerate(goals)
    ]
    return Chart(bars=bars, height=max(BAR_ROW, len(bars) * BAR_ROW))


def heat_map(goals: list[GoalCoverage], units: list[dict], per_cell: dict) -> HeatMap:
    """Goals as rows, the units of the compilation as columns; darker = more indicators."""
    top = max(per_cell.values(), default=0) or 1
    columns = [
        {"id": u["id"], "code": u["code"], "name": u["name"], "x": HEAT_LABEL + i * CELL}
        for i, u in enumerate(units)
    ]
    rows = [{"id": g.id, "code": g.code, "y": HEAT_TOP + i * CELL} for i, g in enumerate(goals)]
    cells = []
    for row in rows:
        for column in columns:
            count = per_cell.get((row["id"], column["id"]), 0)
            if count:
                cells.append(
                    HeatCell(
                        x=column["x"],
                        y=row["y"],
                        count=count,
                        opacity=round(0.2 + 0.8 * count / top, 2),
                        label=f"{row['code']} × {column['code']}: {count}",
                    )
                )
    return HeatMap(
        rows=rows,
        columns=columns,
        cells=cells,
        width=HEAT_LABEL + max(1, len(columns)) * CELL + 10,
        height=HEAT_TOP + max(1, len(rows)) * CELL + 10,
    )
