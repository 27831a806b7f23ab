"""The suggestion engine alone: no database."""

import time

from rkpk.analysis import demo_data
from rkpk.analysis.suggest import Suggester, normalise, stem, suggest, tokens

GOALS = demo_data.GOALS


def test_stemming_normalises_and_drops_generic_words():
    assert stem("pengaduan") == "adu"
    assert stem("keprotokolan") == "protokol"
    assert tokens("Persentase pengaduan masyarakat yang diselesaikan") == [
        "adu",
        "masyarakat",
        "selesai",
    ]
    assert normalise("") == ""


def test_ranked_suggestions_with_score_and_matched_words():
    ((first, *rest),) = suggest(
        [("Persentase pengaduan masyarakat yang dijawab tuntas", "Tertanganinya keluhan publik")],
        GOALS,
        top=3,
    )
    assert first.goal == GOALS[5]  # SS-06 pengaduan masyarakat
    assert {"adu", "masyarakat", "tuntas"} <= set(first.matched_words)
    assert len(rest) == 2 and first.score >= rest[0].score >= rest[1].score
    assert first.reason.startswith("adu")


def test_learning_from_confirmed_mappings_fixes_a_vocabulary_gap():
    text = "Jumlah jamuan makan malam kenegaraan yang disajikan koki Istana"
    plain = Suggester(goals=list(range(21)), goal_texts=GOALS)
    learnt = Suggester(
        goals=list(range(21)),
        goal_texts=GOALS,
        examples=[("Persentase permintaan konsumsi jamuan yang disajikan tepat", 10)],
    )
    assert learnt.suggest([text])[0][0].goal == 10  # rumah tangga kepresidenan
    assert learnt.suggest([text])[0][0].score > plain.scores([text])[0][0, 10]


def test_previous_years_goal_gets_a_bonus():
    suggester = Suggester(goals=list(range(21)), goal_texts=GOALS)
    text = "Jumlah laporan bulanan"
    assert suggester.suggest([text], previous_goal=[16])[0][0].goal == 16


def test_ten_thousand_indicators_are_vectorised():
    suggester = Suggester(goals=list(range(21)), goal_texts=GOALS)
    texts = [
        f"Persentase surat masyarakat yang dijawab {n} hari\nLayanan {n % 50}" for n in range(2000)
    ]
    started = time.perf_counter()
    result = suggester.suggest(texts, top=3)
    assert len(result) == 2000 and all(len(r) == 3 for r in result)
    assert time.perf_counter() - started < 2


def test_empty_inputs():
    assert suggest([], GOALS) == []
    assert suggest(["apa saja"], []) == [[]]
