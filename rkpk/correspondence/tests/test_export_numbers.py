"""The correspondence workbooks (the agenda book of a register, a document's expedition
book) store their numbers as numbers with number formats."""

import pytest
from django.utils import timezone

from rkpk.core.tests import document_checks as checks
from rkpk.correspondence import dispatch
from rkpk.correspondence.exports import book_workbook
from rkpk.correspondence.tests.test_dispatch import make_document, quick_pdf  # noqa: F401

pytestmark = pytest.mark.django_db


def test_agenda_and_expedition_books_store_numbers_with_formats(role_users, units):
    document = make_document(role_users)
    dispatch.dispatch(actor=role_users["staff"], document=document, others=[], units=[units["a"]])
    expedition = dispatch.expedition_book_xlsx(document)
    agenda = book_workbook(document.register, timezone.localdate(document.registered_at).year)
    for data in (expedition, agenda):
        assert checks.number_problems(data) == []
    sequence = checks.numbers(agenda, checks.workbook(agenda).sheetnames[0])
    assert sequence and all(fmt == "0" for _value, fmt in sequence)
