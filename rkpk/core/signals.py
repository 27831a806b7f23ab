"""Log-ins, log-outs and failed log-ins go into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from rkpk.core import audit


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit.record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs):
    # Only the user name: never the password that was tried.
    username = str((credentials or {}).get("username", ""))[:150]
    audit.record(
        actor=None,
        action="auth.login_failed",
        object_type="organisation.user",
        object_repr=username,
        after={"username": username},
    )
