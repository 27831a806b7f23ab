"""The application's own error pages (400, 403, 404, 405, 500), in the user's language.

In production Django renders 400.html, 403.html, 404.html and 500.html itself; handler400 and
handler500 (rkpk.urls) render them with the request, so they carry the site's layout. Under
DEBUG Django shows its English technical pages instead (the URL patterns, the traceback):
`make run` is where people try the application, so `OwnErrorPagesMiddleware` shows the
application's pages there too while settings.RKPK_OWN_ERROR_PAGES is on (the default; set
RKPK_OWN_ERROR_PAGES=0 to see Django's pages when debugging). The traceback of a server
error still goes to the console log. Paths under /api/ are left alone: the API answers JSON.
"""

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.template import loader
from django.urls import Resolver404, get_urlconf, resolve

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html", 405: "405.html", 500: "500.html"}


def error_page(request, status: int, exception=None) -> HttpResponse:
    """The page of an error status, rendered with the layout; without it if the layout fails
    (a server error may come from what the layout needs, e.g. the database)."""
    context = {"exception": exception, "status": status}
    try:
        body = loader.render_to_string(TEMPLATES[status], context, request=request)
    except Exception:
        if status != 500:
            raise
        body = loader.render_to_string("500_plain.html", context)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def server_error(request):
    return error_page(request, 500)


def _applies(request) -> bool:
    return not request.path_info.startswith(API_PREFIX)


class OwnErrorPagesMiddleware:
    """Under DEBUG: the application's error pages instead of Django's technical ones.
    Always: a page for a bare 405 (a view refusing the method answers an empty body)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _debug_pages() -> bool:
        return settings.DEBUG and getattr(settings, "RKPK_OWN_ERROR_PAGES", True)

    def __call__(self, request):
        if self._debug_pages() and _applies(request):
            # A path no URL pattern matches never reaches a view, so process_exception does
            # not see it: Django would answer its technical 404.
            try:
                resolve(request.path_info, getattr(request, "urlconf", None) or get_urlconf())
            except Resolver404:
                return error_page(request, 404)
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and _applies(request)
            and request.method != "HEAD"
        ):
            page = error_page(request, 405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(self, request, exception):
        if not (self._debug_pages() and _applies(request)):
            return None
        if isinstance(exception, Http404):
            return error_page(request, 404)
        if isinstance(exception, PermissionDenied):
            return error_page(request, 403, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return error_page(request, 400)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        signals.got_request_exception.send(sender=None, request=request)
        return error_page(request, 500)
