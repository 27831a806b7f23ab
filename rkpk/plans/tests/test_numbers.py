"""Every number field of the plan forms reads through the one helper (issue 13.8): a huge
number, NaN, Infinity, "1e400" or a negative budget is a field error, never a server error;
quarterly targets are shown with their unit (issue 13)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from rkpk.plans.forms import ActivityForm, ActivityIndicatorForm, IndicatorForm
from rkpk.plans.models import Activity, Goal, Indicator, UnitPlan
from rkpk.plans.validation import parse_decimal

pytestmark = pytest.mark.django_db

HOSTILE = ["1" + "0" * 37, "NaN", "Infinity", "-Infinity", "1e400", "9" * 17, "1,00001"]


@pytest.fixture
def plan(units):
    plan = UnitPlan.objects.create(unit=units["a"], year=2027)
    Goal.objects.create(plan=plan, code="S1", text="Sasaran", position=1)
    Activity.objects.create(plan=plan, code="K1", name="Kegiatan", position=1)
    return plan


def number_fields(form) -> list[str]:
    return [n for n, f in form.fields.items() if getattr(f, "max_digits", None)]


@pytest.mark.parametrize("form_class", [IndicatorForm, ActivityForm, ActivityIndicatorForm])
@pytest.mark.parametrize("value", HOSTILE)
def test_every_number_field_refuses_hostile_numbers_as_a_field_error(plan, form_class, value):
    base = {
        "goal": plan.goals.get().pk,
        "activity": plan.activities.get().pk,
        "name": "Nama",
        "text": "Teks",
        "polarity": "higher",
        "indicator_type": "outcome",
        "target_kind": "number",
        "kind": "activity",
        "level": "strategic",
    }
    fields = number_fields(form_class(plan=plan))
    assert fields, form_class
    for name in fields:
        form = form_class({**base, name: value}, plan=plan)
        assert not form.is_valid()
        assert name in form.errors, (form_class.__name__, name, value, form.errors)


def test_a_negative_budget_and_the_bounds_of_each_field(plan):
    form = ActivityForm({"name": "K", "kind": "activity", "budget": "-5"}, plan=plan)
    assert not form.is_valid() and form.errors["budget"] == ["The number cannot be below 0."]
    # the bounds come from the model: budget 18 digits with 2 places, targets 20 with 4
    assert ActivityForm(
        {"name": "K", "kind": "activity", "budget": "9" * 16 + ",99"}, plan=plan
    ).is_valid()
    assert not ActivityForm(
        {"name": "K", "kind": "activity", "budget": "1" + "0" * 16}, plan=plan
    ).is_valid()


def test_parse_decimal_checks_the_size_before_rounding():
    assert parse_decimal("1.234,5") == Decimal("1234.5")
    assert parse_decimal(85.5) == Decimal("85.5")
    assert parse_decimal("") is None
    for value, code in [
        ("1" + "0" * 37, "too_large"),
        ("1" + "0" * 37 + ",00001", "too_long"),
        (float("nan"), "invalid"),
        (float("inf"), "invalid"),
        ("1e400", "invalid"),
        (Decimal("1e400"), "too_large"),
        (Decimal("1e-400"), "decimals"),
        (True, "invalid"),
    ]:
        with pytest.raises(ValidationError) as error:
            parse_decimal(value)
        assert error.value.code == code, value


def test_quarterly_targets_are_shown_with_their_unit(plan):
    goal = plan.goals.get()
    percent = Indicator(
        plan=plan, goal=goal, name="P", target_kind="percent", target_value=90,
        q1=25, q2=50, q3=75, q4=90, measure="Persen",
    )  # fmt: skip
    count = Indicator(
        plan=plan, goal=goal, name="N", target_kind="number", target_value=4,
        q1=1, q2=2, q4=4, measure="Laporan",
    )  # fmt: skip
    template = Template("{% load plan_tags %}{{ ind|quarters }}")
    assert template.render(Context({"ind": percent})) == "25% · 50% · 75% · 90%"
    assert template.render(Context({"ind": count})) == "1 Laporan · 2 Laporan · — · 4 Laporan"
