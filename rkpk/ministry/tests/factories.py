"""A year ready for the ministry RK-PK: accepted, mapped and compiled unit plans, the
analysis approved, and a cycle whose steps 1–6 are done."""

from rkpk.analysis import services as analysis_services
from rkpk.analysis import services_drafts
from rkpk.analysis.tests.compilation_factories import accepted_plan, map_all, period_with_goals
from rkpk.ministry import services
from rkpk.procedure.tests.factories import cycle_done_through

YEAR = 2027


def ready_for_drafting(role_users, units, *, year: int = YEAR, through: int = 6):
    _period, goals = period_with_goals(year, goals=3)
    for n, key in enumerate(("a", "b")):
        operator = role_users["unit_operator"] if key == "a" else role_users["operator_b"]
        plan = accepted_plan(units[key], role_users["staff"], operator, year=year)
        map_all(plan, goals[n], role_users["staff"])
    cycle = cycle_done_through(through, year=year)
    analysis_services.compile_year(actor=role_users["staff"], year=year)
    draft = services_drafts.create_or_refresh_draft(actor=role_users["staff"], year=year)
    section = draft.sections.first()
    services_drafts.update_section(
        actor=role_users["staff"], section=section, revision=section.revision, text="Analisis."
    )
    services_drafts.submit(actor=role_users["staff"], draft=draft)
    services_drafts.approve(actor=role_users["head_of_bureau"], draft=draft)
    return cycle


def approved_by_deputy(role_users, units, *, year: int = YEAR):
    """The RK-PK drafted, approved by the head of bureau and the deputy (step 10 started)."""
    cycle = ready_for_drafting(role_users, units, year=year)
    plan = services.create_plan(actor=role_users["head_of_section"], cycle=cycle)
    version = services.submit(actor=role_users["head_of_section"], plan=plan)
    services.approve(actor=role_users["head_of_bureau"], plan=plan, version_number=version.number)
    services.approve(actor=role_users["deputy"], plan=plan, version_number=version.number)
    plan.refresh_from_db()
    return plan
