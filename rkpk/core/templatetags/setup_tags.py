"""The navigation's link to the set-up checklist, shown to the administrator while anything
required is left to do: `{% load setup_tags %}{% setup_nav_link %}`."""

from django import template

register = template.Library()


def setup_pending(user) -> int:
    """Required set-up items left to do (0 for anyone who may not see the checklist); read
    once per request."""
    if user is None or not user.is_authenticated or not user.has_perm("organisation.manage"):
        return 0
    cached = getattr(user, "_rkpk_setup_pending", None)
    if cached is None:
        from rkpk.core import setup

        cached = setup.pending()
        user._rkpk_setup_pending = cached
    return cached


@register.inclusion_tag("core/_setup_nav_link.html", takes_context=True)
def setup_nav_link(context) -> dict:
    return {"pending": setup_pending(context.get("user"))}
