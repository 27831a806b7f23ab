"""Indonesian formatting and parsing of numbers, money and dates, independent of the UI language.

Documents (PK, memoranda) are always Indonesian: "25 November 2026", "1.234.567,89", "Rp".
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def format_date_id(day: date | None) -> str:
    if day is None:
        return ""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def format_number(value, decimals: int | None = None) -> str:
    """1234567.891 -> "1.234.567,891"; trailing zeros dropped unless `decimals` is given."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{number:.{decimals}f}"
    else:
        text = format(number.normalize(), "f") if number == number.to_integral() else f"{number:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_rupiah(value) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    decimals = 0 if number == number.to_integral() else 2
    return f"Rp{format_number(number, decimals)}"


class NumberFormatError(ValueError):
    pass


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_ID_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_ID_DECIMAL = re.compile(r"^-?\d+,\d+$")


def parse_number(text) -> Decimal:
    """Read a number written the Indonesian way ("1.234,5", "85%", "Rp1.500.000") or plainly.

    A value with a single dot and exactly three digits after it ("1.234") is read as
    Indonesian thousands; "12.5" (not three digits) as a decimal point.
    """
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        return Decimal(str(text))
    raw = str(text or "").strip()
    cleaned = raw.replace("\u00a0", "").replace(" ", "")
    cleaned = re.sub(r"^(Rp\.?)", "", cleaned, flags=re.IGNORECASE).rstrip("%")
    if not cleaned:
        raise NumberFormatError(f"empty value: {raw!r}")
    if _ID_GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _ID_DECIMAL.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    elif not _PLAIN.match(cleaned):
        raise NumberFormatError(f"not a number: {raw!r}")
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise NumberFormatError(f"not a number: {raw!r}") from error
