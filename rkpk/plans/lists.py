"""The reference lists a plan refers to: units of measure (satuan), qualitative target values
and the bureau's return reasons.

Reads (`values`, `reference_counts`, `active_names`) and writes (`create_value`,
`rename_value`, `set_active`, `merge_values`, `move_value`, `add_unknown_values`) of the
three lists in one module. Every write runs in one transaction, is allowed to the bureau and
the admin only (`plans.manage_lists`; actor None is the system) and is audited with its
before and after.

Plans refer to measure units and qualitative values by their text (`Indicator.measure`,
`ActivityIndicator.measure`, `target_text`): a rename or a merge rewrites them in the plans
that can still be edited; submitted versions keep the snapshot they were submitted with.
Return reasons are referred to by their code (`Submission.reasons`), which never changes:
their texts can be renamed, and a merged reason is deactivated, not deleted.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.plans.models import (
    ActivityIndicator,
    Indicator,
    MeasureUnit,
    QualitativeValue,
    ReturnReason,
    Submission,
    TargetKind,
    UnitPlan,
)

MEASURES = "measure-units"
QUALITATIVE = "qualitative-values"
REASONS = "return-reasons"
MAX_LENGTH = 60
CONTROL_CHARACTERS = dict.fromkeys(range(32))


@dataclass(frozen=True)
class ListKind:
    slug: str
    model: type
    key: str  # the field plans refer to
    title: object
    singular: object
    help: object
    # (model, field) pairs of plan rows that hold the value as text
    references: tuple = field(default=())


KINDS = {
    MEASURES: ListKind(
        MEASURES,
        MeasureUnit,
        "name",
        gettext_lazy("Units of measure (satuan)"),
        gettext_lazy("unit of measure"),
        gettext_lazy("The units of measure an indicator may use."),
        ((Indicator, "measure"), (ActivityIndicator, "measure")),
    ),
    QUALITATIVE: ListKind(
        QUALITATIVE,
        QualitativeValue,
        "value",
        gettext_lazy("Qualitative target values"),
        gettext_lazy("qualitative target value"),
        gettext_lazy(
            "The values a qualitative target may take. The order is the scale: a value higher "
            "on the list is better than the values below it."
        ),
        ((Indicator, "target_text"), (ActivityIndicator, "target_text")),
    ),
    REASONS: ListKind(
        REASONS,
        ReturnReason,
        "code",
        gettext_lazy("Return reasons"),
        gettext_lazy("return reason"),
        gettext_lazy(
            "The reasons the bureau gives when it returns a plan or asks for clarification."
        ),
    ),
}


def kind_of(slug: str) -> ListKind:
    try:
        return KINDS[slug]
    except KeyError as error:
        raise ValueError(f"unknown list {slug!r}") from error


def label(obj) -> str:
    """The value as plans and people know it."""
    if isinstance(obj, ReturnReason):
        return f"{obj.code} — {obj.text_id}"
    return str(obj)


def _key(kind: ListKind, obj) -> str:
    return getattr(obj, kind.key)


def _snapshot(kind: ListKind, obj) -> dict:
    fields = [kind.key, "sort_order", "is_active"]
    if kind.model is ReturnReason:
        fields += ["text_id", "text_en"]
    return audit.snapshot(obj, fields)


def require_manager(actor) -> None:
    """The system (actor None) may; a user needs `plans.manage_lists`."""
    if actor is not None:
        require(
            actor,
            "plans.manage_lists",
            message=_("Only the bureau and the administrator may change the reference lists."),
        )


def _clean(text, field_name: str, *, max_length: int = MAX_LENGTH, required=True) -> str:
    value = " ".join(str(text or "").translate(CONTROL_CHARACTERS).split())
    if required and not value:
        raise ValidationError({field_name: _("This value is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field_name: _("At most %(limit)s characters; this has %(n)s.")
                % {"limit": max_length, "n": len(value)}
            }
        )
    return value


def _refuse_duplicate(kind: ListKind, value: str, field_name: str, exclude=None) -> None:
    existing = kind.model.objects.filter(**{f"{kind.key}__iexact": value})
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    other = existing.first()
    if other is not None:
        state = "" if other.is_active else " " + _("(deactivated: reactivate it instead)")
        raise ValidationError(
            {
                field_name: _("“%(value)s” is already on the list%(state)s.")
                % {"value": _key(kind, other), "state": state}
            }
        )


# --- Reads --------------------------------------------------------------------------------


def values(slug: str, *, query: str = "", status: str = "") -> QuerySet:
    """The list's values in list order, optionally searched and filtered (active/inactive)."""
    kind = kind_of(slug)
    found = kind.model.objects.all()
    if query:
        condition = Q(**{f"{kind.key}__icontains": query})
        if kind.model is ReturnReason:
            condition |= Q(text_id__icontains=query) | Q(text_en__icontains=query)
        found = found.filter(condition)
    if status == "active":
        found = found.filter(is_active=True)
    elif status == "inactive":
        found = found.filter(is_active=False)
    return found.order_by("sort_order", kind.key)


def kind_counts() -> list[dict]:
    """Each list with how many of its values are active and inactive."""
    return [
        {
            "kind": kind,
            "active": kind.model.objects.filter(is_active=True).count(),
            "inactive": kind.model.objects.filter(is_active=False).count(),
        }
        for kind in KINDS.values()
    ]


def active_names(slug: str) -> list[str]:
    """The values offered in drop-downs (editor, workbook), in list order."""
    kind = kind_of(slug)
    return list(
        kind.model.objects.filter(is_active=True)
        .order_by("sort_order", kind.key)
        .values_list(kind.key, flat=True)
    )


def reference_counts(slug: str, value: str) -> dict:
    """How many plan rows use the value: in plans still editable, and in all plans."""
    kind = kind_of(slug)
    if kind.model is ReturnReason:
        # Portable across databases (SQLite has no JSON containment): read the codes.
        used = sum(
            value in (codes or [])
            for codes in Submission.objects.exclude(reasons=[]).values_list("reasons", flat=True)
        )
        return {"editable": 0, "all": used}
    editable = total = 0
    for model, name in kind.references:
        rows = model.objects.filter(**{name: value})
        plan = "plan" if model is Indicator else "activity__plan"
        total += rows.count()
        editable += rows.filter(**{f"{plan}__status__in": UnitPlan.EDITABLE}).count()
    return {"editable": editable, "all": total}


# --- Writes -------------------------------------------------------------------------------


@transaction.atomic
def create_value(
    *, actor, slug: str, value: str, text_id: str = "", text_en: str = "", audit_note: str = ""
):
    """Add a value at the end of the list (a return reason: its code and texts)."""
    require_manager(actor)
    kind = kind_of(slug)
    value = _clean(value, "value", max_length=30 if kind.model is ReturnReason else MAX_LENGTH)
    extra = {}
    if kind.model is ReturnReason:
        value = value.upper().replace(" ", "_")
        extra = {
            "text_id": _clean(text_id, "text_id", max_length=300),
            "text_en": _clean(text_en or text_id, "text_en", max_length=300),
        }
    _refuse_duplicate(kind, value, "value")
    last = kind.model.objects.order_by("-sort_order").values_list("sort_order", flat=True).first()
    obj = kind.model.objects.create(
        **{kind.key: value}, sort_order=min((last or 0) + 1, 32767), **extra
    )
    after = _snapshot(kind, obj)
    if audit_note:
        after["note"] = audit_note
    audit.record(actor=actor, action="plans.list_value_added", obj=obj, after=after)
    return obj


# The ministry's strategic-goal model refers to the same lists (its satuan and qualitative
# targets): a rename or merge follows there too. Read lazily: analysis depends on plans.
MINISTRY_REFERENCES = {
    MEASURES: (("analysis", "MinistryIndicator", "measure"),),
    QUALITATIVE: (("analysis", "MinistryTarget", "text"),),
}


def _rewrite(kind: ListKind, old: str, new: str) -> int:
    """Replace the value in the rows of editable plans; their revision moves on (an editor
    open on the old text then gets a conflict instead of writing it back). The ministry's
    indicators and targets follow as well."""
    changed = 0
    for app_label, model_name, name in MINISTRY_REFERENCES.get(kind.slug, ()):
        model = apps.get_model(app_label, model_name)
        changed += model.objects.filter(**{name: old}).update(**{name: new})
    for model, name in kind.references:
        plan = "plan" if model is Indicator else "activity__plan"
        rows = model.objects.filter(**{name: old, f"{plan}__status__in": UnitPlan.EDITABLE})
        if name == "target_text":
            rows = rows.filter(target_kind=TargetKind.QUALITATIVE)
        changed += rows.update(**{name: new}, revision=F("revision") + 1)
    return changed


@transaction.atomic
def rename_value(*, actor, slug: str, obj, value: str = "", text_id: str = "", text_en: str = ""):
    """Rename a value and the plans still editable that use it. A return reason keeps its
    code (decisions refer to it) and changes its texts."""
    require_manager(actor)
    kind = kind_of(slug)
    obj = kind.model.objects.select_for_update().get(pk=obj.pk)
    before = _snapshot(kind, obj)
    rewritten = 0
    if kind.model is ReturnReason:
        obj.text_id = _clean(text_id, "text_id", max_length=300)
        obj.text_en = _clean(text_en, "text_en", max_length=300)
        obj.save(update_fields=["text_id", "text_en"])
    else:
        value = _clean(value, "value")
        old = _key(kind, obj)
        if value == old:
            return obj
        _refuse_duplicate(kind, value, "value", exclude=obj)
        setattr(obj, kind.key, value)
        obj.save(update_fields=[kind.key])
        rewritten = _rewrite(kind, old, value)
    after = _snapshot(kind, obj) | {"rewritten_rows": rewritten}
    audit.record(
        actor=actor, action="plans.list_value_renamed", obj=obj, before=before, after=after
    )
    return obj


@transaction.atomic
def set_active(*, actor, slug: str, obj, active: bool):
    """Deactivate (no longer offered, refused in new entries; plans keep it) or reactivate."""
    require_manager(actor)
    kind = kind_of(slug)
    obj = kind.model.objects.select_for_update().get(pk=obj.pk)
    if obj.is_active == bool(active):
        return obj
    before = _snapshot(kind, obj)
    obj.is_active = bool(active)
    obj.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="plans.list_value_reactivated" if active else "plans.list_value_deactivated",
        obj=obj,
        before=before,
        after=_snapshot(kind, obj),
    )
    return obj


@transaction.atomic
def merge_values(*, actor, slug: str, source, target) -> dict:
    """Merge `source` into `target`: plans still editable that use the source now use the
    target. The source is deleted when nothing refers to it any more, else deactivated (a
    submitted plan, or a decision's reason code, still names it). Returns what was done."""
    require_manager(actor)
    kind = kind_of(slug)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another value to merge into.")})
    locked = {
        o.pk: o
        for o in kind.model.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    source, target = locked[source.pk], locked[target.pk]
    if not target.is_active:
        raise ValidationError(
            {
                "target": _("“%(value)s” is deactivated; reactivate it first.")
                % {"value": label(target)}
            }
        )
    before = {"source": _snapshot(kind, source), "target": _snapshot(kind, target)}
    old, new = _key(kind, source), _key(kind, target)
    rewritten = _rewrite(kind, old, new) if kind.references else 0
    remaining = reference_counts(slug, old)["all"]
    deleted = remaining == 0 and kind.model is not ReturnReason
    if deleted:
        source.delete()
    elif source.is_active:
        source.is_active = False
        source.save(update_fields=["is_active"])
    outcome = {
        "source": old,
        "target": new,
        "rewritten_rows": rewritten,
        "source_deleted": deleted,
        "still_referenced": remaining,
    }
    audit.record(
        actor=actor,
        action="plans.list_value_merged",
        obj=target,
        before=before,
        after=outcome,
    )
    return outcome


@transaction.atomic
def move_value(*, actor, slug: str, obj, direction: str):
    """Move a value one place up or down the list (for qualitative values: the scale)."""
    require_manager(actor)
    kind = kind_of(slug)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move up or down.")})
    ordered = list(kind.model.objects.select_for_update().order_by("sort_order", kind.key))
    index = next((i for i, o in enumerate(ordered) if o.pk == obj.pk), None)
    if index is None:
        raise ValidationError(_("The value no longer exists."))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return ordered[index]
    before = [_key(kind, o) for o in ordered]
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.sort_order != position:
            item.sort_order = position
            item.save(update_fields=["sort_order"])
    audit.record(
        actor=actor,
        action="plans.list_value_moved",
        obj=ordered[other],
        before={"order": before},
        after={"order": [_key(kind, o) for o in ordered]},
    )
    return ordered[other]


@transaction.atomic
def add_unknown_values(*, actor, entries, source: str = "") -> list:
    """Add values an import did not find, e.g. from a workbook's import report.

    `entries` are (slug, value) pairs of measure units or qualitative values; values already
    on the list are skipped. Returns the created values.
    """
    require_manager(actor)
    created, seen = [], set()
    for slug, value in entries:
        if slug not in (MEASURES, QUALITATIVE):
            raise ValidationError({"values": _("Only units of measure and qualitative values.")})
        kind = kind_of(slug)
        value = _clean(value, "values")
        if (slug, value.lower()) in seen:
            continue
        seen.add((slug, value.lower()))
        if kind.model.objects.filter(**{f"{kind.key}__iexact": value}).exists():
            continue
        note = (
            _("added from the import report of %(source)s") % {"source": source} if source else ""
        )
        created.append(create_value(actor=actor, slug=slug, value=value, audit_note=note))
    return created


# --- Checks for new entries (editor, API, workbook) ---------------------------------------


def check_entry(values: dict, current=None) -> None:
    """Refuse a measure or qualitative target that is not an active list value, unless the
    row already holds it (existing plans keep deactivated values). Raises ValidationError
    naming the field. The rule is the one validator's (rkpk.plans.validation)."""
    from rkpk.plans.validation import row_errors

    keep = [getattr(current, "measure", ""), getattr(current, "target_text", "")]
    checked = {k: values[k] for k in ("measure", "target_kind", "target_text") if k in values}
    if "target_kind" not in checked and current is not None:
        checked["target_kind"] = current.target_kind
    errors = row_errors(Indicator, checked, keep=[k for k in keep if k])
    errors = {k: v for k, v in errors.items() if k in ("measure", "target_text")}
    if errors:
        raise ValidationError(errors)


# --- Values an import did not find ------------------------------------------------------------


def _norm(text) -> str:
    return " ".join(str(text or "").replace("*", " ").split()).lower()


def _row_ranges(rows: list[int]) -> str:
    """[2, 3, 4, 7] -> "2–4, 7"."""
    parts, start, previous = [], None, None
    for row in sorted(set(rows)):
        if start is None:
            start = previous = row
        elif row == previous + 1:
            previous = row
        else:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
            start = previous = row
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


class UnknownValues:
    """Collects, during a workbook import, the units of measure and qualitative values that are
    not on their list (or deactivated): each value once, with every cell that uses it.

    `keep` are values the plan already holds: a deactivated one among them stays accepted.
    """

    def __init__(self, keep=()):
        from rkpk.plans.validation import ReferenceLists

        # The same reading of the lists as the one validator of plan rows.
        self.lists = ReferenceLists()
        self.known: dict[str, dict[str, tuple[str, bool]]] = self.lists.known
        self.keep = {_norm(v) for v in keep if v}
        self.groups: dict[tuple[str, str], dict] = {}

    def names(self, slug: str, *, active_only: bool = False) -> dict[str, str]:
        """norm -> value, as the import's own lookups expect."""
        return {
            key: name
            for key, (name, active) in self.known[slug].items()
            if active or not active_only
        }

    def check(self, slug: str, text: str) -> tuple[str | None, str]:
        """(the value as the list spells it, or None; "" | "unknown" | "inactive")."""
        return self.lists.resolve(slug, text, self.keep)

    def add(self, slug, value, problem, *, sheet, row, column, header) -> None:
        value = " ".join(str(value).split())[:MAX_LENGTH]
        key = (slug, _norm(value))
        group = self.groups.setdefault(
            key,
            {
                "list": slug,
                "value": value,
                "inactive": problem == "inactive",
                "cells": [],
            },
        )
        group["cells"].append({"sheet": sheet, "row": row, "column": column, "header": header})

    def result(self) -> list[dict]:
        """The groups, in the order met, each with a count and a "where" text."""
        out = []
        for group in self.groups.values():
            by_place: dict[tuple[str, str, str], list[int]] = {}
            for cell in group["cells"]:
                place = (cell["sheet"], cell["column"], cell["header"])
                by_place.setdefault(place, []).append(cell["row"])
            where = "; ".join(
                _("%(sheet)s column %(column)s (%(header)s) rows %(rows)s")
                % {"sheet": sheet, "column": column, "header": header, "rows": _row_ranges(rows)}
                for (sheet, column, header), rows in by_place.items()
            )
            out.append({**group, "count": len(group["cells"]), "where": where})
        return out

    def messages(self) -> list[tuple[dict, str]]:
        """(group, message) for each value: one problem per value, not one per row."""
        out = []
        for group in self.result():
            kind = KINDS[group["list"]]
            params = {
                "value": group["value"],
                "list": str(kind.title).lower(),
                "n": group["count"],
                "where": group["where"],
            }
            from rkpk.plans.validation import list_message

            # The one validator's refusal of the value, then where the workbook uses it.
            refusal = list_message(
                group["list"], group["value"], "inactive" if group["inactive"] else "unknown"
            )
            where = _("Used %(n)s times: %(where)s.") % params
            out.append((group, f"{refusal} {where}"))
        return out


def values_held_by(plan) -> set[str]:
    """The measures and qualitative targets a plan's rows hold now (kept even if deactivated)."""
    held = set()
    for model, plan_path in ((Indicator, "plan"), (ActivityIndicator, "activity__plan")):
        for measure, text in model.objects.filter(**{plan_path: plan}).values_list(
            "measure", "target_text"
        ):
            held.update(v for v in (measure, text) if v)
    return held
