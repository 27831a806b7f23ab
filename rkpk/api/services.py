"""Writes of the API app: creating, using and revoking API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.api.models import ApiToken
from rkpk.core import audit
from rkpk.organisation.backends import AccountBackend

TOKEN_PREFIX = "rkpk_"
# Characters of the secret shown in lists so that a user can tell their tokens apart.
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
MAX_TOKEN_DAYS = 3650
# Recording every use would make each read request a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)
AUDIT_FIELDS = ["user", "name", "prefix", "created_at", "expires_at", "revoked_at"]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once; never stored


@transaction.atomic
def create_token(
    *, actor, user, name: str, days: int | None = None, check_permission: bool = True
) -> NewToken:
    """Create a token for `user`. `actor` is None when an administrator uses the console."""
    if check_permission and not (actor == user and user.has_perm("api.manage_own_tokens")):
        raise PermissionDenied(_("You may not create API tokens."))
    if not user.is_active:
        raise ValidationError(_("The account is inactive."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name (what uses it).")})
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)s days.") % {"max": MAX_TOKEN_DAYS}}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    audit.record(
        actor=actor,
        action="api_token.created",
        obj=token,
        after=audit.snapshot(token, AUDIT_FIELDS),
    )
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; revoking a revoked token changes nothing and records nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = audit.snapshot(token, AUDIT_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="api_token.revoked",
        obj=token,
        before=before,
        after=audit.snapshot(token, AUDIT_FIELDS),
    )
    return token


def token_user_may_authenticate(user) -> bool:
    # The log-in rule, word for word: inactive users and (without DEBUG) demo accounts fail.
    return AccountBackend().user_can_authenticate(user)


def authenticate_token(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None; records when it was last used."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token_user_may_authenticate(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
