"""What the complaint screens share."""

from django.http import Http404

from rkpk.complaints import selectors
from rkpk.complaints.models import Complaint


def query_without_page(request) -> str:
    """The list's filters, to keep them in the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def get_complaint(user, pk: int) -> Complaint:
    """The complaint if the user may see it; 404 otherwise (its existence is not revealed)."""
    complaint = selectors.complaints_for(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint
