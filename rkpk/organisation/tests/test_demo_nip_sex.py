"""The demo officials' NIP carries the sex their name shows (the 15th digit: 1 a man, 2 a
woman), on both demo organisations (issue 13, point 13)."""

import importlib

import pytest
from django.core.management import call_command

from rkpk.organisation import demo_orgs
from rkpk.organisation.models import Official

pytestmark = pytest.mark.django_db

# Anchors independent of the hint: names any reader knows the sex of.
KNOWN = {
    "Dr. Bambang Sutrisno, M.Si.": "1",
    "Sri Wahyuni, S.E., M.M.": "2",
    "Putri Handayani, S.Kom.": "2",
    "Andi Setiawan, S.E.": "1",
    "Nadia Khairunnisa, S.E., M.Ak.": "2",
    "Dimas Arya Pratama, S.E.": "1",
    "Wahyu Lestari Ningsih, S.Pi.": "2",
}


def _hint_module(name: str):
    return importlib.import_module(
        "rkpk.organisation.demo_data" if name == "setneg" else f"rkpk.organisation.demo_orgs.{name}"
    )


@pytest.mark.parametrize("name", demo_orgs.names())
def test_the_nip_sex_digit_matches_the_name(name):
    call_command("seed_demo", "--organisation", name, "--no-cycle", verbosity=0)
    women = _hint_module(name).WOMEN
    officials = list(Official.objects.exclude(nip=None).values_list("name", "nip"))
    names = {n for n, _nip in officials}
    assert women <= names, women - names  # the hint names real demo officials
    wrong = [(n, nip) for n, nip in officials if nip[14] != ("2" if n in women else "1")]
    assert not wrong
    known = {n: nip[14] for n, nip in officials if n in KNOWN}
    assert known and all(KNOWN[n] == digit for n, digit in known.items()), known
    assert {"1", "2"} <= {nip[14] for _n, nip in officials}
