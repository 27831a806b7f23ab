"""The one judge of a plan row, whichever way it arrives: the editor's forms, the workbook
import, the API and the copy of last year's plan all ask `row_errors` (through the services
that write rows, or, for the workbook, row by row before anything is written), so the same
row is refused by every path with the same message on the same field.

`parse_decimal` is the one reading of a number typed or sent (bounds from the model field's
max_digits/decimal_places, checked before any rounding); `target_kind` the one reading of
a target's kind as filled in (`percent_kind`, `range_text`); `row_warnings` names what is
allowed but probably a mistake (a percentage above 100).
"""

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from rkpk.core.formatting import NumberFormatError, format_number, parse_number
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    MeasureUnit,
    QualitativeValue,
    TargetKind,
)

MAX_NUMBER_TEXT = 40
PERCENT_LIMIT = Decimal(1000)  # refused above this
PERCENT_WARNING = Decimal(100)  # allowed, but shown as a warning above this
TARGET_PARTS = ("target_value", "target_min", "target_max", "target_text")
# Which target parts each kind uses; the others are cleared.
KIND_PARTS = {
    TargetKind.NUMBER: ("target_value",),
    TargetKind.PERCENT: ("target_value",),
    TargetKind.RANGE: ("target_min", "target_max"),
    TargetKind.QUALITATIVE: ("target_text",),
}
# The text a row cannot be without (the field that holds it).
REQUIRED_TEXT = {Goal: "text", Indicator: "name", Activity: "name", ActivityIndicator: "name"}
# Fields never below zero.
NOT_NEGATIVE = {"budget"}
MEASURES, QUALITATIVE = "measure-units", "qualitative-values"


# --- Numbers --------------------------------------------------------------------------------


def bounds(model, name: str) -> tuple[int, int]:
    """(max_digits, decimal_places) of a model's DecimalField."""
    field = model._meta.get_field(name)
    return field.max_digits, field.decimal_places


def parse_decimal(
    value, *, max_digits: int = 20, decimal_places: int = 4, min_value=None
) -> Decimal | None:
    """A number as people and programs send it: Indonesian text ("1.234,5", "85%",
    "Rp1.500.000"), a JSON/Excel number or a Decimal. None for an empty value.

    The size is checked on the number as given, before any quantize (a 38-digit number
    would make the rounding itself fail). More decimal places than the field keeps are
    refused, not rounded silently. Raises ValidationError with a code.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Yes/no is not a number."), code="invalid")
    if isinstance(value, date | time):  # a spreadsheet's date cell (datetime is a date)
        raise ValidationError(_("A date is not a number; type the number itself."), code="invalid")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError(_("Enter a finite number."), code="invalid")
        value = Decimal(repr(value))
    if isinstance(value, str) and len(value.strip()) > MAX_NUMBER_TEXT:
        raise ValidationError(_("This number is too long."), code="too_long")
    try:
        number = parse_number(value) if not isinstance(value, Decimal) else value
    except (NumberFormatError, InvalidOperation, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a number. Write numbers like 1.234,5 or 85%%."),
            code="invalid",
            params={"value": str(value)[:60]},
        ) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a finite number."), code="invalid")
    if number and number.adjusted() >= max_digits - decimal_places:
        raise ValidationError(_("This number is too large."), code="too_large")
    if number.as_tuple().exponent < -decimal_places:
        # Only now is quantize safe: the size check keeps it within the decimal context.
        quantized = number.quantize(Decimal(1).scaleb(-decimal_places))
        if quantized != number:
            raise ValidationError(
                _("Use at most %(n)s decimal places."),
                code="decimals",
                params={"n": decimal_places},
            )
        number = quantized
    if min_value is not None and number < min_value:
        raise ValidationError(
            _("The number cannot be below %(min)s."),
            code="min_value",
            params={"min": format_number(min_value)},
        )
    return number


def decimal_field_value(model, name: str, value) -> Decimal | None:
    """`parse_decimal` with the bounds of `model.name`."""
    max_digits, places = bounds(model, name)
    minimum = Decimal(0) if name in NOT_NEGATIVE else None
    return parse_decimal(value, max_digits=max_digits, decimal_places=places, min_value=minimum)


def _message(error: ValidationError) -> str:
    return error.messages[0]


# --- Reference lists ------------------------------------------------------------------------


def norm(text) -> str:
    """How list values are matched: case, repeated spaces and a trailing "*" do not count."""
    return " ".join(str(text or "").replace("*", " ").split()).lower()


class ReferenceLists:
    """The satuan and qualitative values, read once: norm -> (spelling, active)."""

    def __init__(self, known: dict | None = None):
        if known is None:
            known = {
                MEASURES: {
                    norm(n): (n, a) for n, a in MeasureUnit.objects.values_list("name", "is_active")
                },
                QUALITATIVE: {
                    norm(v): (v, a)
                    for v, a in QualitativeValue.objects.values_list("value", "is_active")
                },
            }
        self.known = known

    def resolve(self, slug: str, text: str, kept=frozenset()) -> tuple[str | None, str]:
        """(the value as the list spells it, or None; "" | "unknown" | "inactive").

        A deactivated value stays accepted where the plan already holds it (`kept`: those
        values, each passed through `norm`)."""
        found = self.known[slug].get(norm(text))
        if found is None:
            return None, "unknown"
        name, active = found
        if not active and norm(name) not in kept:
            return name, "inactive"
        return name, ""


def list_title(slug: str) -> str:
    from rkpk.plans.lists import KINDS

    return str(KINDS[slug].title).lower()


def list_message(slug: str, value: str, problem: str) -> str:
    """The refusal of a value not on its list (`problem` "unknown") or deactivated."""
    params = {"value": value, "list": list_title(slug)}
    if problem == "inactive":
        return (
            _(
                "“%(value)s” has been deactivated in the list of %(list)s and cannot be chosen "
                "for new entries; choose another value."
            )
            % params
        )
    return (
        _(
            "“%(value)s” is not on the list of %(list)s. Choose one from the list, or ask the "
            "bureau to add it."
        )
        % params
    )


# --- Rows -----------------------------------------------------------------------------------


def required_message() -> str:
    return _("This value is required.")


def range_message() -> str:
    return _("The end of the range must not be below its start.")


def percent_message() -> str:
    return _("A percentage lies between 0 and 1000.")


def clean_row(model, values: dict, *, plan=None, keep=(), lists: ReferenceLists | None = None):
    """The values of a goal, indicator, activity or activity indicator, judged.

    `values` hold the fields to write (the whole row for a check of a complete row). Returns
    them cleaned: numbers as Decimal, list values as the list spells them, target parts the
    kind does not use cleared. Raises ValidationError({field: message}) naming every field
    that is wrong. `keep`: values the plan holds now (kept even when deactivated).
    """
    cleaned, errors = _judge(model, values, plan=plan, keep=keep, lists=lists)
    if errors:
        raise ValidationError(errors)
    return cleaned


def row_errors(model, values: dict, *, plan=None, keep=(), lists=None) -> dict[str, str]:
    """Field -> message for everything wrong in the row (empty when it may be written)."""
    return _judge(model, values, plan=plan, keep=keep, lists=lists)[1]


def percent_kind(kind, value):
    """The kind of a target as typed: "85%" under the kind number is a percentage (every
    path: the editor's form, the workbook, the API). Otherwise the kind as given."""
    if (kind or TargetKind.NUMBER) == TargetKind.NUMBER and str(value or "").strip().endswith("%"):
        return TargetKind.PERCENT
    return kind


# A range typed in one cell: "10–20", "10 - 20", "10 s.d. 20", "10 sampai 20" (a % allowed).
RANGE_TEXT = re.compile(r"^\s*(-?[\d.,]+)\s*(?:–|—|-|s\.?d\.?|sampai)\s*(-?[\d.,]+)\s*%?\s*$", re.I)


def range_text(value) -> tuple[str, str] | None:
    """The two ends of a range typed as text in one cell, or None."""
    match = RANGE_TEXT.match(value) if isinstance(value, str) else None
    return (match.group(1), match.group(2)) if match else None


def target_kind(kind, *, value="", low=None, high=None, text="", qualitative=()) -> str:
    """The kind of a target as filled in. Without a kind it follows from the parts filled in:
    a qualitative text (or a value on the qualitative list, `qualitative`: their `norm`) is
    qualitative, bounds or a range in one cell (`range_text`) a range, "85%" a percentage,
    anything else a number. Then `percent_kind`: "85%" under the kind number is a percentage.
    """
    if not kind:
        if text:
            kind = TargetKind.QUALITATIVE
        elif low is not None or high is not None or range_text(value):
            kind = TargetKind.RANGE
        elif isinstance(value, str) and norm(value) in qualitative:
            kind = TargetKind.QUALITATIVE
        elif str(value).strip().endswith("%"):
            kind = TargetKind.PERCENT
        else:
            kind = TargetKind.NUMBER
    return percent_kind(kind, value)


def _judge(model, values: dict, *, plan, keep, lists) -> tuple[dict, dict[str, str]]:
    cleaned = dict(values)
    if model in (Indicator, ActivityIndicator) and "target_value" in values:
        kind = percent_kind(values.get("target_kind"), values["target_value"])
        if kind != values.get("target_kind"):
            cleaned["target_kind"] = kind
    errors: dict[str, str] = {}
    fields = {f.name: f for f in model._meta.get_fields() if isinstance(f, models.Field)}
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            continue
        if isinstance(field, models.DecimalField):
            try:
                cleaned[name] = decimal_field_value(model, name, value)
            except ValidationError as error:
                errors[name] = _message(error)
            continue
        if isinstance(value, str):
            if field.choices and value not in {str(k) for k, _label in field.flatchoices}:
                if value or not field.blank:
                    errors[name] = _("“%(value)s” is not one of the choices: %(allowed)s.") % {
                        "value": value[:60],
                        "allowed": ", ".join(str(k) for k, _label in field.flatchoices if k),
                    }
                continue
            limit = getattr(field, "max_length", None)
            if limit and len(value) > limit:
                errors[name] = _("At most %(limit)s characters; this has %(n)s.") % {
                    "limit": limit,
                    "n": len(value),
                }
    required = REQUIRED_TEXT.get(model)
    if required and required in values and not str(values.get(required) or "").strip():
        errors[required] = required_message()
    if model is Activity and "budget" in cleaned and cleaned["budget"] is None:
        cleaned["budget"] = Decimal(0)
    if (
        model is Indicator
        and plan is not None
        and values.get("goal") is not None
        and values["goal"].plan_id != plan.pk
    ):
        errors["goal"] = _("The goal belongs to another plan.")
    if model in (Indicator, ActivityIndicator):
        lists = lists or _lazy_lists()
        kept = {norm(k) for k in keep if k}
        _judge_measure(cleaned, errors, kept, lists)
        _judge_target(cleaned, errors, kept, lists)
    return cleaned, errors


class _lazy_lists(ReferenceLists):
    """Reads the lists only when a row names a value."""

    def __init__(self):
        self._known = None

    @property
    def known(self):
        if self._known is None:
            self._known = ReferenceLists().known
        return self._known


def _judge_measure(cleaned, errors, keep, lists) -> None:
    measure = " ".join(str(cleaned.get("measure") or "").split())
    if "measure" not in cleaned or "measure" in errors:
        return
    if not measure:
        cleaned["measure"] = ""
        return
    found, problem = lists.resolve(MEASURES, measure, keep)
    if problem:
        errors["measure"] = list_message(MEASURES, found or measure, problem)
    else:
        cleaned["measure"] = found


def _judge_target(cleaned, errors, keep, lists) -> None:
    if "target_kind" not in cleaned and not any(p in cleaned for p in TARGET_PARTS):
        return
    kind = cleaned.get("target_kind") or TargetKind.NUMBER
    if "target_kind" in errors:
        return
    used = KIND_PARTS.get(kind, ())
    for part in TARGET_PARTS:
        if part not in used and part in cleaned:
            errors.pop(part, None)  # a part the kind does not use is cleared, not judged
            cleaned[part] = "" if part == "target_text" else None
    if kind == TargetKind.PERCENT:
        value = cleaned.get("target_value")
        if "target_value" not in errors and value is not None and not 0 <= value <= PERCENT_LIMIT:
            errors["target_value"] = percent_message()
    elif kind == TargetKind.RANGE:
        low, high = cleaned.get("target_min"), cleaned.get("target_max")
        failed = "target_min" in errors or "target_max" in errors
        if not failed and low is not None and high is not None and low > high:
            errors["target_max"] = range_message()
    elif kind == TargetKind.QUALITATIVE:
        text = " ".join(str(cleaned.get("target_text") or "").split())
        if text and "target_text" not in errors:
            found, problem = lists.resolve(QUALITATIVE, text, keep)
            if problem:
                errors["target_text"] = list_message(QUALITATIVE, found or text, problem)
            else:
                cleaned["target_text"] = found


def unused_message(kind) -> str:
    return _("A target of kind %(kind)s does not use this value; it was cleared.") % {
        "kind": TargetKind(kind).label
    }


def row_warnings(model, values: dict) -> dict[str, str]:
    """Field -> what is allowed but worth a second look: a target part the kind does not use
    (cleared by `clean_row`), a percentage above 100."""
    warnings = {}
    if model not in (Indicator, ActivityIndicator):
        return warnings
    kind = values.get("target_kind")
    if "target_value" in values:
        kind = percent_kind(kind, values["target_value"])
    if kind in KIND_PARTS:
        for part in TARGET_PARTS:
            value = values.get(part)
            filled = value is not None and not (isinstance(value, str) and not value.strip())
            if part not in KIND_PARTS[kind] and filled:
                warnings[part] = unused_message(kind)
    if kind != TargetKind.PERCENT:
        return warnings
    for name in ("target_value", "q1", "q2", "q3", "q4"):
        value = values.get(name)
        if isinstance(value, str):
            try:
                value = parse_decimal(value, max_digits=30, decimal_places=10)
            except ValidationError:
                continue
        if isinstance(value, Decimal | int | float) and value > PERCENT_WARNING:
            warnings[name] = _("%(value)s%% is above 100%%: check that the target is meant so.") % {
                "value": format_number(value)
            }
    return warnings


def percent_warnings(row) -> list[str]:
    """The warnings of a saved indicator or activity indicator (for the row's display)."""
    names = ["target_kind", "target_value", "q1", "q2", "q3", "q4"]
    values = {n: getattr(row, n, None) for n in names}
    return list(dict.fromkeys(row_warnings(type(row), values).values()))
