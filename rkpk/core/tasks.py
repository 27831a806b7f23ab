"""Background work of the core, run by the database worker (`rkpk db_worker`)."""

import logging

from django.core.mail import send_mail
from django_tasks import task

from rkpk.core.audit import verify_chain

logger = logging.getLogger(__name__)


@task()
def verify_audit_trail() -> dict:
    """Check the hash chain; tell every administrator at once when it is broken."""
    from rkpk.organisation.models import Role, User

    report = verify_chain()
    if not report.ok:
        logger.error("Audit trail broken at #%s: %s", report.broken_seq, report.reason)
        admins = User.objects.filter(
            is_active=True, role_assignments__role=Role.ADMIN, email__gt=""
        ).values_list("email", flat=True)
        send_mail(
            subject="[RK-PK] Jejak audit rusak / audit trail broken",
            message=(
                f"Pemeriksaan jejak audit menemukan kerusakan pada event #{report.broken_seq}: "
                f"{report.reason}.\n\nThe audit trail check found a break at event "
                f"#{report.broken_seq}: {report.reason}."
            ),
            from_email=None,
            recipient_list=sorted(set(admins)),
        )
    return {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq}
