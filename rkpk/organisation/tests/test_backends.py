"""Permissions are answered by the rules alone: the account backend logs in with a password
and answers no permission question (no model permissions read on every page)."""

import pytest
from django.contrib.auth.models import Permission

from rkpk.organisation import roles
from rkpk.organisation.backends import AccountBackend
from rkpk.organisation.models import Role, User

pytestmark = pytest.mark.django_db


def test_rules_are_asked_without_reading_model_permissions(make_user, django_assert_num_queries):
    user = User.objects.get(pk=make_user("u_staff_b", Role.STAFF).pk)
    roles.assignments(user)
    with django_assert_num_queries(0):
        assert user.has_perm("plans.monitor")
        assert not user.has_perm("organisation.manage")
        assert not user.has_module_perms("plans")


def test_model_permissions_grant_nothing(make_user):
    user = make_user("u_granted")
    user.user_permissions.add(Permission.objects.get(codename="view_unit"))
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("organisation.view_unit")
    assert user.get_all_permissions() == set()
    assert AccountBackend().get_user_permissions(user) == set()
    assert AccountBackend().get_group_permissions(user) == set()


def test_a_superuser_keeps_every_permission():
    root = User.objects.create_superuser("root", password="Sandi-root-2026!")
    assert root.has_perm("organisation.manage") and root.has_perm("plans.monitor")
