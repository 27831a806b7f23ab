"""How a unit plan's target is written on pages and in documents."""

from decimal import Decimal

from rkpk.plans.models import TargetKind
from rkpk.plans.snapshot import format_target


def _range(low, high):
    return {"kind": TargetKind.RANGE, "min": low, "max": high}


def test_positive_range_keeps_the_dash():
    assert format_target(_range(Decimal("80"), Decimal("90.5"))) == "80–90,5"


def test_range_with_a_negative_end_is_written_with_sd():
    # "-5–5" reads as one number; the ministry goals write "-5 s.d. 5"
    assert format_target(_range(Decimal("-5"), Decimal("5"))) == "-5 s.d. 5"
    assert format_target(_range("-10", "-2,5".replace(",", "."))) == "-10 s.d. -2,5"
