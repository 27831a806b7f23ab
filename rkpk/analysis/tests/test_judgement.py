"""The rule that judges a compiled ministry figure against its target, by polarity."""

from decimal import Decimal

import pytest

from rkpk.analysis.judgement import MET, NOT_JUDGED, NOT_MET, judge


@pytest.mark.parametrize(
    ("figure", "status"), [("90", MET), ("85", MET), ("84.99", NOT_MET), (None, NOT_JUDGED)]
)
def test_higher_is_better(figure, status):
    assert judge(polarity="higher", figure=figure, value=Decimal(85)).status == status


@pytest.mark.parametrize(("figure", "status"), [("10", MET), ("14", MET), ("14.5", NOT_MET)])
def test_lower_is_better(figure, status):
    assert judge(polarity="lower", figure=figure, value=14).status == status


@pytest.mark.parametrize(
    ("figure", "status"),
    [("-1", MET), ("0", MET), ("1", MET), ("-1.01", NOT_MET), ("1.5", NOT_MET)],
)
def test_range_with_a_negative_minimum(figure, status):
    verdict = judge(polarity="range", figure=figure, min_value="-1.0", max_value="1.0")
    assert verdict.status == status


def test_range_with_one_open_end():
    assert judge(polarity="range", figure=5, min_value=3).status == MET
    assert judge(polarity="range", figure=2, min_value=3).status == NOT_MET
    assert judge(polarity="range", figure=2, max_value=3).status == MET


def test_says_why_it_cannot_judge():
    qualitative = judge(polarity="qualitative", figure=3, text="WTP")
    assert qualitative.status == NOT_JUDGED and "Qualitative" in qualitative.reason
    text_target = judge(polarity="higher", figure=3, text="WTP")
    assert text_target.status == NOT_JUDGED and "Qualitative" in text_target.reason
    no_target = judge(polarity="higher", figure=3, has_target=False)
    assert no_target.status == NOT_JUDGED and "No target" in no_target.reason
    nobody = judge(polarity="higher", figure=None, value=5, contributors=0)
    assert nobody.status == NOT_JUDGED and "No contributing" in nobody.reason
    assert nobody.met is None and nobody.as_dict()["label"] == "Not judged"


def test_a_range_target_on_a_higher_or_lower_indicator_uses_the_relevant_end():
    assert judge(polarity="higher", figure=5, min_value=4, max_value=8).status == MET
    assert judge(polarity="higher", figure=3, min_value=4, max_value=8).status == NOT_MET
    assert judge(polarity="lower", figure=9, min_value=4, max_value=8).status == NOT_MET
    assert judge(polarity="lower", figure=8, min_value=4, max_value=8).status == MET


def test_verdict_codes_and_indonesian_words():
    assert judge(polarity="lower", figure=1, value=2).as_dict()["code"] == "lower"
    assert judge(polarity="higher", figure=3, value=2).words_id == "Memenuhi target"
    assert judge(polarity="range", figure=3, min_value=-1, max_value=1).words_id == (
        "Belum memenuhi target"
    )
    nobody = judge(polarity="higher", figure=None, value=2, contributors=0)
    assert nobody.code == "no_contributor"
    assert nobody.words_id == "Tidak dinilai: tidak ada indikator unit yang berkontribusi"
    assert judge(polarity="qualitative", text="WTP").words_id == "Tidak dinilai: target kualitatif"
