import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from rkpk.correspondence import numbering
from rkpk.correspondence.models import NumberAllocation, NumberSequence, Register

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def register(db):
    return Register.objects.create(
        code="was",
        name="Nota Dinas Deputi Bidang Pengawasan",
        pattern="B-{seq}/Kemensetneg/Was/{classification}/{month}/{year}",
        classification="PR.01.01",
    )


def test_format_tokens():
    when = datetime(2015, 12, 3, 10, tzinfo=JAKARTA)
    pattern = "B-{seq}/Kemensetneg/{unit}/KTLN/{classification}/{month}/{year}"
    assert (
        numbering.format_number(
            pattern, seq=24488, when=when, unit="Setmen", classification="LN.00.00"
        )
        == "B-24488/Kemensetneg/Setmen/KTLN/LN.00.00/12/2015"
    )
    assert (
        numbering.format_number("{seq:04}/{month_roman}/{year}", seq=7, when=when)
        == "0007/XII/2015"
    )


def test_pattern_validation():
    numbering.validate_pattern("B-{seq}/{month_roman}/{year}")
    with pytest.raises(ValidationError, match="exactly one"):
        numbering.validate_pattern("B-{month}/{year}")
    with pytest.raises(ValidationError, match="Unknown"):
        numbering.validate_pattern("B-{seq}/{bulan}")


def test_numbers_run_per_register_per_year_without_gaps(register):
    first = numbering.allocate(
        register=register, actor=None, when=datetime(2026, 12, 30, tzinfo=JAKARTA)
    )
    second = numbering.allocate(
        register=register, actor=None, when=datetime(2026, 12, 31, tzinfo=JAKARTA)
    )
    new_year = numbering.allocate(
        register=register, actor=None, when=datetime(2027, 1, 2, tzinfo=JAKARTA)
    )
    assert (first.seq, second.seq, new_year.seq) == (1, 2, 1)
    assert first.number == "B-1/Kemensetneg/Was/PR.01.01/12/2026"
    assert new_year.number == "B-1/Kemensetneg/Was/PR.01.01/01/2027"


def test_a_rolled_back_number_is_given_again_and_no_gap_appears(register):
    numbering.allocate(register=register, actor=None)
    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.allocate(register=register, actor=None)
        raise RuntimeError("the document could not be saved")
    again = numbering.allocate(register=register, actor=None)
    assert again.seq == 2
    assert list(NumberAllocation.objects.values_list("seq", flat=True)) == [1, 2]


def test_a_cancelled_number_stays_and_is_never_reused(register):
    first = numbering.allocate(register=register, actor=None)
    with pytest.raises(ValidationError):
        numbering.cancel(allocation=first, actor=None, reason=" ")
    numbering.cancel(allocation=first, actor=None, reason="Salah alamat")
    with pytest.raises(ValidationError, match="already"):
        numbering.cancel(allocation=first, actor=None, reason="lagi")
    second = numbering.allocate(register=register, actor=None)
    assert second.seq == 2
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancel_reason == "Salah alamat"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_numbering_gives_100_distinct_consecutive_numbers():
    register = Register.objects.create(code="was", name="Was", pattern="B-{seq}/Was/{year}")
    barrier = threading.Barrier(10)
    failures = []

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                numbering.allocate(register=register, actor=None)
        except Exception as error:  # reported below: a thread cannot fail the test itself
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    seqs = sorted(NumberAllocation.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 101))
    assert NumberAllocation.objects.values("number").distinct().count() == 100
    assert NumberSequence.objects.get().last_seq == 100
