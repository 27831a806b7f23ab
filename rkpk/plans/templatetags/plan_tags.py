"""Template filters of the plan pages: Indonesian numbers, targets, status badges."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from rkpk.core.formatting import format_date_id, format_number, format_rupiah
from rkpk.plans.snapshot import format_quarter, format_target

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "clarification": "text-bg-warning",
    "resubmitted": "text-bg-info",
    "awaiting_head": "text-bg-dark",
    "accepted": "text-bg-success",
    "returned": "text-bg-danger",
}


@register.filter
def number(value) -> str:
    """1234.5 -> "1.234,5"."""
    return format_number(value)


@register.filter
def rupiah(value) -> str:
    """1500000 -> "Rp1.500.000"."""
    return format_rupiah(value)


@register.filter
def date_id(value) -> str:
    """A date as "25 November 2026"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date_id(value)


@register.filter
def target(obj) -> str:
    """An indicator's target as people write it: "85%", "1.250", "80–90", "WTP"."""
    if obj is None:
        return ""
    return format_target(obj)


@register.filter
def quarters(ind) -> str:
    """An indicator's quarterly targets with their unit ("25% · 50% · 75% · 90%"), or ""."""
    values = [getattr(ind, f"q{n}", None) for n in range(1, 5)]
    if all(v is None for v in values):
        return ""
    return " · ".join(format_quarter(v, ind.target_kind, ind.measure) or "—" for v in values)


@register.filter
def percent_warnings(row) -> list[str]:
    """The warnings of a saved row (a percentage above 100), from the one validator."""
    from rkpk.plans.validation import percent_warnings as warnings

    return warnings(row)


@register.filter
def status_class(status) -> str:
    """The Bootstrap badge class of a plan status."""
    return STATUS_CLASSES.get(str(status), "text-bg-light")


# kind -> (the list a move redraws, what a delete removes, the label asking to confirm it)
_ROW_ACTIONS = {
    "goal": ("#goals-list", "closest .goal-block", "delete_goal"),
    "activity": ("#activities-list", "closest .activity-block", "delete_activity"),
    "indicator": ("#goal-{row.goal_id}-indicators", "closest .editor-row", "delete_indicator"),
    "output": ("#activity-{row.activity_id}-outputs", "closest .editor-row", "delete_output"),
}


def _csrf_input(context) -> str:
    """What `{% csrf_token %}` writes (the plan page replaces exactly this text)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def row_actions(context, kind: str, row) -> str:
    """An editor row's buttons: edit, move up/down, delete. A tag rather than an included
    template: the plan page draws them for every row, and each include costs far more.
    Needs `row_base` (the plan page's URL) and `labels` (views.common.row_labels)."""
    move_target, delete_target, question = _ROW_ACTIONS[kind]
    labels = context["labels"]
    url = f"{context['row_base']}{kind}/{row.pk}/"
    csrf = _csrf_input(context)
    return format_html(
        '<div class="d-inline-flex gap-1 justify-content-end row-actions text-nowrap">'
        '<a class="btn btn-sm btn-outline-primary" href="{url}edit/" hx-get="{url}edit/"'
        ' hx-target="closest .editor-row" hx-swap="outerHTML">{edit}</a>'
        '<form class="d-inline-flex gap-1" method="post" action="{url}move/"'
        ' hx-post="{url}move/" hx-target="{move_target}" hx-swap="innerHTML">{csrf}'
        '<button class="btn btn-sm btn-outline-secondary" type="submit" name="direction"'
        ' value="up" title="{up}" aria-label="{up}">↑</button>'
        '<button class="btn btn-sm btn-outline-secondary" type="submit" name="direction"'
        ' value="down" title="{down}" aria-label="{down}">↓</button></form>'
        '<form method="post" action="{url}delete/" hx-post="{url}delete/"'
        ' hx-target="{delete_target}" hx-swap="outerHTML" hx-confirm="{question}">{csrf}'
        '<input type="hidden" name="revision" value="{revision}">'
        '<button class="btn btn-sm btn-outline-danger" type="submit">{delete}</button></form>'
        "</div>",
        url=url,
        edit=labels["edit"],
        move_target=move_target.format(row=row),
        csrf=csrf,
        up=labels["move_up"],
        down=labels["move_down"],
        delete_target=delete_target,
        question=labels[question],
        revision=row.revision,
        delete=labels["delete"],
    )
