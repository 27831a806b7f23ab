"""Accuracy of the goal suggestions, cross-validated by unit: `python -m bench.mapping.accuracy`.

The labelled set (labelled.csv: goal code, unit goal, indicator, and optionally the unit)
is split into K folds GROUPED BY UNIT: every indicator of a unit is in the same fold, so
no unit is both in the part the method learns from and in the part it is measured on.
The set's rows have no unit column: each unit goal is written by one unit, so the unit
goal stands for the unit (a `unit` column, when present, is used instead).

Printed, over all folds: top-1 and top-3 accuracy
- cold: no confirmed mapping at all, only the goals and their ministry indicators;
- after learning: the other folds' mappings confirmed (other units, as in the same year);
and per fold whether learning ever fell below cold. Needs no database; asserts nothing.
"""

import argparse
import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def folds_by_unit(rows: list[dict], k: int, seed: int) -> list[int]:
    """The fold of each row; all rows of one unit share it."""
    units = sorted({row.get("unit") or row["unit_goal"] for row in rows})
    random.Random(seed).shuffle(units)
    fold_of = {unit: n % k for n, unit in enumerate(units)}
    return [fold_of[row.get("unit") or row["unit_goal"]] for row in rows]


def hits(matrix, truth) -> tuple[int, int]:
    ranked = (-matrix).argsort(axis=1)
    top1 = sum(int(r[0] == t) for r, t in zip(ranked, truth, strict=True))
    top3 = sum(int(t in r[:3]) for r, t in zip(ranked, truth, strict=True))
    return top1, top3


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--labelled", type=Path, default=HERE / "labelled.csv")
    args = parser.parse_args(argv)

    from bench.__main__ import setup_django

    setup_django()
    from rkpk.analysis import demo_data, demo_indicators
    from rkpk.analysis.suggest import Suggester, indicator_text

    codes = [f"SS-{n:02d}" for n in range(1, len(demo_data.GOALS) + 1)]
    goal_index = {code: i for i, code in enumerate(codes)}
    ministry = [[row[0] for row in group] for group in demo_indicators.INDICATORS]
    rows = load(args.labelled)
    texts = [indicator_text(r["indicator"], r["unit_goal"]) for r in rows]
    truth = [goal_index[r["goal"]] for r in rows]
    fold = folds_by_unit(rows, args.folds, args.seed)
    units = len({r.get("unit") or r["unit_goal"] for r in rows})

    def fitted(examples=()):
        return Suggester(
            goals=codes, goal_texts=demo_data.GOALS, extra_texts=ministry, examples=examples
        )

    cold_suggester = fitted()
    totals = {"cold": [0, 0], "learnt": [0, 0]}
    worse = []
    for f in range(args.folds):
        test = [i for i in range(len(rows)) if fold[i] == f]
        train = [i for i in range(len(rows)) if fold[i] != f]
        part = [texts[i] for i in test]
        part_truth = [truth[i] for i in test]
        cold, _ = cold_suggester.scores(part)
        learnt_suggester = fitted([(texts[i], truth[i]) for i in train])
        learnt, _ = learnt_suggester.scores(part)
        c1, c3 = hits(cold, part_truth)
        l1, l3 = hits(learnt, part_truth)
        totals["cold"][0] += c1
        totals["cold"][1] += c3
        totals["learnt"][0] += l1
        totals["learnt"][1] += l3
        if l1 < c1 or l3 < c3:
            worse.append(f)
        print(
            f"fold {f + 1}: {len(test):3} indicators  cold top-1 {c1 / len(test):6.1%} "
            f"top-3 {c3 / len(test):6.1%}   after learning top-1 {l1 / len(test):6.1%} "
            f"top-3 {l3 / len(test):6.1%}"
        )
    n = len(rows)
    print(
        f"labelled set: {n} indicators, {len(codes)} goals, {units} units; "
        f"{args.folds} folds grouped by unit"
    )
    for label, key in (("cold (no confirmed mapping)", "cold"), ("after learning", "learnt")):
        top1, top3 = totals[key]
        print(f"{label:<30} top-1 {top1 / n:6.1%}   top-3 {top3 / n:6.1%}")
    print(
        "learning below cold in fold(s): " + ", ".join(str(f + 1) for f in worse)
        if worse
        else "learning below cold in no fold"
    )
    print("aim: cold top-1 >= 80 %, top-3 >= 95 %; learning never below cold")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    main()
