"""The service standard reads in the user's language (issue 13.10).

The standard is an Indonesian document: its steps' Indonesian wording is the data. An
Indonesian page shows only that; an English page shows the English gloss of each step's
title with the standard's own wording beside it, marked as Indonesian.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from rkpk.core.tests.raw_text import find_raw_text
from rkpk.procedure.models import ServiceStandard


@pytest.fixture
def page(role_users, settings):
    def get(language: str) -> str:
        settings.LANGUAGE_CODE = language
        client = Client()
        client.force_login(role_users["staff"])
        return client.get(reverse("procedure:standard_detail")).content.decode()

    return get


def test_indonesian_page_shows_the_standard_s_own_words(page):
    step = ServiceStandard.objects.get(version=1).steps.get(number=1)
    text = page("id")
    assert escape(step.title_id) in text
    assert escape(step.title_en) not in text
    assert find_raw_text(text) == []


def test_english_page_shows_the_gloss_and_the_original(page):
    step = ServiceStandard.objects.get(version=1).steps.get(number=1)
    text = page("en")
    assert escape(step.title_en) in text
    original = escape(step.title_id)
    assert f'<div class="small text-body-secondary" lang="id">{original}</div>' in text


def test_the_seed_does_not_mark_itself(page):
    assert "(seed)" not in ServiceStandard.objects.get(version=1).notes
