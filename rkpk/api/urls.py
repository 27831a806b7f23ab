"""The JSON API under /api/v1/: integrations call the same services as the web views.

Schema: /api/v1/openapi.json; interactive docs: /api/v1/docs (Swagger UI served from
the files ninja ships, no CDN). Authentication: see rkpk.api.auth.
"""

from ninja import NinjaAPI

from rkpk.api import docs, errors
from rkpk.api.auth import API_AUTH
from rkpk.api.routers import (
    acting,
    analysis_compilation,
    analysis_drafts,
    analysis_mapping,
    calendar,
    complaints,
    correspondence,
    dashboard,
    lists,
    meetings,
    ministry,
    monitoring,
    notifications,
    organisation,
    organisation_profile,
    plans,
    procedure,
    survey,
    tokens,
)

api = NinjaAPI(
    title="RK-PK API",
    version="1",
    description=(
        "Units, officials, the service standard, planning cycles, the working-day "
        "calendar and the units' plans (RK-PK). Authenticate with the browser session "
        "(unsafe methods need the CSRF token) or with a personal token: "
        "`Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=docs.LocalSwagger(),
)
errors.install(api)

api.add_router("", organisation.router)
api.add_router("", organisation_profile.router)
api.add_router("", procedure.router)
api.add_router("", calendar.router)
api.add_router("", tokens.router)
api.add_router("", plans.router)
api.add_router("", lists.router)
api.add_router("", monitoring.router)
api.add_router("", correspondence.router)
api.add_router("", analysis_drafts.router)
api.add_router("", analysis_mapping.router)
api.add_router("", analysis_compilation.router)
api.add_router("", meetings.router)
api.add_router("", ministry.router)
api.add_router("", acting.router)
api.add_router("", dashboard.router)
api.add_router("", complaints.router)
api.add_router("", survey.router)
api.add_router("", notifications.router)
errors.document_refusals(api)


@api.get("/docs/assets/{name}", auth=None, include_in_schema=False, url_name="docs-asset")
def docs_asset(request, name: str):
    return docs.asset_response(name)
