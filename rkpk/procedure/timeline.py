"""Geometry of the cycle timeline chart (an SVG drawn by the template, no JavaScript)."""

from dataclasses import dataclass
from datetime import date, timedelta

from rkpk.procedure.models import CycleStep
from rkpk.procedure.selectors import CycleOverview

LABEL_WIDTH = 60
ROW_HEIGHT = 26
TOP = 28
CHART_WIDTH = 900


@dataclass
class Bar:
    x: float
    width: float


@dataclass
class Row:
    number: int
    title: str
    y: float
    planned: Bar
    actual: Bar | None
    css: str
    label: str


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    rows: list[Row]
    ticks: list[Tick]
    today_x: float | None
    label_width: int = LABEL_WIDTH
    top: int = TOP


def build_timeline(overview: CycleOverview) -> Timeline:
    first = overview.first_date
    last = overview.last_date + timedelta(days=2)
    span = max((last - first).days, 1)
    scale = (CHART_WIDTH - LABEL_WIDTH - 10) / span

    def x_of(day: date) -> float:
        return round(LABEL_WIDTH + (day - first).days * scale, 1)

    def bar(start: date, end: date) -> Bar:
        # A window covers its end day entirely.
        return Bar(x_of(start), max(round((end - start).days * scale + scale, 1), 2.0))

    rows = []
    for index, progress in enumerate(overview.steps):
        step = progress.step
        y = TOP + index * ROW_HEIGHT
        actual = None
        if step.actual_start:
            actual = bar(step.actual_start, step.actual_end or overview.today)
        css = (
            "late"
            if progress.is_late
            else ("actual in-progress" if step.status == CycleStep.Status.IN_PROGRESS else "actual")
        )
        rows.append(
            Row(
                number=step.number,
                title=str(step.standard_step.title),
                y=y,
                planned=bar(step.planned_start, step.planned_end),
                actual=actual,
                css=css,
                label=f"{step.number}",
            )
        )
    ticks = []
    if span <= 120:  # weekly ticks (Mondays) while they stay readable, else monthly
        day = first - timedelta(days=first.weekday())
        while day <= last:
            if day >= first:
                ticks.append(Tick(x_of(day), f"{day.day}/{day.month}"))
            day += timedelta(days=7)
    else:
        day = date(first.year, first.month, 1)
        while day <= last:
            if day >= first:
                ticks.append(Tick(x_of(day), day.strftime("%m/%Y")))
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    today_x = x_of(overview.today) if first <= overview.today <= last else None
    height = TOP + len(rows) * ROW_HEIGHT + 10
    return Timeline(CHART_WIDTH, height, rows, ticks, today_x)
