"""The rules of the strategic goals, their ministry indicators and yearly targets: how a
code, a polarity, an aggregation, a unit of measure and a target are read and checked.
Every path that writes them (the editor, the API, the XLSX import) checks through these;
the writes themselves are in `rkpk.analysis.services`.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rkpk.analysis.models import MinistryIndicator, MinistryTarget
from rkpk.core.formatting import NumberFormatError, format_number, parse_number
from rkpk.organisation.models import Unit
from rkpk.plans import validation
from rkpk.plans.models import MeasureUnit, QualitativeValue

Polarity = MinistryIndicator.Polarity


def clean_code(code) -> str:
    code = " ".join(str(code or "").split())
    if not code:
        raise ValidationError({"code": _("Give a code.")})
    if len(code) > 20:
        raise ValidationError({"code": _("A code has at most 20 characters.")})
    return code


def clean_text(value, name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({name: message})
    return value


# --- Ministry indicators ---------------------------------------------------------------------

POLARITY_WORDS = {
    "higher": Polarity.HIGHER,
    "higher_is_better": Polarity.HIGHER,
    "lebih_tinggi_lebih_baik": Polarity.HIGHER,
    "makin_tinggi_makin_baik": Polarity.HIGHER,
    "semakin_tinggi_semakin_baik": Polarity.HIGHER,
    "maximize": Polarity.HIGHER,
    "maksimal": Polarity.HIGHER,
    "naik": Polarity.HIGHER,
    "lower": Polarity.LOWER,
    "lower_is_better": Polarity.LOWER,
    "lebih_rendah_lebih_baik": Polarity.LOWER,
    "makin_rendah_makin_baik": Polarity.LOWER,
    "semakin_rendah_semakin_baik": Polarity.LOWER,
    "minimize": Polarity.LOWER,
    "minimal": Polarity.LOWER,
    "turun": Polarity.LOWER,
    "range": Polarity.RANGE,
    "within_a_range": Polarity.RANGE,
    "rentang": Polarity.RANGE,
    "dalam_rentang": Polarity.RANGE,
    "qualitative": Polarity.QUALITATIVE,
    "kualitatif": Polarity.QUALITATIVE,
}
POLARITY_EXPORT = {
    Polarity.HIGHER: "lebih tinggi lebih baik",
    Polarity.LOWER: "lebih rendah lebih baik",
    Polarity.RANGE: "rentang",
    Polarity.QUALITATIVE: "kualitatif",
}


def parse_polarity(value) -> str | None:
    """The polarity a word stands for, in Indonesian or English ("lebih rendah lebih baik",
    "lower", "rentang", "qualitative" …); None when it is not known."""
    key = re.sub(r"[\s\-./,]+", "_", str(value or "").strip().lower()).strip("_")
    if key in Polarity.values:
        return key
    return POLARITY_WORDS.get(key)


def clean_aggregation(value) -> str:
    parsed = parse_aggregation(value or MinistryIndicator.Aggregation.SUM)
    if parsed is None:
        raise ValidationError({"aggregation": _("Unknown aggregation %(a)s.") % {"a": value}})
    return parsed


def clean_polarity(value) -> str:
    parsed = parse_polarity(value or Polarity.HIGHER)
    if parsed is None:
        raise ValidationError(
            {
                "polarity": _(
                    "Unknown polarity %(p)s; use higher, lower, range or qualitative "
                    "(lebih tinggi lebih baik, lebih rendah lebih baik, rentang, kualitatif)."
                )
                % {"p": value}
            }
        )
    return parsed


def clean_units(units) -> list[Unit] | None:
    """Units from Unit objects or ids; None leaves the responsible units as they are."""
    if units is None:
        return None
    ids = []
    for unit in units:
        pk = unit.pk if isinstance(unit, Unit) else unit
        try:
            ids.append(int(pk))
        except (TypeError, ValueError) as error:
            raise ValidationError(
                {"responsible_units": _("Not a unit: %(v)s") % {"v": unit}}
            ) from error
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise ValidationError(
            {"responsible_units": _("No unit has the id %(ids)s.") % {"ids": ", ".join(unknown)}}
        )
    return [found[pk] for pk in dict.fromkeys(ids)]


def clean_perspective(value) -> str:
    value = " ".join(str(value or "").split())
    if len(value) > 100:
        raise ValidationError({"perspective": _("A perspective has at most 100 characters.")})
    return value


def clean_measure(measure, current: str = "") -> str:
    """A satuan from the list of units of measure, as the list spells it (as a plan's
    indicators, see plans.lists.check_entry). The indicator's own value stays accepted
    unchanged, even if deactivated since."""
    measure = " ".join(str(measure or "").split())
    if not measure or measure == (current or ""):
        return measure
    if len(measure) > 60:
        raise ValidationError({"measure": _("A unit of measure has at most 60 characters.")})
    found = MeasureUnit.objects.filter(name__iexact=measure).values_list("name", "is_active")
    found = list(found)
    if not found:
        raise ValidationError(
            {
                "measure": _(
                    "“%(value)s” is not on the list of units of measure. Choose one from the "
                    "list, or ask the bureau to add it."
                )
                % {"value": measure}
            }
        )
    name, active = found[0]
    if not active and name != current:
        raise ValidationError(
            {
                "measure": _(
                    "“%(value)s” has been deactivated in the list of units of measure and "
                    "cannot be chosen for new entries; choose another value."
                )
                % {"value": name}
            }
        )
    return name


def check_year(indicator: MinistryIndicator, year: int) -> int:
    period = indicator.goal.period
    try:
        year = int(year)
    except (TypeError, ValueError) as error:
        raise ValidationError({"year": _("Write the year as four digits.")}) from error
    if not period.start_year <= year <= period.end_year:
        raise ValidationError(
            {
                "year": _("The year must lie in the period %(a)s–%(b)s.")
                % {"a": period.start_year, "b": period.end_year}
            }
        )
    return year


# "-1,0 s.d. 1,0", "-1,0 - 1,0", "80–90", "1.000 sampai 2.000"
RANGE_TEXT = re.compile(
    r"^\s*(-?\s*[\d.,]+)\s*%?\s*(?:–|—|-|s\.?\s*d\.?|s/d|sampai|hingga|to)\s*(-?\s*[\d.,]+)\s*%?\s*$",
    re.IGNORECASE,
)


def parse_range(text) -> tuple[Decimal, Decimal] | None:
    """(min, max) of a range written as text, Indonesian decimal commas allowed; None when
    the text is not a range. The ends are returned as written (min may exceed max)."""
    match = RANGE_TEXT.match(str(text or ""))
    if not match:
        return None
    try:
        return (
            parse_number(match.group(1).replace(" ", "")),
            parse_number(match.group(2).replace(" ", "")),
        )
    except NumberFormatError:
        return None


def qualitative_values() -> dict[str, str]:
    """The active qualitative target values, by their lower-cased spelling."""
    return {
        " ".join(v.split()).lower(): v
        for v in QualitativeValue.objects.filter(is_active=True).values_list("value", flat=True)
    }


@dataclass
class TargetSpec:
    """A year's target after checking: a number, a range, or a qualitative value."""

    value: Decimal | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    text: str = ""

    @property
    def kind(self) -> str:
        if self.text:
            return "qualitative"
        if self.min_value is not None or self.max_value is not None:
            return "range"
        return "number" if self.value is not None else "none"


def format_target(target) -> str:
    """A ministry target as people write it: "85", "-1 s.d. 1", "WTP"."""
    if target is None:
        return ""
    if target.text:
        return target.text
    if target.min_value is not None or target.max_value is not None:
        return f"{format_number(target.min_value)} s.d. {format_number(target.max_value)}"
    return "" if target.value is None else format_number(target.value)


def clean_target(
    *, polarity: str, value=None, min_value=None, max_value=None, text="", qualitative=None
) -> TargetSpec:
    """Check one target against the indicator's polarity; ValidationError names the field.

    A number suits "higher" and "lower"; a range (both ends, min ≤ max, negatives allowed)
    suits "range" (and "higher"/"lower"); a value from the qualitative list suits
    "qualitative" only."""
    number = number_or_none(value, "value")
    low = number_or_none(min_value, "min_value")
    high = number_or_none(max_value, "max_value")
    text = " ".join(str(text or "").split())
    if (low is None) != (high is None):
        raise ValidationError(
            {("max_value" if high is None else "min_value"): _("Give both ends of the range.")}
        )
    given = [v for v in (number, low, text) if v not in (None, "")]
    if len(given) > 1:
        raise ValidationError(
            {
                "value": _(
                    "Give either a number, a range (minimum and maximum) or a qualitative "
                    "value, not more than one."
                )
            }
        )
    if low is not None and low > high:
        raise ValidationError(
            {
                "max_value": _("The minimum %(a)s is above the maximum %(b)s.")
                % {"a": format_number(low), "b": format_number(high)}
            }
        )
    if text:
        if len(text) > 60:
            raise ValidationError({"text": _("A qualitative target has at most 60 characters.")})
        known = qualitative if qualitative is not None else qualitative_values()
        canonical = known.get(text.lower())
        if canonical is None:
            raise ValidationError(
                {
                    "text": _(
                        "%(v)s is not a number, a range or a value of the list of qualitative "
                        "target values; add it to the list first."
                    )
                    % {"v": text}
                }
            )
        text = canonical
    spec = TargetSpec(number, low, high, text)
    if spec.kind == "none":
        return spec
    if polarity == Polarity.QUALITATIVE and spec.kind != "qualitative":
        raise ValidationError(
            {"value": _("The indicator is qualitative: choose a value from the qualitative list.")}
        )
    if polarity != Polarity.QUALITATIVE and spec.kind == "qualitative":
        raise ValidationError(
            {
                "text": _(
                    "A qualitative target (%(v)s) needs a qualitative indicator: change the "
                    "polarity to qualitative."
                )
                % {"v": text}
            }
        )
    if polarity == Polarity.RANGE and spec.kind != "range":
        raise ValidationError(
            {"min_value": _("The indicator is judged within a range: give a minimum and maximum.")}
        )
    return spec


def split_target(raw) -> dict:
    """A target typed in one box ("85", "-1,0 s.d. 1,0", "WTP") as set_target's keywords."""
    raw = " ".join(str(raw or "").split())
    if not raw:
        return {}
    try:
        return {"value": parse_number(raw)}
    except NumberFormatError:
        pass
    bounds = parse_range(raw)
    if bounds is not None:
        return {"min_value": bounds[0], "max_value": bounds[1]}
    return {"text": raw}


def number_or_none(value, name: str) -> Decimal | None:
    """A number of a target (`name`: its MinistryTarget field), read by the one number
    reading of every path (rkpk.plans.validation.parse_decimal): the field's size checked
    before any rounding, so a 38-digit number is a field error, never a server error."""
    max_digits, places = validation.bounds(MinistryTarget, name)
    try:
        return validation.parse_decimal(value, max_digits=max_digits, decimal_places=places)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None


AGGREGATION_WORDS = {
    "sum": "sum",
    "jumlah": "sum",
    "total": "sum",
    "average": "average",
    "avg": "average",
    "rata_rata": "average",
    "rerata": "average",
    "weighted": "weighted",
    "weighted_average": "weighted",
    "rata_rata_tertimbang": "weighted",
    "tertimbang": "weighted",
    "min": "min",
    "minimum": "min",
    "terendah": "min",
    "max": "max",
    "maximum": "max",
    "maksimum": "max",
    "tertinggi": "max",
    "latest": "latest",
    "terakhir": "latest",
    "terbaru": "latest",
    "manual": "manual",
    "diisi_manual": "manual",
    "entered_by_hand": "manual",
}


def parse_aggregation(value) -> str | None:
    key = re.sub(r"[\s\-./]+", "_", str(value or "").strip().lower()).strip("_")
    if key in MinistryIndicator.Aggregation.values:
        return key
    return AGGREGATION_WORDS.get(key)
