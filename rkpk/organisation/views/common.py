"""What the organisation's screens share."""

MANAGE = "organisation.manage"


def query_without_page(request) -> str:
    """The list's filters, to keep them in the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
