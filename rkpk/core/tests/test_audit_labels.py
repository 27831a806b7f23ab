"""Every audit action the code records has a human label (issue 13.10)."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rkpk.core import audit
from rkpk.core.audit_labels import action_label, known_codes
from rkpk.core.tests.raw_text import find_raw_text

SOURCE = Path(__file__).resolve().parents[2]


def _module_strings(tree: ast.Module, name: str) -> set[str]:
    """The string constants assigned to `name` anywhere in a module."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ):
            found.add(node.value.value)
    return found


def _patterns(node: ast.expr, tree: ast.Module) -> list[str]:
    """Regular expressions for the codes an `action=` argument can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [re.escape(node.value)]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                re.escape(part.value) if isinstance(part, ast.Constant) else "[a-z_]+"
                for part in node.values
            )
        ]
    if isinstance(node, ast.IfExp):
        return _patterns(node.body, tree) + _patterns(node.orelse, tree)
    if isinstance(node, ast.Name):
        return [re.escape(s) for s in _module_strings(tree, node.id)]
    return []


def recorded_actions() -> dict[str, str]:
    """Every `audit.record(action=…)` of the source, as pattern → file."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name != "record":
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    patterns = _patterns(keyword.value, tree)
                    assert patterns, f"{path}: an action the test cannot read"
                    for pattern in patterns:
                        found[pattern] = str(path.relative_to(SOURCE))
    return found


def test_every_recorded_action_has_a_label():
    codes = known_codes()
    actions = recorded_actions()
    assert len(actions) > 100
    missing = {
        pattern: path
        for pattern, path in actions.items()
        if not any(re.fullmatch(pattern, code) for code in codes)
    }
    assert not missing, f"audit actions without a label in an app's audit_labels.py: {missing}"


def test_actions_built_from_names_have_a_label_for_every_name():
    from rkpk.correspondence.models import Review
    from rkpk.ministry.models import ReviewComment
    from rkpk.plans import services as plan_services
    from rkpk.plans.models import Submission
    from rkpk.procedure.models import StepTransition

    codes = known_codes()
    expected = {
        f"plan.{model._meta.model_name}_{verb}"
        for model in plan_services.CONTENT
        for verb in ("added", "changed", "deleted", "moved")
    }
    expected |= {
        f"plan.{d}"
        for d in (
            Submission.Decision.ACCEPTED,
            Submission.Decision.RETURNED,
            Submission.Decision.CLARIFICATION,
        )
    }
    expected |= {f"cycle_step.{a}" for a in StepTransition.Action.values}
    expected |= {
        f"ministry_plan.{verb}_by_{stage}"
        for verb in ("approved", "returned")
        for stage in ReviewComment.Stage.values
    }
    expected |= {f"document.review_{d}" for d in Review.Decision.values}
    expected |= {f"{m}.{verb}" for m in ("unit", "official") for verb in ("created", "imported")}
    assert expected - codes == set()


def test_labels_are_translated_and_never_the_code():
    with translation.override("id"):
        label = action_label("plan.imported")
    assert label and label != "plan.imported"
    assert action_label("no.such_action") != "no.such_action"


@pytest.mark.django_db
def test_audit_pages_show_labels_and_keep_the_code_for_administrators(role_users, settings):
    settings.LANGUAGE_CODE = "id"
    admin = role_users["admin"]
    event = audit.record(actor=admin, action="cycle.started", object_type="procedure.cycle")
    client = Client()
    client.force_login(admin)
    with translation.override("id"):
        listing = client.get(reverse("core:audit")).content.decode()
        detail = client.get(reverse("core:audit_detail", args=[event.seq])).content.decode()
        label = action_label("cycle.started")
    for page in (listing, detail):
        assert label in page
        # The code is there for the administrator, marked as a code, not as text to read.
        assert 'translate="no">cycle.started<' in page
        assert not [f for f in find_raw_text(page) if "cycle.started" in f]
