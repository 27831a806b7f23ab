"""Pages of the ministry RK-PK (being written)."""

from django.http import Http404


def plan_detail(request, year: int):
    raise Http404
