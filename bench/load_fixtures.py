"""Data the load benchmark's heavier pages need, made through the app's services on a
seeded database (`seed_demo --units 200 --indicators 50 --years 2`, the `loadseed` copy).

The seed stops at step 3 of the year's cycle: nothing is mapped or compiled, there is no
ministry RK-PK and no issued letter, so the compilation pages are empty, /ministry/<year>/
is a 404 and /verify/ has no token. Each function below brings its page to life (at most
once: a second call finds what the first made) and returns the page's URL path. Run them
inside a configured Django process (DJANGO_SETTINGS_MODULE and DATABASE_URL set, after
django.setup()), e.g.

    from bench import load_fixtures
    path = load_fixtures.prepare_compilation(2027)

They write to the database: run them on a copy, never on a shared template database.
"""

from itertools import cycle

from django.db import transaction

YEAR = 2027


def _user(username: str):
    from rkpk.organisation.models import User

    return User.objects.get(username=username)


def _map_accepted_indicators(year: int, actor) -> None:
    """Every unmapped indicator of the year's accepted plans mapped to a goal of the
    year's Renstra period (the units spread over the goals), as an analyst accepting the
    suggestions would."""
    from rkpk.analysis import selectors
    from rkpk.analysis.services_mapping import accept_suggestions
    from rkpk.plans.models import Indicator, UnitPlan

    period = selectors.period_for_year(year)
    if period is None:
        raise RuntimeError(f"No Renstra period covers {year}: seed the demo goals first.")
    goals = cycle(list(selectors.goals_of(period).values_list("pk", flat=True)))
    unmapped = (
        Indicator.objects.filter(
            plan__year=year, plan__status=UnitPlan.Status.ACCEPTED, mapping__isnull=True
        )
        .order_by("plan__unit_id", "id")
        .values_list("pk", "plan__unit_id")
    )
    items, goal_of_unit = [], {}
    for pk, unit_id in unmapped:
        if unit_id not in goal_of_unit:
            goal_of_unit[unit_id] = next(goals)
        items.append((pk, goal_of_unit[unit_id], None))
    for start in range(0, len(items), 500):
        accept_suggestions(actor=actor, items=items[start : start + 500])


def prepare_compilation(year: int = YEAR) -> str:
    """The year's accepted indicators mapped and compiled (version 1); returns the
    compilation's page (its goals, units and figures). The coverage page of the same
    version is `/analysis/compilations/<year>/coverage/`, the versions' list
    `/analysis/compilations/<year>/`."""
    from rkpk.analysis import selectors, services

    version = selectors.latest_compilation(year)
    if version is None:
        staff = _user("staf")
        _map_accepted_indicators(year, staff)
        version = services.compile_year(actor=staff, year=year)
    return f"/analysis/compilations/{year}/v{version.number}/"


def _complete_steps(year: int, through: int) -> None:
    """The year's cycle moved on until its steps 1..`through` are done, each step by a
    demo user of a role responsible for it."""
    from rkpk.procedure import services as procedure
    from rkpk.procedure.models import CycleStep

    movers = [_user(name) for name in ("staf", "kabag", "karo", "deputi", "menteri", "biroumum")]
    steps = CycleStep.objects.filter(cycle__year=year, number__lte=through).order_by("number")
    for step in steps.select_related("standard_step", "cycle"):
        if step.status == CycleStep.Status.DONE:
            continue
        actor = next(u for u in movers if u.has_perm("procedure.act_on_step", step))
        procedure.complete_step(
            actor=actor, cycle=step.cycle, number=step.number, reason="Load benchmark"
        )


def _approve_analysis(year: int) -> None:
    from rkpk.analysis import selectors, services_drafts
    from rkpk.analysis.models import AnalysisDraft

    draft = selectors.draft_of(year)
    if draft is not None and draft.status == AnalysisDraft.Status.APPROVED:
        return
    _complete_steps(year, through=4)
    staff = _user("staf")
    if draft is None or draft.status != AnalysisDraft.Status.SUBMITTED:
        draft = services_drafts.create_or_refresh_draft(actor=staff, year=year)
        section = draft.sections.first()
        services_drafts.update_section(
            actor=staff, section=section, revision=section.revision, text="Analisis beban."
        )
        services_drafts.submit(actor=staff, draft=draft)
    services_drafts.approve(actor=_user("karo"), draft=draft)


def prepare_ministry_plan(year: int = YEAR) -> str:
    """The ministry RK-PK of the year drafted from the compilation and the approved
    analysis, and submitted by the head of section (waiting on the head of bureau's
    review); returns its page, /ministry/<year>/."""
    from rkpk.ministry import services
    from rkpk.ministry.models import MinistryPlan
    from rkpk.procedure.models import Cycle

    if not MinistryPlan.objects.filter(year=year).exists():
        prepare_compilation(year)
        _approve_analysis(year)
        _complete_steps(year, through=6)
        head_of_section = _user("kabag")
        plan = services.create_plan(actor=head_of_section, cycle=Cycle.objects.get(year=year))
        services.submit(actor=head_of_section, plan=plan)
    return f"/ministry/{year}/"


def prepare_verification() -> str:
    """A memorandum drafted from the step-1 template, signed by its signer's role and
    registered (its sealed PDF issued); returns its public verification page,
    /verify/<token>/."""
    from rkpk.correspondence import services
    from rkpk.correspondence.models import Document, LetterTemplate
    from rkpk.correspondence.verification import issued_documents

    document = issued_documents().order_by("pk").first()
    if document is None:
        staff = _user("staf")
        template = LetterTemplate.objects.get(key="step1-call-for-submissions")
        with transaction.atomic():
            document = services.create_from_template(
                actor=staff,
                template=template,
                values={"year": YEAR, "cycle": f"Siklus {YEAR}", "deadline": "29 Januari 2027"},
                addressee="Para Kepala Satuan Organisasi",
                copies="1. Sekretaris",
            )
        signer = {"deputy": "deputi", "head_of_bureau": "karo", "minister": "menteri"}
        if document.requires_review:
            services.send_for_review(actor=staff, document=document)
            services.review(actor=_user("karo"), document=document, approve=True)
        document = services.sign(actor=_user(signer[document.signer_role]), document=document)
        document = services.register(actor=staff, document=document)
        document = Document.objects.get(pk=document.pk)
    return f"/verify/{document.verification_token}/"
