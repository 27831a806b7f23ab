"""Geometry of the dashboard's charts: inline SVG drawn by the templates, no JavaScript.

Three charts, each with a title and a description (the templates put them in the SVG's
<title> and <desc>) and a table alternative next to it:

- `steps_chart`: per step, the standard working days against the days used (red when late);
- `years_chart`: per plan year, the share of completed steps kept within the standard;
- `late_units_chart`: per late unit, its working days late (the latest first).
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from rkpk.dashboard.selectors import ComparisonRow, CycleReport

STANDARD_COLOUR = "#adb5bd"
ON_TIME_COLOUR = "#0d6efd"
RUNNING_COLOUR = "#6ea8fe"
LATE_COLOUR = "#dc3545"
SUBMITTED_LATE_COLOUR = "#fd7e14"
SHARE_COLOUR = "#198754"
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#dee2e6"
LATE_UNITS_SHOWN = 25


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str = ""  # the bar's tooltip (<title>)


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    fill: str = TEXT_COLOUR
    size: int = 11


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID_COLOUR


@dataclass
class LegendItem:
    colour: str
    label: str


@dataclass
class Chart:
    key: str  # the id prefix of the <title>/<desc>
    title: str
    desc: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rects


def _nice_max(value: float) -> int:
    """The axis top: a round number at least `value` (1, 2, 5 × 10^k)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(step * power)
    return int(10 * power)


def _ticks(top: int) -> list[int]:
    step = max(top // 5, 1)
    return list(range(0, top + 1, step))


def _fmt(value: float) -> str:
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",")


def steps_chart(report: CycleReport) -> Chart:
    left, right, top, bottom = 36, 10, 14, 34
    width, height = 760, 250
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for row in report.steps for v in (row.days_standard, row.days_used) if v]
    axis_top = _nice_max(max(values, default=1))
    late = [row for row in report.steps if row.is_late]
    chart = Chart(
        key="chart-steps",
        title=_("Standard against actual working days per step, %(name)s") % {"name": report.cycle},
        desc=_(
            "%(steps)s steps; %(late)s late%(which)s. Grey bars: the standard's working days; "
            "blue bars: the working days used; red bars: late steps."
        )
        % {
            "steps": len(report.steps),
            "late": len(late),
            "which": (" (" + ", ".join(str(r.number) for r in late) + ")") if late else "",
        },
        width=width,
        height=height,
        legend=[
            LegendItem(STANDARD_COLOUR, _("Standard")),
            LegendItem(ON_TIME_COLOUR, _("Used, within the standard")),
            LegendItem(LATE_COLOUR, _("Used, late")),
        ],
    )

    def y_of(value: float) -> float:
        return round(top + plot_h - value / axis_top * plot_h, 1)

    for tick in _ticks(axis_top):
        y = y_of(tick)
        chart.lines.append(Line(left, y, width - right, y))
        chart.texts.append(Text(left - 4, y + 4, str(tick), anchor="end", size=10))
    n = max(len(report.steps), 1)
    group = plot_w / n
    bar = group * 0.36
    for index, row in enumerate(report.steps):
        x0 = left + index * group + group * 0.12
        if row.days_standard is not None:
            y = y_of(row.days_standard)
            chart.rects.append(
                Rect(
                    round(x0, 1),
                    y,
                    round(bar, 1),
                    round(top + plot_h - y, 1),
                    STANDARD_COLOUR,
                    _("Step %(n)s: standard %(d)s working days")
                    % {"n": row.number, "d": row.days_standard},
                )
            )
        if row.days_used is not None:
            y = y_of(row.days_used)
            colour = (
                LATE_COLOUR if row.is_late else (ON_TIME_COLOUR if row.is_done else RUNNING_COLOUR)
            )
            chart.rects.append(
                Rect(
                    round(x0 + bar, 1),
                    y,
                    round(bar, 1),
                    max(round(top + plot_h - y, 1), 0.5),
                    colour,
                    _("Step %(n)s: %(d)s working days used")
                    % {"n": row.number, "d": row.days_used},
                )
            )
            chart.texts.append(
                Text(round(x0 + bar * 1.5, 1), y - 3, str(row.days_used), size=9, fill=colour)
            )
        chart.texts.append(Text(round(x0 + bar, 1), height - bottom + 14, str(row.number)))
    chart.texts.append(Text(left + plot_w / 2, height - 4, _("Step"), size=10))
    chart.lines.append(Line(left, top + plot_h, width - right, top + plot_h, TEXT_COLOUR))
    return chart


def years_chart(rows: list[ComparisonRow]) -> Chart:
    left, right, top, bottom = 40, 10, 16, 30
    width, height = 560, 220
    plot_w, plot_h = width - left - right, height - top - bottom
    chart = Chart(
        key="chart-years",
        title=_("Share of completed steps within the standard, by plan year"),
        desc="; ".join(
            f"{r.year}: " + (f"{_fmt(r.share_percent)}%" if r.share_percent is not None else "—")
            for r in rows
        )
        or _("No cycle yet."),
        width=width,
        height=height,
    )

    def y_of(percent: float) -> float:
        return round(top + plot_h - percent / 100 * plot_h, 1)

    for tick in (0, 25, 50, 75, 100):
        y = y_of(tick)
        chart.lines.append(Line(left, y, width - right, y))
        chart.texts.append(Text(left - 4, y + 4, f"{tick}%", anchor="end", size=10))
    n = max(len(rows), 1)
    group = plot_w / n
    bar = min(group * 0.6, 60)
    for index, row in enumerate(rows):
        centre = left + index * group + group / 2
        if row.share_percent is not None:
            y = y_of(row.share_percent)
            chart.rects.append(
                Rect(
                    round(centre - bar / 2, 1),
                    y,
                    round(bar, 1),
                    max(round(top + plot_h - y, 1), 0.5),
                    SHARE_COLOUR,
                    f"{row.year}: {_fmt(row.share_percent)}%",
                )
            )
            chart.texts.append(Text(round(centre, 1), y - 4, f"{_fmt(row.share_percent)}%"))
        else:
            chart.texts.append(Text(round(centre, 1), top + plot_h - 4, "—"))
        chart.texts.append(Text(round(centre, 1), height - bottom + 16, str(row.year)))
    chart.lines.append(Line(left, top + plot_h, width - right, top + plot_h, TEXT_COLOUR))
    return chart


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def late_units_chart(report: CycleReport) -> Chart:
    label_w, bar_w, row_h, top = 250, 380, 20, 6
    shown = report.late_units[:LATE_UNITS_SHOWN]
    height = top + max(len(shown), 1) * row_h + 8
    most = max((u.days_late for u in shown), default=1)
    chart = Chart(
        key="chart-units",
        title=_("Late units by working days late, %(name)s") % {"name": report.cycle},
        desc=_("%(count)s units late; the latest %(most)s working days; median %(median)s.")
        % {
            "count": report.late_units_count,
            "most": report.max_unit_lateness,
            "median": _fmt(report.median_unit_lateness or 0),
        },
        width=label_w + bar_w + 60,
        height=height,
        legend=[
            LegendItem(SUBMITTED_LATE_COLOUR, _("Submitted late")),
            LegendItem(LATE_COLOUR, _("Never submitted")),
        ],
    )
    if len(report.late_units) > len(shown):
        chart.note = _("The %(shown)s latest of %(total)s late units; all are in the table.") % {
            "shown": len(shown),
            "total": len(report.late_units),
        }
    for index, unit in enumerate(shown):
        y = top + index * row_h
        width = round(unit.days_late / most * bar_w, 1)
        colour = LATE_COLOUR if unit.never else SUBMITTED_LATE_COLOUR
        chart.texts.append(Text(label_w - 6, y + 14, _short(unit.name), anchor="end"))
        chart.rects.append(
            Rect(
                label_w,
                y + 3,
                max(width, 1),
                row_h - 6,
                colour,
                _("%(unit)s: %(d)s working days late") % {"unit": unit.name, "d": unit.days_late},
            )
        )
        chart.texts.append(Text(label_w + max(width, 1) + 4, y + 14, str(unit.days_late), "start"))
    return chart


def charts(report: CycleReport | None, rows: list[ComparisonRow]) -> dict[str, Chart]:
    found = {"years": years_chart(rows)}
    if report is not None:
        found["steps"] = steps_chart(report)
        found["units"] = late_units_chart(report)
    return found
