"""Every answer under /api/v1/ is JSON, errors included.

ninja answers JSON for what reaches one of its operations. What does not — a path that
matches no route (`/api/v1/calendar/abc`: the route wants an integer), a method the path
does not serve, a body Django refuses before ninja reads it — would get Django's HTML
error page. This middleware gives those the API's error body, with the same status.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from rkpk.api.errors import error_body

API_PREFIX = "/api/v1/"

# Headers of the original answer that a client needs to act on the refusal.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def status_detail(status: int) -> str:
    if status == 400:
        return _("The request is malformed.")
    if status == 401:
        return _("Authentication required.")
    if status == 403:
        return _("You do not have permission to do this.")
    if status == 404:
        return _("Not found.")
    if status == 405:
        return _("This method is not allowed here.")
    if status == 413:
        return _("The request is too large.")
    if status < 500:
        return _("The request is not valid.")
    return _("Server error.")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        replaced = JsonResponse(
            error_body(status_detail(response.status_code)), status=response.status_code
        )
        for header in KEPT_HEADERS:
            if header in response:
                replaced[header] = response[header]
        return replaced
