"""The index arithmetic of PermenPAN-RB 14/2017: averages, IKM, grades, rounding."""

from decimal import Decimal
from fractions import Fraction

import pytest

from rkpk.survey import scoring


def test_worked_example_by_hand():
    # Three units answered; scores per element U1..U9:
    #   unit 1: 4 4 3 3 4 3 4 2 3
    #   unit 2: 3 4 3 2 4 3 4 3 3
    #   unit 3: 4 3 2 4 4 3 3 3 4
    # Element sums: 11 11 8 9 12 9 11 8 10 (= 89); averages are the sums ÷ 3.
    # IKM = (89/3) / 9 × 25 = 2225/27 = 82.4074… → 82.41, grade B (76.61–88.30).
    # (The regulation's rounded weight 0.111 would give 82.33: the weight here is exactly 1/9.)
    sums = [11, 11, 8, 9, 12, 9, 11, 8, 10]
    averages = [scoring.average(total, 3) for total in sums]
    assert averages[0] == Fraction(11, 3)
    assert scoring.to_decimal(averages[0]) == Decimal("3.67")
    value = scoring.index(averages)
    assert value == Decimal("82.41")
    assert str(value) == "82.41"
    assert scoring.grade(value).letter == "B"
    assert scoring.weighted(averages[0]) == Decimal("0.4074")  # 11/27
    assert scoring.converted(averages[4]) == Decimal("100.00")


def test_extremes():
    assert scoring.index([4] * 9) == Decimal("100.00")
    assert scoring.index([1] * 9) == Decimal("25.00")
    assert scoring.grade(Decimal("100")).letter == "A"
    assert scoring.grade(Decimal("25")).letter == "D"


def test_index_needs_nine_elements():
    with pytest.raises(ValueError):
        scoring.index([4] * 8)


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries(value, letter):
    assert scoring.grade(Decimal(value)).letter == letter


def test_grade_labels_and_none():
    assert scoring.grade(None) is None
    assert [g.label_id for g in scoring.GRADES] == [
        "Sangat Baik",
        "Baik",
        "Kurang Baik",
        "Tidak Baik",
    ]
    assert str(scoring.grade(Decimal("90")).label) == "Very good"


def test_rounding_is_half_up_and_exact():
    assert scoring.to_decimal(Fraction(88305, 1000)) == Decimal("88.31")
    assert scoring.to_decimal(Fraction(88304999, 1000000)) == Decimal("88.30")
    assert scoring.to_decimal(Decimal("76.605")) == Decimal("76.61")
    assert scoring.to_decimal(Decimal("2.675")) == Decimal("2.68")  # 2.675 as a float is below
    # The grade uses the rounded index: 88.305 is 88.31, so A.
    assert scoring.grade(Decimal("88.305")).letter == "A"
    assert scoring.grade(Decimal("88.3049")).letter == "B"
    # The mean of the averages × 25 exactly between two hundredths (75.005) rounds up.
    averages = [Fraction(3)] * 8 + [Fraction(3) + Fraction(9, 5000)]
    assert sum(averages) / 9 * 25 == Fraction(75005, 1000)
    assert scoring.index(averages) == Decimal("75.01")


def test_percent():
    assert scoring.percent(2, 3) == Decimal("66.67")
    assert scoring.percent(0, 0) is None
    assert scoring.percent(3, 3) == Decimal("100.00")
