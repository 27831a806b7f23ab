"""Fixtures of the meeting tests: a cycle ready for step 6, the head of bureau's official,
meetings in the past (attendance and filing need the meeting time reached)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rkpk.core.calendar import today
from rkpk.meetings import services
from rkpk.organisation.models import Official
from rkpk.procedure.tests.factories import cycle_done_through

YEAR = 2027


@pytest.fixture
def cycle(db):
    return cycle_done_through(5, year=YEAR)


@pytest.fixture
def chair(role_users):
    official = Official.objects.create(
        name="Dr. Kepala Biro",
        nip="197001011995031001",
        position="Kepala Biro Akuntabilitas Kinerja",
    )
    head = role_users["head_of_bureau"]
    head.official = official
    head.save(update_fields=["official"])
    return official


@pytest.fixture
def officials(units):
    return {
        "a": Official.objects.create(
            name="Ani Rahma", nip="198001012005012001", position="Kepala Biro A", unit=units["a"]
        ),
        "b": Official.objects.create(
            name="Budi Santoso", nip="198102022006021002", position="Kepala Biro B", unit=units["b"]
        ),
    }


@pytest.fixture
def make_meeting(role_users, chair):
    def make(cycle, *, hours_ago: float = 2, title: str = "Rapat pembahasan RK-PK", **kwargs):
        starts = timezone.now() - timedelta(hours=hours_ago)
        return services.schedule(
            actor=role_users["staff"],
            cycle=cycle,
            title=title,
            starts_at=starts,
            ends_at=kwargs.pop("ends_at", starts + timedelta(hours=1)),
            place=kwargs.pop("place", "Ruang Rapat Biro AK, Lantai 3"),
            **kwargs,
        )

    return make


@pytest.fixture
def meeting(cycle, make_meeting, units, role_users):
    """A meeting of the cycle that started two hours ago, unit A invited."""
    meeting = make_meeting(cycle)
    services.invite(actor=role_users["staff"], meeting=meeting, units=[units["a"]])
    return meeting


@pytest.fixture
def ready(meeting, role_users, units):
    """A meeting that can be filed: someone present, notes, a complete decision."""
    staff = role_users["staff"]
    services.invite(actor=staff, meeting=meeting, guests=["Perwakilan Kementerian PAN"])
    invitees = list(meeting.invitees.order_by("position"))
    services.record_attendance(
        actor=staff,
        meeting=meeting,
        entries=[
            {"invitee": invitees[0], "attendance": "present"},
            {"invitee": invitees[1], "attendance": "represented", "represented_by": "Sdr. Wakil"},
        ],
    )
    item = services.add_agenda_item(
        actor=staff, meeting=meeting, title="Pembahasan analisis", notes="Catatan penting rapat."
    )
    services.add_decision(
        actor=staff,
        meeting=meeting,
        text="Menyempurnakan indikator sasaran 3",
        agenda_item=item,
        owner_unit=units["a"],
        due_date=today() + timedelta(days=7),
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture(autouse=True)
def _organisation(request):
    """These tests read the first demo's names on documents: its profile is saved first."""
    names = set(request.fixturenames)
    if "django_db" in request.keywords or names & {"db", "transactional_db"}:
        request.getfixturevalue("demo_profile")
