from django.core.exceptions import PermissionDenied

from rkpk.api.schemas import ErrorOut

# The refusals every authenticated endpoint can answer with, for the OpenAPI schema.
REFUSALS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
NOT_FOUND = {404: ErrorOut}


def require(request, perm: str) -> None:
    """Refuse (403) unless the user holds `perm` (rkpk.organisation.rules and rkpk.api.rules)."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
