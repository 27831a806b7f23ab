"""One error body for every refusal: {"detail": "...", "errors": [{"field", "message"}]}."""

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from rkpk.api.schemas import ErrorOut
from rkpk.correspondence.services import ConflictError as CorrespondenceConflict
from rkpk.plans.services import ConflictError

# What any operation may answer with the error body: a body it cannot read (400), no or bad
# credentials (401), a refusal (403), invalid parameters (422). An operation whose path
# has parameters also answers 404 (no such object, or a value its route does not take).
ANY_OPERATION_REFUSALS = (400, 401, 403, 422)


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": detail, "errors": errors or []}


def django_validation_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


def request_validation_errors(exc: RequestValidationError) -> list[dict]:
    errors = []
    for error in exc.errors:
        # ninja's locations read ("body", "payload", "year") or ("query", "n").
        loc = [str(part) for part in error.get("loc", ())]
        parts = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]
        errors.append({"field": ".".join(parts) or None, "message": error.get("msg", "")})
    return errors


def too_large_detail() -> str:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return _("The request body is larger than %(size)s MB.") % {"size": f"{megabytes:g}"}


def install(api: NinjaAPI) -> None:
    # A body Django cannot read (too large, a multipart body without boundary, too many
    # fields) is the client's fault: 400 with the error body, never a server error.
    @api.exception_handler(RequestDataTooBig)
    def on_too_large(request, exc):
        request._mark_post_parse_error()  # the body must not be read again
        return api.create_response(request, error_body(too_large_detail()), status=400)

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request, exc):
        request._mark_post_parse_error()
        detail = _("The multipart/form-data body cannot be read: %(reason)s") % {"reason": str(exc)}
        return api.create_response(request, error_body(detail), status=400)

    @api.exception_handler(SuspiciousOperation)
    @api.exception_handler(BadRequest)
    def on_bad_request(request, exc):
        return api.create_response(request, error_body(_("The request is malformed.")), status=400)

    @api.exception_handler(ConflictError)
    @api.exception_handler(CorrespondenceConflict)
    def on_conflict(request, exc):
        errors = django_validation_errors(exc)
        return api.create_response(
            request, error_body(" ".join(e["message"] for e in errors), errors), status=409
        )

    @api.exception_handler(DjangoValidationError)
    def on_validation_error(request, exc):
        errors = django_validation_errors(exc)
        detail = " ".join(e["message"] for e in errors) or _("The request is not valid.")
        return api.create_response(request, error_body(detail, errors), status=422)

    @api.exception_handler(RequestValidationError)
    def on_request_validation_error(request, exc):
        return api.create_response(
            request,
            error_body(_("The request is not valid."), request_validation_errors(exc)),
            status=422,
        )

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        detail = str(exc) or _("You do not have permission to do this.")
        return api.create_response(request, error_body(detail), status=403)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, error_body(_("Not found.")), status=404)

    # ninja's own refusals (401 from authentication, CSRF 403) in the same shape.
    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        response = api.create_response(request, error_body(exc.message), status=exc.status_code)
        if isinstance(exc, AuthenticationError):
            # RFC 6750: say which scheme to use (a browser shows no log-in dialog for Bearer).
            response["WWW-Authenticate"] = 'Bearer realm="rkpk"'
        return response


def document_refusals(api: NinjaAPI) -> None:
    """Declare the refusals every operation can give in its own `responses`, so the schema
    names every status an endpoint returns without each route repeating them. A status an
    operation declares itself (with a body of its own) is left as declared."""
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            statuses = ANY_OPERATION_REFUSALS + ((404,) if "{" in path else ())
            for operation in path_view.operations:
                for status in statuses:
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(
                            ErrorOut
                        )
