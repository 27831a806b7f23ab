import pytest


@pytest.fixture(autouse=True)
def _organisation(request):
    """These tests read the first demo's names on documents: its profile is saved first.
    (rkpk/organisation/tests/test_profile_documents.py renders them with another profile.)"""
    names = set(request.fixturenames)
    if "django_db" in request.keywords or names & {"db", "transactional_db"}:
        request.getfixturevalue("demo_profile")
