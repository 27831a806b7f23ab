from contextvars import ContextVar

_client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def current_client_address() -> str | None:
    return _client_address.get()


class RequestContextMiddleware:
    """Makes the client address known to the audit trail without passing requests to services.

    Behind the reverse proxy the address is taken from REMOTE_ADDR, which the proxy
    (and gunicorn's --forwarded-allow-ips) must set to the real client.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)
