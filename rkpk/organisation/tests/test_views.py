import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rkpk.core.models import AuditEvent
from rkpk.core.tests.role_matrix import row
from rkpk.organisation.models import Official, Role, RoleAssignment, Unit, User
from rkpk.organisation.tests.helpers import (
    OFFICIAL_TEMPLATE_HEADER,
    UNIT_HEADER,
    actions,
    audit_events,
    xlsx_file,
)

ALL_USERS = [r.value for r in Role] + ["operator_b", "nobody"]
NIP_A = "197001011990031001"
NIP_B = "198002022005012002"
NEW_PASSWORD = "Sandi-baru-2026!"


@pytest.fixture
def officials(units):
    return {
        "a": Official.objects.create(
            name="Ani Kepala", nip=NIP_A, position="Kepala Biro A", unit=units["a"]
        ),
        "b": Official.objects.create(
            name="Bambang Staf", nip=NIP_B, position="Analis", unit=units["b"]
        ),
    }


def admin_only_pages(units, role_users):
    unit, user = units["a"], role_users["staff"]
    assignment = RoleAssignment.objects.get(user=user)
    return [
        ("organisation:unit_create", ()),
        ("organisation:unit_edit", (unit.pk,)),
        ("organisation:official_create", ()),
        ("organisation:user_list", ()),
        ("organisation:user_create", ()),
        ("organisation:user_edit", (user.pk,)),
        ("organisation:import", ()),
        ("organisation:import_template", ("units",)),
        ("organisation:export", ("officials",)),
        # POST-only: a GET is refused too (405 for admin, 403 for the others)
        ("organisation:unit_deactivate", (unit.pk,)),
        ("organisation:role_remove", (assignment.pk,)),
    ]


# --- Permissions for every role -----------------------------------------------------------


def test_only_admin_reaches_the_management_pages(role_users, units, role_matrix):
    post_only = ("organisation:unit_deactivate", "organisation:role_remove")
    role_matrix(
        [
            row(name, *args, exact={"admin": 405 if name in post_only else 200})
            for name, args in admin_only_pages(units, role_users)
        ]
    )


@pytest.mark.parametrize("who", ALL_USERS)
def test_only_admin_writes_through_the_pages(role_matrix, role_users, units, officials, who):
    staff = role_users["staff"]
    # (name, args, data); the import's file is built for each request (a file is read once).
    posts = [
        ("organisation:unit_create", (), {"code": "NEW", "name": "New", "level": 1}),
        (
            "organisation:unit_edit",
            (units["b"].pk,),
            {"code": "E1.B", "name": "Hacked", "level": 2, "parent": units["root"].pk},
        ),
        ("organisation:unit_deactivate", (units["b"].pk,), {}),
        (
            "organisation:official_create",
            (),
            {"name": "X", "nip": "199001012015011003", "position": "Staf"},
        ),
        (
            "organisation:official_edit",
            (officials["b"].pk,),
            {"name": "Hacked", "nip": NIP_B, "position": "Analis", "is_active": "on"},
        ),
        (
            "organisation:user_create",
            (),
            {"username": "x1", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        ),
        ("organisation:role_add", (staff.pk,), {"role": Role.VIEWER}),
        ("organisation:role_remove", (RoleAssignment.objects.get(user=staff).pk,), {}),
        (
            "organisation:user_password",
            (staff.pk,),
            {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        ),
        (
            "organisation:import",
            (),
            lambda code: {
                "kind": "units",
                "file": xlsx_file([UNIT_HEADER, ["IMP", "I", "", 1, "", ""]]),
            },
        ),
    ]
    # One user per run: every run starts from the same units, officials and users.
    role_matrix(
        [
            row(name, *args, method="post", data=data, exact={"admin": 302})
            for name, args, data in posts
        ],
        users={who: role_users[who]},
    )
    written = set(actions())
    if who == "admin":
        assert {
            "unit.created",
            "unit.updated",
            "unit.deactivated",
            "official.created",
            "official.updated",
            "user.created",
            "role.assigned",
            "role.removed",
            "user.password_set",
            "unit.imported",
        } <= written
    else:
        assert written == set()
        assert not Unit.objects.filter(code__in=["NEW", "IMP"]).exists()
        assert Unit.objects.get(pk=units["b"].pk).name == "Biro B"
        assert Official.objects.get(pk=officials["b"].pk).name == "Bambang Staf"


def test_lists_need_a_role(units, role_matrix):
    outcomes = {"other": 200, "refused": ["nobody"]}
    role_matrix(
        [
            row("organisation:unit_list", **outcomes),
            row("organisation:official_list", **outcomes),
            row("organisation:unit_detail", units["a"].pk, **outcomes),
        ]
    )


def test_anonymous_is_sent_to_login(client, units):
    response = client.get(reverse("organisation:unit_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


OWN_UNIT = {"unit_operator": "a", "unit_head": "a", "operator_b": "b"}


@pytest.mark.parametrize("who", [w for w in ALL_USERS if w != "nobody"])
def test_officials_list_is_filtered_by_what_the_user_may_see(client, role_users, officials, who):
    client.force_login(role_users[who])
    listed = {o.nip for o in client.get(reverse("organisation:official_list")).context["page"]}
    if who in OWN_UNIT:
        assert listed == {officials[OWN_UNIT[who]].nip}
    else:
        assert listed == {NIP_A, NIP_B}


def test_unit_detail_hides_other_units_people_from_unit_roles(client, role_users, officials, units):
    client.force_login(role_users["unit_operator"])  # unit A
    own = client.get(reverse("organisation:unit_detail", args=[units["a"].pk]))
    assert "Ani Kepala" in own.content.decode()
    assert "u_unit_head" in own.content.decode()  # role holder of unit A
    other = client.get(reverse("organisation:unit_detail", args=[units["b"].pk]))
    assert "Bambang Staf" not in other.content.decode()
    assert "u_operator_b" not in other.content.decode()


# --- Units --------------------------------------------------------------------------------


def test_unit_list_shows_tree_with_heads(admin_client, units, officials):
    Unit.objects.filter(pk=units["a"].pk).update(head_position="Kepala Biro A")
    response = admin_client.get(reverse("organisation:unit_list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.unit.code, r.depth) for r in rows] == [("E1", 0), ("E1.A", 1), ("E1.B", 1)]
    assert rows[1].head == officials["a"]
    html = response.content.decode()
    assert "Ani Kepala" in html and "Kepala Biro A" in html and "Echelon II" in html


def test_unit_head_must_be_active_and_hold_the_head_position(admin_client, units, officials):
    Unit.objects.filter(pk=units["a"].pk).update(head_position="Kepala Biro A")
    Official.objects.filter(pk=officials["a"].pk).update(is_active=False)
    rows = admin_client.get(reverse("organisation:unit_list")).context["rows"]
    assert rows[1].head is None


def test_unit_search_keeps_ancestors_for_context(admin_client, units):
    response = admin_client.get(reverse("organisation:unit_list"), {"q": "biro b"})
    rows = response.context["rows"]
    assert [(r.unit.code, r.context_only) for r in rows] == [("E1", True), ("E1.B", False)]
    response = admin_client.get(reverse("organisation:unit_list"), {"q": "e1.a"})
    assert [r.unit.code for r in response.context["rows"]] == ["E1", "E1.A"]
    response = admin_client.get(reverse("organisation:unit_list"), {"q": "nothing-like-it"})
    assert response.context["rows"] == []
    assert "No units match." in response.content.decode()


def test_deactivated_units_hidden_unless_asked(admin_client, units):
    Unit.objects.filter(pk=units["b"].pk).update(is_active=False)
    codes = [
        r.unit.code for r in admin_client.get(reverse("organisation:unit_list")).context["rows"]
    ]
    assert codes == ["E1", "E1.A"]
    response = admin_client.get(reverse("organisation:unit_list"), {"inactive": "on"})
    assert [r.unit.code for r in response.context["rows"]] == ["E1", "E1.A", "E1.B"]


def test_unit_detail_page(admin_client, units, officials, role_users):
    response = admin_client.get(reverse("organisation:unit_detail", args=[units["a"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sekretariat Uji" in html  # parent
    assert "Ani Kepala" in html  # official
    assert "u_unit_operator" in html and "u_unit_head" in html  # role holders
    assert 'data-confirm="' in html and "unit_deactivate" not in html
    assert reverse("organisation:unit_deactivate", args=[units["a"].pk]) in html
    # Not deletable (officials and role holders): no delete button.
    assert reverse("organisation:unit_delete", args=[units["a"].pk]) not in html
    root = admin_client.get(reverse("organisation:unit_detail", args=[units["root"].pk]))
    assert "Biro A" in root.content.decode() and "Biro B" in root.content.decode()  # children


def test_create_unit_through_the_form(admin_client, units):
    url = reverse("organisation:unit_create")
    page = admin_client.get(url, {"parent": units["a"].pk})
    assert page.context["form"].initial == {"parent": units["a"].pk, "level": 3}
    response = admin_client.post(
        url,
        {
            "code": "E1.A.1",
            "name": "Bagian Satu",
            "level": 3,
            "parent": units["a"].pk,
            "head_position": "Kepala Bagian",
        },
    )
    unit = Unit.objects.get(code="E1.A.1")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:unit_detail", args=[unit.pk])
    assert unit.parent == units["a"] and unit.level == 3
    assert actions() == ["unit.created"]


def test_create_unit_errors_are_shown_on_their_fields(admin_client, units):
    response = admin_client.post(
        reverse("organisation:unit_create"),
        {"code": "E1.A", "name": "Twin", "level": 1, "parent": units["a"].pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["code"]  # duplicate
    assert form.errors["parent"]  # level 2 parent for a level 1 unit
    assert Unit.objects.count() == 3
    assert not audit_events().exists()


def test_edit_unit_cannot_choose_own_descendant_as_parent(admin_client, units):
    form = admin_client.get(reverse("organisation:unit_edit", args=[units["root"].pk])).context[
        "form"
    ]
    assert set(form.fields["parent"].queryset) == set()  # A and B are below, root is itself
    response = admin_client.post(
        reverse("organisation:unit_edit", args=[units["root"].pk]),
        {"code": "E1", "name": "Root", "level": 1, "parent": units["a"].pk},
    )
    assert response.context["form"].errors["parent"]
    assert Unit.objects.get(pk=units["root"].pk).parent is None


def test_edit_unit(admin_client, units):
    response = admin_client.post(
        reverse("organisation:unit_edit", args=[units["b"].pk]),
        {"code": "E1.B", "name": "Biro Bersih", "level": 2, "parent": units["root"].pk},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=units["b"].pk).name == "Biro Bersih"
    event = AuditEvent.objects.get(action="unit.updated")
    assert (event.before["name"], event.after["name"]) == ("Biro B", "Biro Bersih")


def test_deactivate_activate_and_delete(admin_client, units):
    response = admin_client.post(
        reverse("organisation:unit_deactivate", args=[units["root"].pk]), follow=True
    )
    assert "and 2 sub-units deactivated" in response.content.decode()
    assert not Unit.objects.filter(is_active=True).exists()
    response = admin_client.post(
        reverse("organisation:unit_activate", args=[units["a"].pk]), follow=True
    )
    assert "Activate the parent unit E1 first" in response.content.decode()
    admin_client.post(reverse("organisation:unit_activate", args=[units["root"].pk]))
    assert Unit.objects.get(pk=units["root"].pk).is_active
    # The root has sub-units: deleting is refused with a message, nothing is lost.
    response = admin_client.post(
        reverse("organisation:unit_delete", args=[units["root"].pk]), follow=True
    )
    assert "cannot be deleted" in response.content.decode()
    assert Unit.objects.count() == 3
    # A unit with nothing hanging from it can be deleted.
    empty = Unit.objects.create(code="E2", name="Empty", level=1)
    page = admin_client.get(reverse("organisation:unit_detail", args=[empty.pk]))
    assert reverse("organisation:unit_delete", args=[empty.pk]) in page.content.decode()
    admin_client.post(reverse("organisation:unit_delete", args=[empty.pk]))
    assert not Unit.objects.filter(pk=empty.pk).exists()
    assert actions().count("unit.deactivated") == 3
    assert actions()[-1] == "unit.deleted"


# --- Officials ----------------------------------------------------------------------------


def test_official_list_search_and_filter(admin_client, officials, units):
    url = reverse("organisation:official_list")

    def names(**params):
        return [o.name for o in admin_client.get(url, params).context["page"]]

    assert names() == ["Ani Kepala", "Bambang Staf"]
    assert names(q="bambang") == ["Bambang Staf"]
    assert names(q=NIP_A[:10]) == ["Ani Kepala"]
    assert names(q="analis") == ["Bambang Staf"]
    assert names(unit=units["a"].pk) == ["Ani Kepala"]
    assert names(unit=units["root"].pk) == ["Ani Kepala", "Bambang Staf"]  # sub-units included
    Official.objects.filter(pk=officials["b"].pk).update(is_active=False)
    assert names(status="inactive") == ["Bambang Staf"]
    assert names(status="active") == ["Ani Kepala"]
    response = admin_client.get(url, {"q": "nobody at all"})
    assert "No officials match." in response.content.decode()


def test_official_list_paginates_50(admin_client, units):
    Official.objects.bulk_create(
        Official(name=f"Pegawai {i:03}", nip=f"{199000000000000000 + i}", position="Staf")
        for i in range(55)
    )
    first = admin_client.get(reverse("organisation:official_list"))
    assert len(first.context["page"].object_list) == 50
    second = admin_client.get(reverse("organisation:official_list"), {"page": 2, "q": "pegawai"})
    assert len(second.context["page"].object_list) == 5
    assert 'href="?q=pegawai&page=1"' in second.content.decode()


def test_create_and_edit_official(admin_client, units):
    response = admin_client.post(
        reverse("organisation:official_create"),
        {
            "name": "Citra",
            "nip": "199001012015012003",
            "position": "Analis",
            "rank": "III/a",
            "unit": units["a"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    official = Official.objects.get(nip="199001012015012003")
    response = admin_client.post(
        reverse("organisation:official_edit", args=[official.pk]),
        {"name": "Citra", "nip": "12", "position": "Analis"},
    )
    assert response.context["form"].errors["nip"]
    admin_client.post(
        reverse("organisation:official_edit", args=[official.pk]),
        {"name": "Citra", "nip": official.nip, "position": "Kepala", "unit": units["b"].pk},
    )
    official.refresh_from_db()
    assert (official.position, official.unit, official.is_active) == ("Kepala", units["b"], False)
    assert actions() == ["official.created", "official.updated"]


# --- Users and roles ----------------------------------------------------------------------


def test_user_list_search_and_roles(admin_client, role_users):
    response = admin_client.get(reverse("organisation:user_list"))
    html = response.content.decode()
    assert "u_unit_operator" in html and "Unit operator · E1.A" in html
    found = admin_client.get(reverse("organisation:user_list"), {"q": "head_of"})
    assert [u.username for u in found.context["page"]] == ["u_head_of_bureau", "u_head_of_section"]
    by_role = admin_client.get(reverse("organisation:user_list"), {"role": Role.UNIT_OPERATOR})
    assert [u.username for u in by_role.context["page"]] == ["u_operator_b", "u_unit_operator"]


def test_create_user_checks_the_two_passwords(admin_client, role_users):
    url = reverse("organisation:user_create")
    response = admin_client.post(
        url, {"username": "dewi", "password": NEW_PASSWORD, "password_confirm": "other"}
    )
    assert response.context["form"].errors["password_confirm"]
    response = admin_client.post(
        url, {"username": "dewi", "password": "dewi12", "password_confirm": "dewi12"}
    )
    assert response.context["form"].errors["password"]  # Django's validators: too short etc.
    assert not User.objects.filter(username="dewi").exists()
    response = admin_client.post(
        url,
        {
            "username": "dewi",
            "first_name": "Dewi",
            "email": "dewi@example.org",
            "is_active": "on",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    dewi = User.objects.get(username="dewi")
    assert response["Location"] == reverse("organisation:user_edit", args=[dewi.pk])
    assert dewi.check_password(NEW_PASSWORD) and dewi.is_active
    assert actions() == ["user.created"]


def test_edit_user_and_password(admin_client, role_users, officials):
    target = role_users["viewer"]
    page = admin_client.get(reverse("organisation:user_edit", args=[target.pk]))
    assert page.status_code == 200
    admin_client.post(
        reverse("organisation:user_edit", args=[target.pk]),
        {"username": target.username, "last_name": "Lihat", "official": officials["a"].pk},
    )
    target.refresh_from_db()
    assert target.last_name == "Lihat" and target.official == officials["a"]
    assert not target.is_active  # unchecked box
    response = admin_client.post(
        reverse("organisation:user_password", args=[target.pk]),
        {"password": "short", "password_confirm": "short"},
    )
    assert response.status_code == 200 and response.context["password_form"].errors["password"]
    admin_client.post(
        reverse("organisation:user_password", args=[target.pk]),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    assert actions() == ["user.updated", "user.password_set"]


def test_add_and_remove_roles(admin_client, role_users, units):
    target = role_users["nobody"]
    url = reverse("organisation:role_add", args=[target.pk])
    response = admin_client.post(url, {"role": Role.UNIT_HEAD})
    assert response.status_code == 200 and response.context["role_form"].errors["unit"]
    response = admin_client.post(url, {"role": Role.DEPUTY, "unit": units["a"].pk})
    assert response.context["role_form"].errors["unit"]
    assert not RoleAssignment.objects.filter(user=target).exists()
    admin_client.post(url, {"role": Role.UNIT_HEAD, "unit": units["b"].pk})
    assignment = RoleAssignment.objects.get(user=target)
    assert (assignment.role, assignment.unit) == (Role.UNIT_HEAD, units["b"])
    page = admin_client.get(reverse("organisation:user_edit", args=[target.pk]))
    assert reverse("organisation:role_remove", args=[assignment.pk]) in page.content.decode()
    assert "data-confirm=" in page.content.decode()
    admin_client.post(reverse("organisation:role_remove", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert actions() == ["role.assigned", "role.removed"]


def test_admin_cannot_remove_own_admin_role_through_the_page(admin_client, admin):
    own = RoleAssignment.objects.get(user=admin, role=Role.ADMIN)
    response = admin_client.post(reverse("organisation:role_remove", args=[own.pk]), follow=True)
    assert "your own administrator role" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_admin_cannot_deactivate_own_account(admin_client, admin):
    response = admin_client.post(
        reverse("organisation:user_edit", args=[admin.pk]), {"username": admin.username}
    )
    assert response.context["form"].errors["is_active"]
    assert User.objects.get(pk=admin.pk).is_active


# --- Import page and files ----------------------------------------------------------------


def test_import_page_renders(admin_client):
    response = admin_client.get(reverse("organisation:import"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert reverse("organisation:import_template", args=["units"]) in html


@pytest.mark.parametrize(
    ("kind", "header"), [("units", UNIT_HEADER), ("officials", OFFICIAL_TEMPLATE_HEADER)]
)
def test_template_download(admin_client, kind, header):
    response = admin_client.get(reverse("organisation:import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == header
    assert sheet.max_row == 1


def test_export_current_units(admin_client, units):
    response = admin_client.get(reverse("organisation:export", args=["units"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["E1", "E1.A", "E1.B"]
    assert rows[1][4] == "E1"


def test_unknown_template_kind_is_404(admin_client):
    assert admin_client.get("/organisation/import/template/users.xlsx").status_code == 404


# --- Every page renders -------------------------------------------------------------------


def test_every_page_renders_for_admin(admin_client, units, officials, role_users):
    pages = [
        reverse("organisation:unit_list"),
        reverse("organisation:unit_list") + "?q=biro&inactive=on",
        reverse("organisation:unit_detail", args=[units["a"].pk]),
        reverse("organisation:unit_create"),
        reverse("organisation:unit_edit", args=[units["a"].pk]),
        reverse("organisation:official_list"),
        reverse("organisation:official_create"),
        reverse("organisation:official_edit", args=[officials["a"].pk]),
        reverse("organisation:user_list"),
        reverse("organisation:user_create"),
        reverse("organisation:user_edit", args=[role_users["unit_head"].pk]),
        reverse("organisation:import"),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>" not in html and "<style" not in html, url


# --- Queries do not grow with the rows ----------------------------------------------------


def make_units(root, count):
    Unit.objects.bulk_create(
        Unit(code=f"Q{i:03}", name=f"Unit {i}", level=2, parent=root, head_position=f"Head {i}")
        for i in range(count)
    )
    Official.objects.bulk_create(
        Official(
            name=f"Head {i}",
            nip=f"{196000000000000000 + i}",
            position=f"Head {i}",
            unit=unit,
        )
        for i, unit in enumerate(Unit.objects.filter(code__startswith="Q").order_by("code"))
    )


def make_users(units, count):
    for i in range(count):
        user = User.objects.create(username=f"q{i:03}")
        RoleAssignment.objects.create(user=user, role=Role.UNIT_OPERATOR, unit=units["a"])
        RoleAssignment.objects.create(user=user, role=Role.VIEWER)


@pytest.mark.parametrize("count", [5, 60])
def test_unit_list_queries_do_not_grow(admin_client, units, count, django_assert_max_num_queries):
    make_units(units["root"], count)
    with django_assert_max_num_queries(7):  # +1: the headships
        response = admin_client.get(reverse("organisation:unit_list"))
        assert response.status_code == 200
    assert len(response.context["rows"]) == count + 3
    assert all(r.head is not None for r in response.context["rows"] if r.unit.code[0] == "Q")


@pytest.mark.parametrize("count", [5, 60])
def test_official_list_queries_do_not_grow(
    admin_client, units, count, django_assert_max_num_queries
):
    make_units(units["root"], count)
    with django_assert_max_num_queries(8):  # +1: the posts headed
        response = admin_client.get(reverse("organisation:official_list"))
        assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 50)


@pytest.mark.parametrize("count", [5, 60])
def test_user_list_queries_do_not_grow(admin_client, units, count, django_assert_max_num_queries):
    make_users(units, count)
    with django_assert_max_num_queries(7):
        response = admin_client.get(reverse("organisation:user_list"))
        assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count + 12, 50)
    assert "Unit operator · E1.A" in response.content.decode()


def test_export_neutralises_formula_injection(admin_client, units):
    import io

    import openpyxl

    units["b"].name = "=cmd|' /C calc'!A0"
    units["b"].save()
    response = admin_client.get(reverse("organisation:export", args=["units"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0" in names
