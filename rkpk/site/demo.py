"""What `rkpk seed_demo` loads for a demo organisation beyond its own records (which
rkpk.organisation.demo_orgs loads): its example strategic goals, its reference-list
entries and its plans, each from the app that owns them."""

from rkpk.analysis.demo import load_demo_goals
from rkpk.analysis.demo_indicators import load_demo_ministry_indicators
from rkpk.analysis.demo_kelautan import load_goals as load_kelautan_goals
from rkpk.organisation import demo_orgs
from rkpk.organisation.demo_orgs import DemoOrganisation, setneg
from rkpk.organisation.models import Unit
from rkpk.plans import demo as plans_demo
from rkpk.plans import demo_kelautan as plans_kelautan


def _setneg_goals() -> dict:
    return {"goals": load_demo_goals(), "indicators": load_demo_ministry_indicators()}


def _setneg_plans(*, years: list[int], submitter, reviewer) -> int:
    codes = demo_orgs.get("setneg").unit_codes
    return plans_demo.generate(
        units=list(Unit.objects.filter(level__lte=2, is_active=True, code__in=codes)),
        indicators=8,
        years=years,
        submitter=submitter,
        reviewer=reviewer,
        states=setneg.PLAN_STATES,
    )


def _kelautan_goals() -> dict:
    plans_kelautan.add_measures()  # the satuan of its indicators are on the list first
    return load_kelautan_goals()


GOALS = {"setneg": _setneg_goals, "kelautan": _kelautan_goals}
PLANS = {"setneg": _setneg_plans, "kelautan": plans_kelautan.load_plans}


def load_goals(demo: DemoOrganisation) -> dict:
    """The demo's example strategic goals (and what they need first). Returns counts."""
    return GOALS[demo.name]()


def load_plans(demo: DemoOrganisation, *, years: list[int], submitter, reviewer) -> int:
    """The demo's unit plans for `years`, submitted and reviewed as the demo says. Returns
    how many plans were made."""
    return PLANS[demo.name](years=years, submitter=submitter, reviewer=reviewer)
