from django.shortcuts import get_object_or_404
from ninja import Router, Status

from rkpk.api import selectors, services
from rkpk.api.auth import session_auth
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import NewTokenOut, TokenIn, TokenOut

router = Router(tags=["tokens"])


# A token cannot mint more tokens: a leaked one must not outlive its revocation.
@router.post("/tokens", auth=[session_auth], response={201: NewTokenOut, **REFUSALS})
def create_token(request, payload: TokenIn):
    """Create a personal token. The secret is in the answer once and never again."""
    require(request, "api.manage_own_tokens")
    new = services.create_token(
        actor=request.user, user=request.user, name=payload.name, days=payload.days
    )
    return Status(201, {**TokenOut.model_validate(new.token).model_dump(), "token": new.secret})


@router.get("/tokens", response={200: list[TokenOut], **REFUSALS})
def list_tokens(request):
    """Your tokens, revoked and expired ones included."""
    require(request, "api.manage_own_tokens")
    return selectors.tokens_for(request.user)


@router.delete("/tokens/{int:token_id}", response={204: None, **NOT_FOUND, **REFUSALS})
def revoke_token(request, token_id: int):
    """Revoke one of your tokens; it stops working at once."""
    require(request, "api.manage_own_tokens")
    token = get_object_or_404(selectors.tokens_for(request.user), pk=token_id)
    services.revoke_token(actor=request.user, token=token)
    return Status(204, None)
