"""The language of a request: Indonesian unless the user chose another.

Django's LocaleMiddleware follows the browser's Accept-Language header, so a browser set to
English showed the application in English to people who never asked for it. The users are
Indonesian civil servants and the documents are Indonesian: the site's language
(settings.LANGUAGE_CODE) is the default whatever the browser says, and only the user's own
choice — the language switch in the navigation bar, Django's set_language view, remembered
in the language cookie — changes it.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str | None:
    """The language the user chose with the language switch, if it is one of the site's."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code and code in dict(settings.LANGUAGES) and translation.check_for_language(code):
        return code
    return None


def request_language(request) -> str:
    return chosen_language(request) or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """In place of LocaleMiddleware: the chosen language or the site's, never the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the language cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
