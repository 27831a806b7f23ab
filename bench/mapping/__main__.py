"""Benchmark and accuracy of the goal suggestions. `python -m bench.mapping [--earlier 0.4]`.

The labelled set (labelled.csv: goal code, unit goal text, indicator) holds hand-written,
realistic unit indicators of the 21 example strategic goals (rkpk/analysis/demo_data.py).
It is split, stratified by goal and with a fixed seed, into "earlier years" (confirmed
mappings the method may learn from) and "this year" (evaluated). Reported: top-1 and
top-3 accuracy of (a) a plain word-overlap baseline, (b) stemming + TF-IDF (words and
character n-grams) without learning, (c) the same learning from the confirmed part; and
the time to suggest goals for 10,000 indicators (sampled and perturbed from the set).
Needs no database. Prints figures; asserts nothing.
"""

import argparse
import csv
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load() -> list[tuple[str, str, str]]:
    with open(HERE / "labelled.csv", newline="", encoding="utf-8") as handle:
        return [(r["goal"], r["unit_goal"], r["indicator"]) for r in csv.DictReader(handle)]


def split(rows, earlier: float, seed: int = 2027):
    by_goal = defaultdict(list)
    for row in rows:
        by_goal[row[0]].append(row)
    rng = random.Random(seed)
    past, now = [], []
    for code in sorted(by_goal):
        items = by_goal[code][:]
        rng.shuffle(items)
        cut = round(len(items) * earlier)
        past += items[:cut]
        now += items[cut:]
    return past, now


def accuracy(ranked: list[list[int]], truth: list[int]) -> tuple[float, float]:
    n = len(truth) or 1
    top1 = sum(r[0] == t for r, t in zip(ranked, truth, strict=True)) / n
    top3 = sum(t in r[:3] for r, t in zip(ranked, truth, strict=True)) / n
    return top1, top3


def perturbed(rows, count: int, seed: int = 7) -> list[str]:
    from rkpk.analysis.suggest import indicator_text

    rng = random.Random(seed)
    fillers = ["unit", "tahun 2027", "pusat", "biro", "bidang", "nasional", "terpadu"]
    out = []
    for n in range(count):
        _code, goal, name = rng.choice(rows)
        words = name.split()
        if len(words) > 4 and rng.random() < 0.5:
            del words[rng.randrange(1, len(words))]
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words) + 1), rng.choice(fillers))
        out.append(indicator_text(" ".join(words) + f" {n % 97}", goal))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--earlier", type=float, default=0.4, help="share of confirmed rows")
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args(argv)

    from rkpk.analysis import demo_data
    from rkpk.analysis.suggest import Suggester, indicator_text, overlap_baseline, stem

    codes = [f"SS-{n:02d}" for n in range(1, len(demo_data.GOALS) + 1)]
    goal_index = {code: i for i, code in enumerate(codes)}
    rows = load()
    past, now = split(rows, args.earlier)
    texts = [indicator_text(name, goal) for _c, goal, name in now]
    truth = [goal_index[c] for c, _g, _n in now]
    print(
        f"labelled set: {len(rows)} indicators, 21 goals; earlier years (confirmed): "
        f"{len(past)}, this year (evaluated): {len(now)}"
    )

    results = {}
    results["(a) word overlap baseline"] = accuracy(overlap_baseline(texts, demo_data.GOALS), truth)

    def ranked(suggester):
        matrix, _tokens = suggester.scores(texts)
        return [list((-row).argsort()[:3]) for row in matrix]

    plain = Suggester(goals=codes, goal_texts=demo_data.GOALS)
    results["(b) stemming + TF-IDF words and char n-grams"] = accuracy(ranked(plain), truth)
    examples = [(indicator_text(name, goal), goal_index[c]) for c, goal, name in past]
    learnt = Suggester(goals=codes, goal_texts=demo_data.GOALS, examples=examples)
    results["(c) (b) + learning from confirmed mappings"] = accuracy(ranked(learnt), truth)
    for label, (top1, top3) in results.items():
        print(f"{label:<48} top-1 {top1:6.1%}   top-3 {top3:6.1%}")

    many = perturbed(rows, args.count)
    stem.cache_clear()
    started = time.perf_counter()
    suggester = Suggester(goals=codes, goal_texts=demo_data.GOALS, examples=examples)
    suggestions = suggester.suggest(many, top=3)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    suggester.suggest(many, top=3)
    warm = time.perf_counter() - started
    assert len(suggestions) == args.count
    print(
        f"suggestions for {args.count:,} indicators: {cold:.2f} s (cold: stems not cached, "
        f"fitting included), {warm:.2f} s (warm)  [target < 5 s]"
    )
    print(
        f"example: {many[0].splitlines()[0]!r} -> "
        + "; ".join(f"{s.goal} {s.score:.2f} ({s.reason})" for s in suggestions[0])
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    main()
