"""The user's in-app notifications: list, open (marks read, follows the link), mark all read."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.selectors import paginate
from rkpk.notifications import services
from rkpk.notifications.models import Notification

PER_PAGE = 25


def safe_target(url: str) -> str | None:
    """Where a notification may send the user: a path on this site, or RKPK_BASE_URL's.

    An address on the configured base URL becomes its path (it works on whatever host
    serves the request); any other absolute, scheme-relative or odd address is refused.
    """
    url = (url or "").strip()
    base = settings.RKPK_BASE_URL.rstrip("/")
    if base and (url == base or url.startswith(base + "/")):
        url = url[len(base) :] or "/"
    if not url.startswith("/") or url.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False):
        return None
    return url


@login_required
def notification_list(request):
    mine = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    show_unread = request.GET.get("show") == "unread"
    page = paginate(request, mine.filter(read_at__isnull=True) if show_unread else mine, PER_PAGE)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "show_unread": show_unread,
            "unread_count": mine.filter(read_at__isnull=True).count(),
            "query": "show=unread" if show_unread else "",
        },
    )


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        services.mark_read(user=request.user, notification_ids=[notification.pk])
    target = safe_target(notification.url)
    return redirect(target or "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    messages.success(
        request,
        _("%(n)s notifications marked as read.") % {"n": count}
        if count
        else _("There was nothing unread."),
    )
    return redirect("notifications:list")
