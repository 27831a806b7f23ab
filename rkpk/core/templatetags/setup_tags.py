"""How many required set-up items are left, for the administrator's home page.

Not in the navigation: reading the checklist costs a dozen queries, which every page would
pay. The home page shows the banner and links the checklist."""

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
