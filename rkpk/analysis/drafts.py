"""The analysis draft of a year (step 5): generated tables plus narrative sections, edited
by the bureau, submitted to the head of bureau, who comments per section and approves or
returns it. Every submission freezes a version; approval completes step 5 of the cycle.
"""

from collections import defaultdict

from django.utils.text import slugify

from rkpk.analysis import selectors
from rkpk.analysis.models import (
    AnalysisDraft,
    AnalysisVersion,
    Compilation,
    Mapping,
    StrategicGoal,
)
from rkpk.plans import diff
from rkpk.plans.models import UnitPlan

Status = AnalysisDraft.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
ANALYSIS_STEP = 5
EDIT = "analysis.edit_drafts"
REVIEW = "analysis.review_drafts"
MAX_TEXT = 100_000


def goal_section_key(goal: StrategicGoal) -> str:
    return "sasaran-" + (slugify(goal.code) or str(goal.pk))


# --- Generated tables ------------------------------------------------------------------------


def generate_tables(year: int, compilation: Compilation | None = None) -> dict:
    """The tables of the analysis from the confirmed mappings of the year's accepted plans:
    one summary row per goal and, per goal, its unit indicators. Three queries whatever
    the size."""
    period = selectors.period_for_year(year)
    goals = list(StrategicGoal.objects.filter(period=period)) if period else []
    mappings = (
        Mapping.objects.filter(
            indicator__plan__year=year,
            indicator__plan__status=UnitPlan.Status.ACCEPTED,
            goal__in=goals,
        )
        .select_related("indicator__plan__unit", "ministry_indicator")
        .order_by(
            "indicator__plan__unit__sort_order",
            "indicator__plan__unit__code",
            "indicator__position",
        )
    )
    rows_by_goal = defaultdict(list)
    for m in mappings:
        ind = m.indicator
        rows_by_goal[m.goal_id].append(
            {
                "unit": ind.plan.unit.code,
                "unit_name": ind.plan.unit.name,
                "indicator": ind.name,
                "measure": ind.measure,
                "target": _target_text(ind),
                "ministry_indicator": m.ministry_indicator.code if m.ministry_indicator else "",
            }
        )
    summary, per_goal = [], {}
    for goal in goals:
        rows = rows_by_goal.get(goal.pk, [])
        units = sorted({r["unit"] for r in rows})
        summary.append(
            {
                "key": goal_section_key(goal),
                "code": goal.code,
                "goal": goal.text,
                "indicators": len(rows),
                "units": len(units),
            }
        )
        per_goal[goal_section_key(goal)] = rows
    return {
        "year": year,
        "period": period.name if period else "",
        "compilation": compilation.number if compilation else None,
        "missing_units": list(compilation.missing_units) if compilation else [],
        "summary": summary,
        "goals": per_goal,
    }


def _target_text(ind) -> str:
    if ind.target_text:
        return ind.target_text
    values = [v for v in (ind.target_value, ind.target_min, ind.target_max) if v is not None]
    if ind.target_min is not None and ind.target_max is not None:
        return (
            f"{ind.target_min:f}".rstrip("0").rstrip(".")
            + "–"
            + (f"{ind.target_max:f}".rstrip("0").rstrip("."))
        )
    return f"{values[0]:f}".rstrip("0").rstrip(".") if values else ""


def default_sections(year: int, tables: dict, goals: list[StrategicGoal]) -> list[dict]:
    sections = [
        {
            "key": "pendahuluan",
            "title": "Pendahuluan",
            "text": (
                f"Analisis ini memetakan indikator kinerja dalam Rencana Kinerja (RK) unit "
                f"kerja tahun {year} ke dalam sasaran stratejik kementerian."
            ),
        },
        {
            "key": "gambaran-umum",
            "title": "Gambaran Umum",
            "text": _overview_text(tables),
        },
    ]
    summary = {row["key"]: row for row in tables["summary"]}
    for goal in goals:
        key = goal_section_key(goal)
        row = summary.get(key, {"indicators": 0, "units": 0})
        sections.append(
            {
                "key": key,
                "title": f"{goal.code} {goal.text}"[:200],
                "text": (
                    f"Sasaran {goal.code} didukung oleh {row['indicators']} indikator dari "
                    f"{row['units']} unit kerja (lihat tabel {goal.code})."
                    if row["indicators"]
                    else f"Belum ada indikator unit kerja yang mendukung sasaran {goal.code}."
                ),
            }
        )
    sections.append({"key": "kesimpulan", "title": "Kesimpulan dan Rekomendasi", "text": ""})
    return sections


def _overview_text(tables: dict) -> str:
    total = sum(r["indicators"] for r in tables["summary"])
    empty = [r["code"] for r in tables["summary"] if not r["indicators"]]
    text = (
        f"Sebanyak {total} indikator unit kerja telah dipetakan ke "
        f"{len(tables['summary'])} sasaran stratejik."
    )
    if empty:
        text += f" Sasaran tanpa indikator pendukung: {', '.join(empty)}."
    if tables["missing_units"]:
        text += f" Unit kerja yang belum lengkap: {len(tables['missing_units'])}."
    return text


def freeze(draft: AnalysisDraft) -> dict:
    sections = [
        {"key": s.key, "title": s.title, "text": s.text}
        for s in draft.sections.order_by("position", "pk")
    ]
    return {"sections": sections, "tables": generate_tables(draft.year, draft.compilation)}


# --- Comparing versions ---------------------------------------------------------------------


def compare_versions(a: AnalysisVersion, b: AnalysisVersion) -> list[dict]:
    """Per section (in b's order, then sections only in a): old and new title and text,
    whether it changed, and the word-level differences."""
    old = {s["key"]: s for s in a.content.get("sections", [])}
    new = {s["key"]: s for s in b.content.get("sections", [])}
    keys = list(new) + [k for k in old if k not in new]
    result = []
    for key in keys:
        o, n = old.get(key), new.get(key)
        old_text, new_text = (o or {}).get("text", ""), (n or {}).get("text", "")
        result.append(
            {
                "key": key,
                "title": (n or o)["title"],
                "old": old_text,
                "new": new_text,
                "status": "added"
                if o is None
                else "removed"
                if n is None
                else ("changed" if old_text != new_text or o["title"] != n["title"] else "same"),
                "segments": [
                    {"op": s.op, "text": s.text} for s in diff.word_diff(old_text, new_text)
                ],
            }
        )
    return result
