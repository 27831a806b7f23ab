"""The user's notification centre: list with filters, open (marks read, follows the link),
mark one read or unread, mark all read, and the e-mail preference ("E-mail settings" tab)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.selectors import paginate
from rkpk.notifications import selectors, services
from rkpk.notifications.forms import PreferenceForm
from rkpk.notifications.models import EmailChoice, Notification

USE = "notifications.use"
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


def _back_to_list(request):
    """The list page the form was posted from (its filters and page), else the plain list."""
    target = request.POST.get("next", "")
    list_path = reverse("notifications:list")
    if (
        target.startswith(list_path)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=set(), require_https=False)
        and not target.startswith("//")
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@permission_required(USE, raise_exception=True)
def notification_list(request):
    show = request.GET.get("show", selectors.SHOW_ALL)
    if show not in selectors.SHOW_CHOICES:
        show = selectors.SHOW_ALL
    areas = selectors.areas_for(request.user)
    area = request.GET.get("event", "")
    if area not in {key for key, _label in areas}:
        area = ""
    page = paginate(
        request, selectors.notifications_for(request.user, show=show, area=area), PER_PAGE
    )
    unread = selectors.unread_count(request.user)
    request.user._rkpk_unread_notifications = unread  # the bell in the header reuses it
    params = {k: v for k, v in (("show", show), ("event", area)) if v and v != selectors.SHOW_ALL}
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "show": show,
            "show_unread": show == selectors.SHOW_UNREAD,
            "show_choices": [
                (selectors.SHOW_ALL, _("All")),
                (selectors.SHOW_UNREAD, _("Unread")),
                (selectors.SHOW_READ, _("Read")),
            ],
            "area": area,
            "areas": areas,
            "area_labels": dict(areas),
            "filtered": bool(params),
            "unread_count": unread,
            "query": urlencode(params),
            "here": request.get_full_path(),
            "tab": "list",
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
@permission_required(USE, raise_exception=True)
def toggle_read(request, pk):
    """Mark one of my notifications read if it is unread, unread if it is read."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification = services.toggle_read(user=request.user, notification=notification)
    if notification.read_at is None:
        messages.success(request, _("Marked as unread: %(title)s") % {"title": notification.title})
    else:
        messages.success(request, _("Marked as read: %(title)s") % {"title": notification.title})
    return _back_to_list(request)


@login_required
@require_POST
@permission_required(USE, raise_exception=True)
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    messages.success(
        request,
        _("%(n)s notifications marked as read.") % {"n": count}
        if count
        else _("There was nothing unread."),
    )
    return _back_to_list(request)


@login_required
@permission_required(USE, raise_exception=True)
def notification_settings(request):
    """How I am e-mailed: immediately, a daily digest, or not at all."""
    preference = selectors.preference_for(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.set_email_preference(
                actor=request.user, user=request.user, email=form.cleaned_data["email"]
            )
            messages.success(request, _("Your e-mail preference is saved."))
            return redirect("notifications:settings")
    else:
        form = PreferenceForm(initial={"email": preference.email})
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "preference": preference,
            "has_email": bool(request.user.email),
            "is_digest": preference.email == EmailChoice.DIGEST,
            "tab": "settings",
        },
    )
