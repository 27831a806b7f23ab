"""PK parties as they really are: the post held for this unit (Plt./Plh. when acting), the
person's own NIP and rank, no NIP line for a minister, and the conformity checks."""

from datetime import date

import pytest

from rkpk.organisation import selectors
from rkpk.organisation.models import Headship, Official, OrganisationProfile
from rkpk.plans import checks
from rkpk.plans.documents import document_context, render_plan_document
from rkpk.plans.models import UnitPlan
from rkpk.plans.snapshot import plan_snapshot

pytestmark = pytest.mark.django_db

ANI_NIP = "197001012000032001"


@pytest.fixture
def org(units):
    OrganisationProfile.objects.create(
        name="Kementerian Contoh",
        short_name="Kemenco",
        minister_title="Menteri Contoh",
        pk_second_party_title="Presiden Republik Indonesia",
        signing_city="Bandung",
    )
    for key, post in (("root", "Sekretaris Uji"), ("a", "Kepala Biro A"), ("b", "Kepala Biro B")):
        units[key].head_position = post
        units[key].save()
    ani = Official.objects.create(
        name="Ani", nip=ANI_NIP, position="Kepala Biro A", rank="Pembina (IV/a)", unit=units["a"]
    )
    budi = Official.objects.create(
        name="Budi", nip="197001012000031002", position="Analis", unit=units["b"]
    )
    citra = Official.objects.create(
        name="Citra", nip="197001012000032003", position="Sekretaris Uji", unit=units["root"]
    )
    minister = Official.objects.create(
        name="Menteri Satu", nip=None, is_state_official=True, position="Menteri Contoh"
    )
    Headship.objects.create(official=ani, unit=units["a"])
    Headship.objects.create(official=citra, unit=units["root"])
    # Ani also acts for Biro B (no definitive head there).
    Headship.objects.create(official=ani, unit=units["b"], kind="Plt", starts_on=date(2020, 1, 1))
    return {"ani": ani, "budi": budi, "citra": citra, "minister": minister, **units}


def _plan(unit, first, second, **fields):
    return UnitPlan.objects.create(
        unit=unit, year=2027, first_party=first, second_party=second, **fields
    )


def _warnings(plan, code):
    result = next(r for r in checks.run_checks(plan_snapshot(plan)) if r["code"] == code)
    assert result["severity"] == checks.WARNING
    return result["problems"]


def test_acting_head_prints_the_post_acted_in_with_own_nip_and_rank(org):
    plan = _plan(org["b"], org["ani"], org["citra"])
    snapshot = plan_snapshot(plan)
    first = snapshot["parties"]["first"]
    assert (first["position"], first["acting"], first["nip"]) == ("Kepala Biro B", "Plt", ANI_NIP)
    assert first["rank"] == "Pembina (IV/a)" and first["own_position"] == "Kepala Biro A"
    pk = document_context(snapshot, doc="pk")["pk"]
    assert pk["first"]["position"] == "Plt. Kepala Biro B"
    assert pk["first"]["nip_line"] == f"NIP. {ANI_NIP}"
    assert pk["second"]["position"] == "Sekretaris Uji"
    # The same person heading her own unit definitively prints her own post there.
    own = document_context(plan_snapshot(_plan(org["a"], org["ani"], org["citra"])), doc="pk")
    assert own["pk"]["first"]["position"] == "Kepala Biro A"
    assert _warnings(plan, "FIRST_PARTY_HEAD") == []
    assert _warnings(plan, "SECOND_PARTY_SUPERIOR") == []


def test_minister_is_printed_without_nip_line(org):
    plan = _plan(org["root"], org["citra"], org["minister"])
    pk = document_context(plan_snapshot(plan), doc="pk")["pk"]
    assert pk["second"]["position"] == "Menteri Contoh"
    assert pk["second"]["name"] == "Menteri Satu"
    assert pk["second"]["nip_line"] == ""
    assert pk["first"]["nip_line"] == "NIP. 197001012000032003"
    data = render_plan_document(plan, doc="pk", fmt="docx")
    from rkpk.plans.tests.test_documents import docx_xml

    xml = docx_xml(data)
    assert "000000000000000000" not in xml
    assert xml.count("NIP. ") == 2  # the first party's, on the statement page and attachment
    assert _warnings(plan, "SECOND_PARTY_SUPERIOR") == []
    assert _warnings(plan, "FIRST_PARTY_HEAD") == []


def test_statement_body_drops_the_nip_line_of_a_party_without_nip(org):
    from rkpk.plans.documents import statement_blocks

    body = "Nama: {second_name}\nNIP: {second_nip}\nJabatan: {second_position}"
    values = {
        k: "" for k in ("year", "unit", "first_name", "first_position", "first_nip", "second_nip")
    }
    values.update(second_name="Menteri Satu", second_position="Menteri Contoh")
    lines = statement_blocks(body, values)[0]
    assert [line["label"] for line in lines] == ["Nama", "Jabatan"]


def test_warning_names_who_is_recorded_as_first_party(org):
    plan = _plan(org["b"], org["budi"], org["citra"])
    problems = _warnings(plan, "FIRST_PARTY_HEAD")
    assert len(problems) == 1
    assert "Budi" in problems[0] and "Plt. Kepala Biro B: Ani" in problems[0]
    # A warning, not an error: the plan may still be submitted.
    assert not any(
        r["code"] == "FIRST_PARTY_HEAD"
        for r in checks.blocking(checks.run_checks(plan_snapshot(plan)))
    )


def test_acting_headship_outside_the_signing_date_does_not_count(org):
    Headship.objects.filter(unit=org["b"]).update(ends_on=date(2020, 12, 31))
    plan = _plan(org["b"], org["ani"], org["citra"])
    problems = _warnings(plan, "FIRST_PARTY_HEAD")
    assert problems and "No head of this unit is recorded" in problems[0]
    assert plan_snapshot(plan)["parties"]["first"]["acting"] == ""


def test_warning_names_the_expected_second_party(org):
    # Biro B's superior is the head of the parent unit, not the minister.
    problems = _warnings(_plan(org["b"], org["ani"], org["minister"]), "SECOND_PARTY_SUPERIOR")
    assert len(problems) == 1 and "Sekretaris Uji: Citra" in problems[0]
    # A unit directly under the minister: the minister is expected.
    problems = _warnings(_plan(org["root"], org["citra"], org["ani"]), "SECOND_PARTY_SUPERIOR")
    assert len(problems) == 1 and "Menteri Contoh: Menteri Satu" in problems[0]


def test_acting_head_of_the_parent_is_the_expected_second_party(org, units):
    Headship.objects.create(
        official=org["budi"], unit=units["root"], kind="Plh", starts_on=date(2020, 1, 1)
    )
    plan = _plan(org["a"], org["ani"], org["budi"])
    snapshot = plan_snapshot(plan)
    assert snapshot["parties"]["second"]["acting"] == "Plh"
    assert document_context(snapshot, doc="pk")["pk"]["second"]["position"] == "Plh. Sekretaris Uji"
    assert _warnings(plan, "SECOND_PARTY_SUPERIOR") == []


def test_party_defaults_follow_the_headships(org):
    first, second = selectors.pk_parties(org["b"])
    assert (first.official, first.acting, first.printed_post) == (
        org["ani"],
        "Plt",
        "Plt. Kepala Biro B",
    )
    assert second.official == org["citra"]
    first, second = selectors.pk_parties(org["root"])
    assert second.official == org["minister"] and second.unit is None
    assert second.printed_post == "Menteri Contoh"


def test_editor_defaults_to_the_acting_head_from_another_unit(org, role_users, client):
    """Unit B's operator is offered Ani (Plt., from unit A) as first party, marked Plt."""
    from django.urls import reverse

    plan = UnitPlan.objects.create(unit=org["b"], year=2027)
    client.force_login(role_users["operator_b"])
    response = client.get(
        reverse("plans:editor_parties_edit", args=["E1.B", 2027]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200, response.status_code
    form = response.content.decode()
    assert f'<option value="{org["ani"].pk}" selected>' in form
    assert f'<option value="{org["citra"].pk}" selected>' in form
    assert '<option value="Plt" selected>' in form
    assert plan.first_party_id is None


def test_plan_page_shows_the_post_the_pk_prints(org, role_users, client):
    """Biro B's plan page names Ani with the post acted in (as its PK), her own post aside."""
    from django.urls import reverse

    _plan(org["b"], org["ani"], org["citra"], first_party_acting="Plt")
    client.force_login(role_users["operator_b"])
    page = client.get(reverse("plans:plan_detail", args=["E1.B", 2027])).content.decode()
    first = page.split('data-party="first">', 1)[1].split("</dd>", 1)[0]
    assert "Plt. Kepala Biro B" in first
    assert "Kepala Biro A" in first.split("Plt. Kepala Biro B", 1)[1]  # own post, after
    second = page.split('data-party="second">', 1)[1].split("</dd>", 1)[0]
    assert "Sekretaris Uji" in second and "own post" not in second
    # The parties fragment (htmx) shows the same.
    fragment = client.get(
        reverse("plans:editor_parties", args=["E1.B", 2027]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Plt. Kepala Biro B" in fragment
