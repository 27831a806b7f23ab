import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.core.models import AuditEvent
from rkpk.organisation import importers, roles, services
from rkpk.organisation.models import Official, Role, RoleAssignment, Unit, User
from rkpk.organisation.tests.helpers import actions, audit_events

NIP = "197001011990031001"


def fields_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Units --------------------------------------------------------------------------------


def test_create_unit_writes_audit_event(admin, units):
    unit = services.create_unit(
        actor=admin,
        code=" E1.C ",
        name=" Biro C ",
        level=2,
        parent=units["root"],
        head_position="Kepala Biro C",
    )
    assert unit.code == "E1.C" and unit.name == "Biro C" and unit.parent == units["root"]
    event = AuditEvent.objects.get(action="unit.created")
    assert event.actor == admin
    assert event.object_id == str(unit.pk)
    assert event.after["code"] == "E1.C"
    assert event.after["parent_id"] == units["root"].pk
    assert event.before is None


def test_create_unit_code_must_be_unique(admin, units):
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(actor=admin, code="E1.A", name="Twin", level=2, parent=units["root"])
    assert "code" in fields_of(excinfo)
    assert not audit_events().exists()


def test_create_unit_code_pattern(admin, db):
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(actor=admin, code="bad code!", name="X", level=1)
    assert "code" in fields_of(excinfo)


def test_parent_must_be_at_a_lower_level_number(admin, units):
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(actor=admin, code="X", name="X", level=2, parent=units["a"])
    assert "parent" in fields_of(excinfo)
    assert "level 2" in " ".join(fields_of(excinfo)["parent"])
    assert not Unit.objects.filter(code="X").exists()
    assert not audit_events().exists()


def test_update_cannot_make_a_cycle(admin, units):
    child = services.create_unit(actor=admin, code="E1.A.1", name="Bag", level=3, parent=units["a"])
    # Make the root a child of its own grandchild: a level check alone allows it once
    # the levels are rearranged, so test the loop check with consistent levels.
    Unit.objects.filter(pk=units["root"].pk).update(level=4)
    root = Unit.objects.get(pk=units["root"].pk)
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin, unit=root, code="E1", name="Root", level=4, parent=child)
    assert "loop" in " ".join(fields_of(excinfo)["parent"])
    assert Unit.objects.get(pk=root.pk).parent_id is None


def test_unit_cannot_be_its_own_parent(admin, units):
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(
            actor=admin, unit=units["a"], code="E1.A", name="Biro A", level=2, parent=units["a"]
        )
    assert "parent" in fields_of(excinfo)


def test_update_level_must_stay_above_children(admin, units):
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin, unit=units["root"], code="E1", name="Root", level=2)
    assert "E1.A" in " ".join(fields_of(excinfo)["level"])


def test_update_unit_records_before_and_after(admin, units):
    services.update_unit(
        actor=admin,
        unit=units["a"],
        code="E1.A",
        name="Biro A Baru",
        level=2,
        parent=units["root"],
        head_position="Kepala Biro A",
    )
    event = AuditEvent.objects.get(action="unit.updated")
    assert event.before["name"] == "Biro A" and event.after["name"] == "Biro A Baru"
    # Saving the same values again records nothing.
    services.update_unit(
        actor=admin,
        unit=units["a"],
        code="E1.A",
        name="Biro A Baru",
        level=2,
        parent=units["root"],
        head_position="Kepala Biro A",
    )
    assert AuditEvent.objects.filter(action="unit.updated").count() == 1


def test_only_admin_writes(role_users, units):
    for code, user in role_users.items():
        if code == "admin":
            continue
        with pytest.raises(PermissionDenied):
            services.create_unit(actor=user, code="X" + code[:5], name="X", level=1)
    assert not Unit.objects.filter(code__startswith="X").exists()


def test_deactivate_cascades_to_sub_units(admin, units):
    changed = services.deactivate_unit(actor=admin, unit=units["root"])
    assert {u.code for u in changed} == {"E1", "E1.A", "E1.B"}
    assert not Unit.objects.filter(is_active=True).exists()
    assert actions().count("unit.deactivated") == 3


def test_activate_needs_active_parent(admin, units):
    services.deactivate_unit(actor=admin, unit=units["root"])
    with pytest.raises(ValidationError):
        services.activate_unit(actor=admin, unit=units["a"])
    services.activate_unit(actor=admin, unit=units["root"])
    services.activate_unit(actor=admin, unit=units["a"])
    assert Unit.objects.get(pk=units["a"].pk).is_active
    assert "unit.activated" in actions()


def test_child_of_deactivated_parent_is_refused(admin, units):
    services.deactivate_unit(actor=admin, unit=units["b"])
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(actor=admin, code="E1.B.1", name="X", level=3, parent=units["b"])
    assert "deactivated" in " ".join(fields_of(excinfo)["parent"])


def test_delete_unit_with_children_or_officials_is_refused(admin, units):
    with pytest.raises(ValidationError, match="sub-units"):
        services.delete_unit(actor=admin, unit=units["root"])
    Official.objects.create(name="P", nip=NIP, position="Staf", unit=units["b"])
    with pytest.raises(ValidationError, match="officials"):
        services.delete_unit(actor=admin, unit=units["b"])
    assert Unit.objects.filter(pk=units["b"].pk).exists()
    assert "unit.deleted" not in actions()


def test_delete_empty_unit(admin, units):
    unit = services.create_unit(actor=admin, code="E2", name="Empty", level=1)
    services.delete_unit(actor=admin, unit=unit)
    assert not Unit.objects.filter(code="E2").exists()
    assert AuditEvent.objects.get(action="unit.deleted").before["code"] == "E2"


# --- Officials ----------------------------------------------------------------------------


def test_create_official_validates_nip(admin, units):
    with pytest.raises(ValidationError) as excinfo:
        services.create_official(actor=admin, name="Budi", nip="12345", position="Staf")
    assert "nip" in fields_of(excinfo)
    services.create_official(
        actor=admin, name="Budi", nip="19700101 199003 1 001", position="Staf", unit=units["a"]
    )
    assert Official.objects.get().nip == NIP
    with pytest.raises(ValidationError) as excinfo:
        services.create_official(actor=admin, name="Twin", nip=NIP, position="Staf")
    assert "nip" in fields_of(excinfo)
    assert actions() == ["official.created"]


def test_update_official_audited(admin, units):
    official = services.create_official(actor=admin, name="Budi", nip=NIP, position="Staf")
    services.update_official(
        actor=admin, official=official, name="Budi", nip=NIP, position="Kepala", unit=units["b"]
    )
    event = AuditEvent.objects.get(action="official.updated")
    assert event.before["position"] == "Staf" and event.after["unit_id"] == units["b"].pk


def test_official_cannot_join_deactivated_unit(admin, units):
    services.deactivate_unit(actor=admin, unit=units["b"])
    with pytest.raises(ValidationError) as excinfo:
        services.create_official(
            actor=admin, name="Budi", nip=NIP, position="Staf", unit=units["b"]
        )
    assert "unit" in fields_of(excinfo)


# --- Accounts and roles -------------------------------------------------------------------


def test_create_user_validates_password_and_username(admin, db):
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(actor=admin, username="budi", password="123")
    assert "password" in fields_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(actor=admin, username="U_ADMIN", password="Kuat-sekali-2026")
    assert "username" in fields_of(excinfo)
    user = services.create_user(
        actor=admin, username="budi", password="Kuat-sekali-2026", email="Budi@Example.ORG"
    )
    assert user.check_password("Kuat-sekali-2026")
    assert user.email == "Budi@example.org"
    event = AuditEvent.objects.get(action="user.created")
    assert "password" not in event.after
    assert event.after["username"] == "budi"


def test_set_password_audits_without_the_hash(admin, role_users):
    target = role_users["staff"]
    services.set_password(actor=admin, user=target, password="Sandi-baru-2027!")
    target.refresh_from_db()
    assert target.check_password("Sandi-baru-2027!")
    event = AuditEvent.objects.get(action="user.password_set")
    assert event.before is None and event.after is None


def test_update_user_cannot_deactivate_self(admin):
    with pytest.raises(ValidationError) as excinfo:
        services.update_user(actor=admin, user=admin, username=admin.username, is_active=False)
    assert "is_active" in fields_of(excinfo)
    assert User.objects.get(pk=admin.pk).is_active


def test_update_user_audited(admin, role_users):
    target = role_users["viewer"]
    services.update_user(
        actor=admin, user=target, username=target.username, first_name="Vera", is_active=False
    )
    event = AuditEvent.objects.get(action="user.updated")
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert event.after["first_name"] == "Vera"


def test_add_role_unit_required_exactly_for_unit_roles(admin, role_users, units):
    target = role_users["nobody"]
    with pytest.raises(ValidationError) as excinfo:
        services.add_role(actor=admin, user=target, role=Role.UNIT_OPERATOR)
    assert "unit" in fields_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.add_role(actor=admin, user=target, role=Role.STAFF, unit=units["a"])
    assert "unit" in fields_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.add_role(actor=admin, user=target, role="emperor")
    assert "role" in fields_of(excinfo)
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert not roles.has_role(target, Role.STAFF)  # the cached roles were dropped

    assert roles.assignments(target) == []  # cached on the object
    services.add_role(actor=admin, user=target, role=Role.UNIT_HEAD, unit=units["b"])
    # The cache was dropped: the new role is seen at once.
    assert roles.unit_ids(target) == {units["b"].pk}
    with pytest.raises(ValidationError) as excinfo:
        services.add_role(actor=admin, user=target, role=Role.UNIT_HEAD, unit=units["b"])
    assert "role" in fields_of(excinfo)
    event = AuditEvent.objects.get(action="role.assigned")
    assert event.after == {"user_id": target.pk, "role": "unit_head", "unit_id": units["b"].pk}


def test_admin_cannot_remove_own_admin_role(admin):
    own = RoleAssignment.objects.get(user=admin, role=Role.ADMIN)
    with pytest.raises(ValidationError, match="your own"):
        services.remove_role(actor=admin, assignment=own)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert "role.removed" not in actions()


def test_last_admin_role_stays(admin, make_user):
    other = make_user("second_admin", Role.ADMIN)
    # Another admin may remove the first admin's role while a second admin remains...
    services.remove_role(
        actor=other, assignment=RoleAssignment.objects.get(user=admin, role=Role.ADMIN)
    )
    assert roles.has_role(other, Role.ADMIN)
    # ...but the last admin's role cannot go (here via a system actor, without permission).
    with pytest.raises(ValidationError, match="last active administrator"):
        services.remove_role(
            actor=None,
            assignment=RoleAssignment.objects.get(user=other, role=Role.ADMIN),
            check_permission=False,
        )
    assert actions() == ["role.removed"]


def test_remove_role_forgets_cache(admin, role_users):
    target = role_users["staff"]
    assert roles.has_role(target, Role.STAFF)
    assignment = RoleAssignment.objects.get(user=target)
    assignment.user = target  # the same object whose cache is filled
    services.remove_role(actor=admin, assignment=assignment)
    assert AuditEvent.objects.get(action="role.removed").before["role"] == "staff"
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert not roles.has_role(target, Role.STAFF)  # the cached roles were dropped


# --- Imports ------------------------------------------------------------------------------


def test_import_units_creates_and_updates(admin, units):
    rows = [
        importers.UnitRow(code="E1.A.1", name="Bagian 1", level=3, parent_code="E1.A"),
        importers.UnitRow(code="E1.A", name="Biro A (new name)", level=2, parent_code="E1"),
        importers.UnitRow(code="E1.B", name="Biro B", level=2, parent_code="E1"),
    ]
    counts = services.import_units(actor=admin, rows=rows, source="test.xlsx")
    assert (counts.created, counts.updated, counts.unchanged) == (1, 1, 1)
    assert Unit.objects.get(code="E1.A.1").parent.code == "E1.A"
    assert Unit.objects.get(code="E1.A").name == "Biro A (new name)"
    assert actions() == ["unit.updated", "unit.created", "unit.imported"]
    summary = AuditEvent.objects.get(action="unit.imported")
    assert summary.after == {"created": 1, "updated": 1, "unchanged": 1}


def test_import_units_rechecks_rows(admin, units):
    rows = [importers.UnitRow(code="E9", name="X", level=2, parent_code="NOPE")]
    with pytest.raises(ValidationError, match="NOPE"):
        services.import_units(actor=admin, rows=rows)
    assert not Unit.objects.filter(code="E9").exists()
    assert not audit_events().exists()


def test_import_needs_admin(role_users, units):
    rows = [importers.UnitRow(code="E9", name="X", level=1)]
    with pytest.raises(PermissionDenied):
        services.import_units(actor=role_users["staff"], rows=rows)
    assert not Unit.objects.filter(code="E9").exists()


def test_import_officials(admin, units):
    Official.objects.create(name="Old", nip=NIP, position="Staf", rank="III/a")
    rows = [
        importers.OfficialRow(nip=NIP, name="Old Name", position="Kepala", unit_code="E1.A"),
        importers.OfficialRow(nip="198001012005011002", name="New", position="Staf"),
    ]
    counts = services.import_officials(actor=admin, rows=rows)
    assert (counts.created, counts.updated) == (1, 1)
    updated = Official.objects.get(nip=NIP)
    assert (updated.name, updated.unit, updated.rank) == ("Old Name", units["a"], "")
    assert actions() == ["official.updated", "official.created", "official.imported"]
