from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Password log-in; demo accounts are refused unless the server runs with DEBUG on."""

    def user_can_authenticate(self, user) -> bool:
        demo_locked = settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG and not settings.DEBUG
        if demo_locked and getattr(user, "is_demo", False):
            return False
        return super().user_can_authenticate(user)
