"""What the organisation's screens share."""

from django.core.exceptions import ValidationError

MANAGE = "organisation.manage"


def query_without_page(request) -> str:
    """The list's filters, to keep them in the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def errors_text(error: ValidationError) -> str:
    """A refused write as one message on the next page."""
    return " ".join(error.messages)
