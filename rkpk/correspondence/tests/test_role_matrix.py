"""Every URL of the correspondence app, for every role, on a registered letter addressed to
unit A: the ministry reads, the bureau acts, the administrator keeps the templates and the
registers, unit A sees what was sent to it, and nobody else is told a letter exists."""

import pytest
from django.utils import timezone

from rkpk.core.tests.role_matrix import row
from rkpk.correspondence import numbering
from rkpk.correspondence.models import LetterTemplate, Register
from rkpk.correspondence.tests.test_services import (
    addressed,
    fake_pdf,  # noqa: F401 — a fixture
    registered,
)

pytestmark = pytest.mark.django_db

MINISTRY = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
            "general_bureau", "viewer")  # fmt: skip
UNIT_A = ("unit_operator", "unit_head")
BUREAU = ("staff", "head_of_section", "head_of_bureau")
HIDDEN = ("operator_b", "nobody")  # the letter is not addressed to them
WITH_A_ROLE = (*MINISTRY, *UNIT_A, "operator_b")


def test_every_url_for_every_role(role_users, units, fake_pdf, role_matrix):  # noqa: F811
    document = registered(role_users)
    recipient = addressed(document, units["a"])
    register = Register.objects.get(code="nd-deputi-was")
    numbering.allocate(register=register, actor=None)
    year = timezone.localdate().year
    letter = LetterTemplate.objects.order_by("pk").first()
    d, r = document.pk, recipient.pk
    book = (register.code, year)
    post = {"method": "post"}
    letter_to_a = {"not_found": HIDDEN}  # and 403 for who sees it but may not act
    admin = {"exact": {"admin": 200}}
    # The actions are posted empty: who may act is answered 400 (what is missing) or sent
    # back to the letter with the reason.
    role_matrix(
        [
            row("correspondence:document_list", exact=dict.fromkeys(WITH_A_ROLE, 200)),
            row("correspondence:inbox", other=200),
            row("correspondence:document_detail", d, allowed=(*MINISTRY, *UNIT_A), **letter_to_a),
            row(
                "correspondence:document_file",
                d,
                "pdf",
                allowed=(*MINISTRY, *UNIT_A),
                **letter_to_a,
            ),
            row("correspondence:document_create", allowed=BUREAU),
            # Registered: no longer a draft, the bureau is sent back to the letter.
            row("correspondence:document_edit", d, exact=dict.fromkeys(BUREAU, 302), **letter_to_a),
            row("correspondence:register_list", allowed=MINISTRY),
            row("correspondence:register_create", **admin),
            row("correspondence:register_edit", register.code, **admin),
            row("correspondence:register_book", *book, allowed=MINISTRY),
            row("correspondence:register_book_xlsx", *book, allowed=MINISTRY),
            row("correspondence:template_list", **admin),
            row("correspondence:template_create", **admin),
            row("correspondence:template_edit", letter.pk, **admin),
            # Anyone, signed in or not, checks a letter's authenticity.
            row("verify_upload", other=200, anonymous=200),
            row("verify_document", document.verification_token, other=200, anonymous=200),
            row("correspondence:dispatch_form", d, allowed=BUREAU, **letter_to_a),
            row("correspondence:dispatch_expedition_xlsx", d, allowed=MINISTRY, **letter_to_a),
            # No cycle for the year: 404 for everyone with a role.
            row("correspondence:dispatch_cycle", year, exact=dict.fromkeys(WITH_A_ROLE, 404)),
            *(
                row(f"correspondence:{name}", year, exact=dict.fromkeys(WITH_A_ROLE, 404), **post)
                for name in ("dispatch_cycle_drafts", "dispatch_cycle_sync")
            ),
            row(
                "correspondence:document_send_for_review", d, **_400(BUREAU), **letter_to_a, **post
            ),
            row(
                "correspondence:document_review",
                d,
                **_400(("head_of_section", "head_of_bureau")),
                **letter_to_a,
                **post,
            ),
            row("correspondence:document_sign", d, **_400(("deputy",)), **letter_to_a, **post),
            row("correspondence:document_register", d, **_400(BUREAU), **letter_to_a, **post),
            row("correspondence:document_correct", d, **_400(BUREAU), **letter_to_a, **post),
            row("correspondence:number_cancel", *book, 1, **_400(BUREAU), **post),
            row("correspondence:dispatch_courier", d, r, **_302(BUREAU), **letter_to_a, **post),
            row(
                "correspondence:dispatch_confirm_binding",
                d,
                **_302(("general_bureau",)),
                **letter_to_a,
                **post,
            ),
            row("correspondence:dispatch_acknowledge", d, r, **_302(UNIT_A), **letter_to_a, **post),
        ],
        namespace="correspondence",
    )


def _400(roles):
    return {"exact": dict.fromkeys(roles, 400)}


def _302(roles):
    return {"exact": dict.fromkeys(roles, 302)}
