from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Password log-in; demo accounts are refused unless the server runs with DEBUG on.

    It answers no permission question: every permission is a rule (the apps' rules.py,
    asked through rules.permissions.ObjectPermissionBackend). Django's model permissions
    are never granted here (no admin site, no groups, no user permissions), yet ModelBackend
    would read them — two queries on every page that asks a rule. A superuser still gets
    every permission, from Django's own shortcut in `User.has_perm`, before any backend.
    """

    def user_can_authenticate(self, user) -> bool:
        demo_locked = settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG and not settings.DEBUG
        if demo_locked and getattr(user, "is_demo", False):
            return False
        return super().user_can_authenticate(user)

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False
