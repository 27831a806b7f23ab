from datetime import date
from decimal import Decimal

import pytest

from rkpk.core.formatting import (
    NumberFormatError,
    format_date_id,
    format_number,
    format_rupiah,
    parse_number,
)


def test_indonesian_dates_and_numbers():
    assert format_date_id(date(2026, 11, 25)) == "25 November 2026"
    assert format_number(Decimal("1234567.89")) == "1.234.567,89"
    assert format_number(Decimal("85.0000")) == "85"
    assert format_number(Decimal("0.5")) == "0,5"
    assert format_number(Decimal("-1500")) == "-1.500"
    assert format_number(Decimal("2.345"), decimals=2) == "2,35"
    assert format_rupiah(Decimal("1500000.00")) == "Rp1.500.000"
    assert format_rupiah(Decimal("1500000.5")) == "Rp1.500.000,50"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", "1234.5"),
        ("85%", "85"),
        ("85,5 %", "85.5"),
        ("1.234", "1234"),
        ("12.5", "12.5"),
        ("1.234.567", "1234567"),
        ("Rp1.500.000", "1500000"),
        ("Rp 1.500.000,00", "1500000.00"),
        ("-3", "-3"),
        (42, "42"),
        (0.25, "0.25"),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12..5", "1.23.4", "=1+1", "85 persen"])
def test_parse_number_rejects_text(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)
