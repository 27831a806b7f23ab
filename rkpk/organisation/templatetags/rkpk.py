from django import template

from rkpk.organisation.models import Role

register = template.Library()


@register.filter
def role_labels(codes) -> str:
    """Role codes as their display names: ["staff", "deputy"] -> "Staff…, Deputy"."""
    labels = []
    for code in codes or []:
        try:
            labels.append(str(Role(code).label))
        except ValueError:
            labels.append(str(code))
    return ", ".join(labels)


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` — a dict's value in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
