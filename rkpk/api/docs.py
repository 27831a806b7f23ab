"""Swagger UI from the files ninja ships, so that /docs needs no CDN.

ninja serves its bundled Swagger files only when "ninja" is in INSTALLED_APPS (as
static files); otherwise its docs page loads Swagger UI from a CDN. This page renders
our own template and serves the few files it needs straight from the ninja package.
"""

from pathlib import Path

import ninja
from django.http import FileResponse, Http404
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"

# The only files served; nothing else under the package can be asked for.
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
    "favicon.svg": "image/svg+xml",
}
ASSET_MAX_AGE = 24 * 60 * 60


class LocalSwagger(DocsBase):
    settings = {"layout": "BaseLayout", "deepLinking": True}

    def render_page(self, request, api, **kwargs):
        context = {
            "api": api,
            "swagger_settings": {**self.settings, "url": self.get_openapi_url(api, kwargs)},
            # The page's "Try it out" posts with the session, which needs the CSRF token.
            "add_csrf": any(getattr(auth, "csrf", False) for auth in api.auth or []),
        }
        return render(request, "api/swagger.html", context)


def asset_response(name: str) -> FileResponse:
    content_type = ASSETS.get(name)
    path = NINJA_STATIC / name
    if content_type is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
    return response
