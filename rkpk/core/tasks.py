"""Background work of the core, run by the database worker (`rkpk db_worker`)."""

import logging
from collections.abc import Callable, Iterable

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from rkpk.core import audit
from rkpk.core.audit import verify_chain

logger = logging.getLogger(__name__)

# Who is told about the audit trail: callables () -> iterable of (address, language), one
# pair per administrator. Core knows no accounts or roles; the app that does adds its
# callable here when it is ready.
administrators: list[Callable[[], Iterable[tuple[str, str]]]] = []


def _mail_administrators(compose) -> None:
    """Send each administrator `compose()` -> (subject, body), written in their language."""
    for source in administrators:
        for address, language in source():
            with translation.override(language):
                subject, body = compose()
                send_mail(subject, body, None, [address])


@task()
def verify_audit_trail() -> dict:
    """Check the keyed chain and its anchors; tell every administrator at once when either
    is broken."""
    report = verify_chain()
    if not report.ok:
        for problem in report.problems:
            logger.error("Audit trail check: %s", problem)

        def compose():
            lines = "\n".join(f"- {problem}" for problem in report.problems)
            return (
                _("[RK-PK] The audit trail is broken"),
                _(
                    "The daily check of the audit trail found:\n\n%(problems)s\n\n"
                    "Keep the anchor files and the anchor e-mails: they show the trail as "
                    "it was. Run `rkpk verify_audit` for the full report."
                )
                % {"problems": lines},
            )

        _mail_administrators(compose)
    return {
        "ok": report.ok,
        "checked": report.checked,
        "broken_seq": report.broken_seq,
        "anchors_checked": report.anchors_checked,
        "anchor_problems": len(report.anchor_problems),
    }


@task()
def anchor_audit_chain() -> dict:
    """Write the chain's head outside the database (the anchor file) and e-mail it to the
    administrators. A broken chain is not anchored (verify_audit_trail reports it); an
    unchanged head is not anchored twice, so running this again does nothing."""
    report = verify_chain(anchors=False)
    if not report.ok:
        return {"anchored": False, "reason": report.reason}
    anchor = audit.write_anchor()
    if anchor is None:
        return {"anchored": False, "reason": "unchanged"}
    data = anchor.data

    def compose():
        return (
            _("[RK-PK] Audit trail anchor: event #%(seq)s") % {"seq": data["seq"]},
            _(
                "The audit trail ends at event #%(seq)s (recorded %(event_at)s).\n\n"
                "Hash: %(hash)s\nKey id: %(key_id)s\nAnchored: %(anchored_at)s in "
                "%(file)s\nSignature (HMAC): %(mac)s\n\n"
                "Keep this e-mail. `rkpk verify_audit` compares the trail with these "
                "anchors: if event #%(seq)s ever shows another hash, or the trail ends "
                "before it, the trail was changed after this day."
            )
            % {**data, "file": anchor.file},
        )

    _mail_administrators(compose)
    return {"anchored": True, "seq": data["seq"], "hash": data["hash"], "file": anchor.file}
