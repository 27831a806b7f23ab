"""The site's middleware: the signed-in base of every request, and compression of text."""

from django.middleware.gzip import GZipMiddleware

from rkpk.notifications.models import Notification
from rkpk.organisation import roles

# Bodies worth compressing. Downloads are not: XLSX and DOCX are ZIP files and a PDF's
# streams are compressed already; gzipping them again costs CPU and drops Content-Length.
TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding), for text bodies only."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)


class SignedInBaseMiddleware:
    """Reads the signed-in user's roles, today's acting roles and unread-notification count
    in one query (`roles.read`), which the permission rules, the navigation and the bell then
    take from the user object.

    The combined read is done here, in the site (top layer), because only it may import both
    apps: the organisation sits below the notifications and must not import their count (a
    registry the notifications would fill works too, but needs their AppConfig; this keeps
    the whole per-request base in one visible place). Asking whether the user is signed in
    loads the user, which nearly every request does anyway (its view checks a permission);
    an anonymous request reads nothing more.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            # The bell's cache (notification_tags.unread_count) is filled with it.
            roles.read(user, counts={"_rkpk_unread_notifications": unread_notifications})
        return self.get_response(request)


def unread_notifications(user_id: int):
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
