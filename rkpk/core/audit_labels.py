"""Human labels of audit actions.

The audit trail stores a stable code per action (`plan.imported`, `cycle.started`): it is
what filters, the API and `verify_audit` use, and it must not change with the language.
People read a label instead. Each app declares the labels of the actions it records in its
own `audit_labels.py` module, as `LABELS = {code: gettext_lazy(...)}`; this module collects
them on first use, so core knows no app's actions.
"""

from collections.abc import Mapping
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

MODULE = "audit_labels"

# Core's own actions (sign-in and the calendar, recorded by core's signals and services).
LABELS = {
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Failed sign-in"),
    "calendar.override_set": _("Calendar day set"),
    "calendar.override_removed": _("Calendar day reset"),
    "demo.seeded": _("Demo data loaded"),
}

_registry: dict[str, object] | None = None


def _collect() -> dict[str, object]:
    collected: dict[str, object] = dict(LABELS)
    for config in apps.get_app_configs():
        if config.name == __package__ or not config.name.startswith("rkpk."):
            continue
        if module_has_submodule(config.module, MODULE):
            module = import_module(f"{config.name}.{MODULE}")
            collected.update(getattr(module, "LABELS", {}))
    return collected


def registry() -> Mapping[str, object]:
    """Every known action code and its (lazy) label."""
    global _registry
    if _registry is None:
        _registry = _collect()
    return _registry


def known_codes() -> frozenset[str]:
    return frozenset(registry())


def action_label(code: str) -> str:
    """The label of an action in the current language.

    An action nobody labelled reads as a generic phrase, never as its code: the raw-text
    test (rkpk.core.tests.raw_text) and test_audit_labels catch the missing label.
    """
    label = registry().get(code)
    if label is None:
        return str(_("Other change"))
    return str(label)


def object_type_label(object_type: str) -> str:
    """The name of an audited object's model ("plans.unitplan" → "unit plan"), translated."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


# What rkpk.core.audit stores as the actor's name of an event without a person (jobs,
# commands); stored untranslated, since the chain hashes it.
SYSTEM_ACTOR = "system"


def actor_label(event) -> str:
    """Who acted, as people read it: the application itself reads "system", translated."""
    if event.actor_id is None and event.actor_name == SYSTEM_ACTOR:
        return str(_("system"))
    return event.actor_name
