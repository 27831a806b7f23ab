"""The arithmetic of the satisfaction index (IKM, PermenPAN-RB 14/2017). Pure functions.

- NRR (nilai rata-rata) of an element: the sum of its scores ÷ the number of answers.
- Weighted NRR (NRR tertimbang): NRR × 1/9 (nine elements, equal weight).
- IKM: the sum of the weighted NRRs × 25 — the mean of the nine element averages × 25 —
  on a 25–100 scale, rounded to 2 decimals half up. The exact averages are used (the
  averages shown are rounded to 2 decimals only for display), so the index does not
  depend on intermediate rounding; the weight is exactly 1/9, not 0.111.
- Grade (mutu pelayanan) of the rounded index: A (Sangat Baik) 88.31–100,
  B (Baik) 76.61–88.30, C (Kurang Baik) 65.00–76.60, D (Tidak Baik) 25.00–64.99.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

ELEMENT_COUNT = 9
CONVERSION = 25  # the index's scale: a mean score of 4 is 100


def to_decimal(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round exactly to `places` decimals, half up (ROUND_HALF_UP for the values ≥ 0 used
    here), from the exact fraction: no binary or intermediate rounding."""
    fraction = Fraction(value)
    scale = 10**places
    scaled = fraction * scale
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    return (Decimal(rounded) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def average(total: int, count: int) -> Fraction | None:
    """The exact average of `count` scores that add up to `total` (None without answers)."""
    return Fraction(total, count) if count else None


def index(averages: Iterable[Fraction | Decimal | int]) -> Decimal:
    """The IKM from the nine element averages: their mean × 25, rounded to 2 decimals."""
    values = [Fraction(a) for a in averages]
    if len(values) != ELEMENT_COUNT:
        raise ValueError(f"The index needs {ELEMENT_COUNT} element averages, not {len(values)}.")
    return to_decimal(sum(values) / ELEMENT_COUNT * CONVERSION)


def weighted(element_average: Fraction | Decimal | int, places: int = 4) -> Decimal:
    """The weighted NRR of one element: its average × 1/9."""
    return to_decimal(Fraction(element_average) / ELEMENT_COUNT, places)


def converted(element_average: Fraction | Decimal | int) -> Decimal:
    """An element's average on the index's 25–100 scale."""
    return to_decimal(Fraction(element_average) * CONVERSION)


@dataclass(frozen=True)
class Grade:
    letter: str
    label: str  # English, translated in the UI
    label_id: str  # the regulation's wording
    lower: Decimal
    upper: Decimal
    css: str

    def __str__(self) -> str:
        return f"{self.letter} ({self.label})"


GRADES = (
    Grade("A", _("Very good"), "Sangat Baik", Decimal("88.31"), Decimal("100.00"), "success"),
    Grade("B", _("Good"), "Baik", Decimal("76.61"), Decimal("88.30"), "primary"),
    Grade("C", _("Less than good"), "Kurang Baik", Decimal("65.00"), Decimal("76.60"), "warning"),
    Grade("D", _("Not good"), "Tidak Baik", Decimal("25.00"), Decimal("64.99"), "danger"),
)


def grade(value: Decimal | Fraction | int | None) -> Grade | None:
    """The grade of an index value (rounded to 2 decimals first); None without a value.
    Values below 25.00 (impossible with scores of 1–4) get D."""
    if value is None:
        return None
    rounded = to_decimal(value)
    for candidate in GRADES:
        if rounded >= candidate.lower:
            return candidate
    return GRADES[-1]


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage with 2 decimals (None when whole is 0)."""
    return to_decimal(Fraction(part * 100, whole)) if whole else None
