"""What every app's views and services share when they run a simple action.

- `require(actor, perm, obj=None, message=...)`: a service's permission check; a refusal is
  a `PermissionDenied` carrying the message the user reads.
- `error_texts(error)` / `error_sentence(error)`: a refusal's messages, as a list or as one
  sentence.
- `flash_errors(request, error)`: a service's refusal (`ValidationError` or
  `PermissionDenied`) as error messages on the next page.
- `form_errors(form, error)`: a `ValidationError`'s field errors on the form's fields where
  the form has them, the rest as the form's own errors.
- `run_action(request, func, success, **kwargs)`: calls `func(actor=request.user, **kwargs)`;
  on success flashes `success` (text, or a callable given the result) and returns
  `(True, result)`; on refusal flashes the reasons and returns `(False, None)`. The view
  decides where to go next.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def require(actor, perm: str, obj=None, *, message: str = "") -> None:
    """Refuse unless `actor` holds the named rule `perm` (on `obj` when given)."""
    allowed = actor.has_perm(perm, obj) if obj is not None else actor.has_perm(perm)
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def error_texts(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error) or _("You may not do this.")]
    return list(error.messages)


def error_sentence(error: ValidationError | PermissionDenied) -> str:
    """A refusal as one message, e.g. for a redirect's flash or a JSON field."""
    return " ".join(error_texts(error))


def flash_errors(request, error: ValidationError | PermissionDenied) -> None:
    for text in error_texts(error):
        messages.error(request, text)


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def run_action(
    request, func: Callable[..., Any], success: str | Callable[[Any], str], **kwargs
) -> tuple[bool, Any]:
    try:
        result = func(actor=request.user, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return False, None
    messages.success(request, success(result) if callable(success) else success)
    return True, result
