"""The expedition-book panel of the document page: `{% load dispatch_tags %}`.

{% expedition_panel document as panel %}   the lines the user may read and what they may do
{{ document|document_url }}                 the document page
"""

from django import template

from rkpk.correspondence import dispatch as dispatching
from rkpk.correspondence import purposes
from rkpk.correspondence.models import Recipient
from rkpk.organisation import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def expedition_panel(context, document) -> dict:
    """Everything the panel shows, in a fixed number of queries whatever the recipients."""
    user = context["request"].user
    # Computed here, never taken from the page's context: a unit's people see only their
    # own unit's lines.
    lines = list(dispatching.recipient_lines(user, document))
    may_dispatch = dispatching.may_dispatch(user)
    unit_ids = roles.unit_ids(user)
    rows = [
        {
            "line": line,
            "may_acknowledge": line.unit_id in unit_ids and line.acknowledged_at is None,
            "needs_courier": may_dispatch
            and line.method == Recipient.Method.COURIER
            and line.delivered_at is None,
        }
        for line in lines
    ]
    return {
        "rows": rows,
        "may_dispatch": may_dispatch and dispatching.can_be_dispatched(document),
        "may_export": user.has_perm("correspondence.export_expedition_book") and bool(rows),
        "delivered": sum(1 for r in rows if r["line"].delivered_at),
        "acknowledged": sum(1 for r in rows if r["line"].acknowledged_at),
        "may_confirm_binding": False,
        **purposes.of(document).panel(document, user),
    }


@register.filter
def document_url(document) -> str:
    return dispatching.document_url(document)
