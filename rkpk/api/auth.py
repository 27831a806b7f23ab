"""The two ways into the API: the browser session (with CSRF) and personal bearer tokens.

Tokens are tried first: a request that carries `Authorization: Bearer …` is judged by
its token alone, and a bad token is a 401 even if a session cookie came along.
Without that header the session decides, and unsafe methods need the CSRF token.
"""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from rkpk.api import services


class SessionAuth(NinjaSessionAuth):
    """ninja's `django_auth` (CSRF enforced), except that an anonymous request gets 401.

    ninja checks CSRF before it looks at the user, so an anonymous POST would be a
    CSRF 403; without a logged-in session there is nothing to forge, and the client
    should learn that it is not authenticated.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = services.authenticate_token(token)
        if api_token is None:
            raise AuthenticationError(message="Invalid, expired or revoked token.")
        # Views and services check `request.user.has_perm`, whichever way the user came in.
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


session_auth = SessionAuth()
token_auth = TokenAuth()
API_AUTH = [token_auth, session_auth]
