import pytest
from django.core.management import call_command
from django.urls import reverse

from rkpk.analysis.models import StrategicGoal

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_21_goals_marked_as_examples():
    call_command("seed_demo", "--no-cycle", verbosity=0)
    goals = StrategicGoal.objects.all()
    assert goals.count() == 21
    assert all(goal.is_example for goal in goals)
    call_command("seed_demo", "--no-cycle", verbosity=0)  # running it again adds nothing
    assert StrategicGoal.objects.count() == 21


def test_goal_page_says_the_goals_are_examples(role_users, client_for):
    call_command("seed_demo", "--no-cycle", verbosity=0)
    url = reverse("analysis:goal_list")
    assert client_for(role_users["nobody"]).get(url).status_code == 403
    response = client_for(role_users["unit_operator"]).get(url)
    assert response.status_code == 200
    assert len(response.context["goals"]) == 21
    assert response.context["has_examples"]
