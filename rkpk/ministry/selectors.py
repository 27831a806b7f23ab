"""Reads of the ministry RK-PK: who sees which plan, what the plan page shows (the steps
7–13, the content with its comments at their anchors, the memoranda, the final documents)
and the comparison of two versions. Every function reads in a fixed number of queries,
whatever the number of sections, rows, comments or versions."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.analysis.models import Compilation
from rkpk.core.cache import cached
from rkpk.ministry import services
from rkpk.ministry.models import FinalDocument, MinistryPlan, PlanVersion, ReviewComment
from rkpk.ministry.tables import generate_tables
from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.plans.diff import word_diff
from rkpk.procedure.models import Cycle, CycleStep

Status = MinistryPlan.Status
STEPS = range(7, 14)
# --- Who sees what ----------------------------------------------------------------------------


def sees_drafts(user) -> bool:
    """The bureau and the leadership (or someone acting for a leader today) follow the
    draft, its reviews and the signature; everyone else waits for the publication."""
    return user.is_authenticated and user.has_perm("ministry.view_drafts")


def plans_for(user):
    """The plans the user may open: all of them for the bureau and the leadership, the
    published ones for everyone else signed in."""
    # The compilation's number is shown; its content (megabytes) is read only through
    # compilation_tables, or when a service needs it.
    plans = MinistryPlan.objects.select_related("cycle", "compilation").defer("compilation__data")
    if sees_drafts(user):
        return plans
    if not user.is_authenticated:
        return plans.none()
    return plans.filter(status=Status.PUBLISHED)


def get_plan(user, year: int) -> MinistryPlan:
    """The plan if the user may see it; 404 otherwise (its existence is not revealed)."""
    plan = plans_for(user).filter(year=year).first()
    if plan is None:
        raise Http404
    return plan


def get_version(plan: MinistryPlan, number: int) -> PlanVersion:
    version = (
        plan.versions.select_related("submitted_by", "bureau_by", "deputy_by")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise Http404
    return version


def final_document(user, plan: MinistryPlan, kind: str) -> FinalDocument:
    """A signed PDF: for the bureau and the leadership once signed, for everyone signed in
    once published; 404 otherwise."""
    if plan.status == Status.PUBLISHED:
        allowed = user.is_authenticated
    else:
        allowed = plan.status == Status.SIGNED and sees_drafts(user)
    document = plan.final_documents.filter(kind=kind).first() if allowed else None
    if document is None:
        raise Http404
    return document


# --- The index ---------------------------------------------------------------------------------


@dataclass
class IndexRow:
    cycle: Cycle
    plan: MinistryPlan | None
    step: CycleStep | None  # the first step of 7–13 not done

    @property
    def year(self) -> int:
        return self.cycle.year


def index_rows(user) -> list[IndexRow]:
    """Every year's RK-PK with its status and where the cycle stands in steps 7–13 (the
    years without a draft too, for the bureau). Three queries."""
    inside = sees_drafts(user)
    cycles = Cycle.objects.order_by("-year").prefetch_related(
        Prefetch(
            "steps",
            queryset=CycleStep.objects.filter(number__in=STEPS)
            .select_related("standard_step")
            .order_by("number"),
            to_attr="late_steps",
        )
    )
    plans = {p.cycle_id: p for p in plans_for(user)}
    rows = []
    for cycle in cycles:
        plan = plans.get(cycle.pk)
        if plan is None and not inside:
            continue
        step = next((s for s in cycle.late_steps if s.status != CycleStep.Status.DONE), None)
        rows.append(IndexRow(cycle=cycle, plan=plan, step=step))
    return rows


def running_cycle() -> Cycle | None:
    from rkpk.procedure.selectors import current_cycle

    return current_cycle()


def start_problems(cycle: Cycle) -> list[str]:
    """Why the draft of the cycle's RK-PK cannot be started yet (the services' own words)."""
    return services.readiness(cycle.year)


# --- The content with its comments -----------------------------------------------------------


def _dom_id(prefix: str, number: int) -> str:
    return f"{prefix}-{number}"


def content_view(content: dict, comments=()) -> dict:
    """Sections and tables of a version (or of the live draft) with, at each section and
    table row, the comments anchored there. `dom_id` names each anchor in the page."""
    by_anchor: dict[tuple[str, str], list] = {}
    for note in comments:
        key = ("general", "") if note.anchor_type == "general" else (note.anchor_type, note.anchor)
        by_anchor.setdefault(key, []).append(note)
    sections = [
        {
            **section,
            "dom_id": _dom_id("section", n),
            "notes": by_anchor.pop(("section", section["key"]), []),
        }
        for n, section in enumerate(content.get("sections", []), start=1)
    ]
    tables = content.get("tables", {}) or {}
    row = 0
    goals = []
    for goal in tables.get("goals", []):
        row += 1
        indicators = []
        for indicator in goal.get("indicators", []):
            row += 1
            indicators.append(
                {
                    **indicator,
                    "dom_id": _dom_id("row", row),
                    "notes": by_anchor.pop(("row", indicator["key"]), []),
                }
            )
        goals.append(
            {
                **goal,
                "indicators": indicators,
                "span": max(len(indicators), 1),
                "dom_id": _dom_id("row", row - len(indicators)),
                "notes": by_anchor.pop(("row", goal["key"]), []),
            }
        )
    programs = []
    for program in tables.get("programs", []):
        row += 1
        programs.append(
            {
                **program,
                "dom_id": _dom_id("row", row),
                "notes": by_anchor.pop(("row", program["key"]), []),
            }
        )
    general = by_anchor.pop(("general", ""), [])
    # Comments whose anchor is gone (a row removed by a later compilation) stay visible.
    orphans = [note for notes in by_anchor.values() for note in notes]
    return {
        "sections": sections,
        "goals": goals,
        "programs": programs,
        "budget_total": tables.get("budget_total", ""),
        "units": tables.get("units", 0),
        "unit_indicators": tables.get("unit_indicators", 0),
        "unmapped": tables.get("unmapped", 0),
        "general_notes": general + orphans,
        "second_party": content.get("second_party") or {},
        "compilation": content.get("compilation"),
    }


def compilation_tables(compilation_id: int) -> dict:
    """Tables 1 and 2 generated from a compilation, which never changes once compiled:
    shared by every reader of the draft."""
    return cached(
        ("ministry.compilation_tables", compilation_id),
        lambda: generate_tables(Compilation.objects.get(pk=compilation_id)),
    )


def live_content(plan: MinistryPlan) -> dict:
    """The draft as it stands: the sections being edited and the tables generated from the
    plan's compilation (with each section's revision, for the editor)."""
    sections = list(plan.sections.select_related("updated_by").order_by("position", "pk"))
    content = {
        "year": plan.year,
        "compilation": plan.compilation.number,
        "sections": [
            {"key": s.key, "title": s.title, "text": s.text, "pk": s.pk, "revision": s.revision}
            for s in sections
        ],
        "tables": compilation_tables(plan.compilation_id),
        "second_party": {"name": plan.second_party_name, "position": plan.second_party_position},
    }
    return content


def comments_of(version: PlanVersion | None) -> list[ReviewComment]:
    if version is None:
        return []
    return list(version.comments.select_related("author").order_by("created_at", "id"))


def required_changes(version: PlanVersion | None) -> list[ReviewComment]:
    """The changes a returned version must have made, with who asked for them."""
    if version is None:
        return []
    stage = None
    if version.deputy_decision == PlanVersion.Decision.RETURNED:
        stage = ReviewComment.Stage.DEPUTY
    elif version.bureau_decision == PlanVersion.Decision.RETURNED:
        stage = ReviewComment.Stage.BUREAU
    if stage is None:
        return []
    return list(
        version.comments.filter(stage=stage, required=True)
        .select_related("author")
        .order_by("created_at", "id")
    )


# --- The plan page -------------------------------------------------------------------------


@dataclass
class Memo:
    key: str
    label: str
    document: object | None
    url: str = ""


@dataclass
class Final:
    document: FinalDocument
    verification_url: str
    qr_svg: str


@dataclass
class Distribution:
    """The documents of steps 12–13 and the units' acknowledgements of the RK-PK."""

    rows: list = field(default_factory=list)
    binding_confirmed: bool = False
    distribution: object | None = None
    distribution_url: str = ""
    acknowledged: int = 0
    unit_lines: int = 0


def stepper(plan_or_cycle) -> list[CycleStep]:
    cycle = plan_or_cycle.cycle if isinstance(plan_or_cycle, MinistryPlan) else plan_or_cycle
    return list(
        CycleStep.objects.filter(cycle=cycle, number__in=STEPS)
        .select_related("standard_step")
        .order_by("number")
    )


def next_actor(plan: MinistryPlan, version: PlanVersion | None, steps: list[CycleStep]) -> str:
    """Who must act next, in a sentence."""
    by_number = {s.number: s for s in steps}
    done = {n for n, s in by_number.items() if s.status == CycleStep.Status.DONE}
    if plan.status == Status.DRAFTING:
        return _("The head of section (with the bureau's staff) writes the draft and submits it.")
    if plan.status == Status.RETURNED:
        return _("The head of section revises the draft and submits the next version.")
    if plan.status == Status.BUREAU_REVIEW:
        return _("The head of bureau reviews version %(n)s.") % {"n": version.number}
    if plan.status == Status.DEPUTY_REVIEW:
        return _("The deputy reviews version %(n)s.") % {"n": version.number}
    if plan.status == Status.APPROVED:
        if 10 not in done:
            return _(
                "The bureau registers and dispatches the deputy's memorandum to the minister "
                "(step 10) on the correspondence pages."
            )
        return _("The minister approves and signs version %(n)s.") % {"n": version.number}
    if plan.status == Status.SIGNED:
        if 12 not in done:
            return _(
                "The head of bureau sends the binding request to Biro Umum; Biro Umum confirms "
                "the binding (step 12)."
            )
        return _(
            "The bureau dispatches the minister's letter to Kementerian PAN and the deputy's "
            "distribution memorandum to every unit (step 13)."
        )
    return _("Nobody: the RK-PK is published.")


def memos(plan: MinistryPlan, docs: dict) -> list[Memo]:
    """The memoranda the approvals produced (step 8 and step 10), with their pages."""
    from rkpk.correspondence.dispatch import document_url
    from rkpk.ministry import procedure_documents as pd

    found = []
    for key in (pd.BUREAU_TO_DEPUTY, pd.TO_MINISTER):
        document = docs.get(key)
        if document is not None:
            found.append(Memo(key, str(pd.BY_KEY[key].route), document, url=document_url(document)))
    return found


def finals(plan: MinistryPlan) -> list[Final]:
    from rkpk.correspondence.rendering import qr_svg, verification_url

    result = []
    # The RK first, then the PK.
    for document in sorted(plan.final_documents.all(), key=lambda d: d.kind != "rk"):
        url = verification_url(document.verification_token)
        # segno's own SVG output, not user input.
        result.append(Final(document, url, mark_safe(qr_svg(url))))  # noqa: S308
    return result


def distribution(plan: MinistryPlan, user) -> Distribution:
    """Steps 12–13: the procedure documents with their status, the binding, and how many
    units acknowledged the distribution memorandum (one query each)."""
    from rkpk.correspondence.dispatch import document_url
    from rkpk.correspondence.models import Recipient
    from rkpk.ministry import procedure_documents as pd

    result = Distribution()
    rows = pd.rows(plan.cycle)
    wanted = (pd.BINDING, pd.TO_MENPAN, pd.DISTRIBUTION)
    result.rows = [row for row in rows if row.spec.key in wanted]
    for row in result.rows:
        row.url = document_url(row.document) if row.document else ""
        if row.spec.key == pd.BINDING:
            result.binding_confirmed = row.binding_confirmed
        if row.spec.key == pd.DISTRIBUTION and row.document is not None:
            result.distribution = row.document
            result.distribution_url = row.url
    if result.distribution is not None:
        counts = Recipient.objects.filter(
            document=result.distribution, unit__isnull=False
        ).aggregate(
            total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False))
        )
        result.unit_lines = counts["total"]
        result.acknowledged = counts["acknowledged"]
    return result


def unit_acknowledgements(plan: MinistryPlan, user) -> tuple[object | None, list]:
    """For a unit's people: the distribution memorandum and their units' lines of it."""
    from rkpk.correspondence.models import Recipient
    from rkpk.ministry import procedure_documents as pd

    document = pd.current_documents(plan.cycle).get(pd.DISTRIBUTION)
    unit_ids = roles.unit_ids(user)
    if document is None or not unit_ids:
        return document, []
    lines = list(
        Recipient.objects.filter(document=document, unit_id__in=unit_ids)
        .select_related("unit", "acknowledged_by")
        .order_by("unit__name")
    )
    return document, lines


def acting_badge(user, role: str) -> str:
    """ "Plt. Head of Bureau" when the user acts for the role today, else ""."""
    acting = roles.printed_acting_kind(user, role)
    if acting:
        return f"{acting}. {Role(role).label}"
    return ""


def _outside_page(user, plan: MinistryPlan) -> dict:
    """A unit's people, viewers, anyone else: the published RK-PK, read-only."""
    version = plan.signed_version
    document, lines = unit_acknowledgements(plan, user)
    from rkpk.correspondence.dispatch import document_url

    return {
        "plan": plan,
        "inside": False,
        "content": content_view(version.content if version else {}),
        "finals": finals(plan),
        "distribution_document": document,
        "distribution_url": document_url(document) if document is not None else "",
        "unit_lines": lines,
        "has_units": bool(roles.unit_ids(user)),
    }


def _keep(content: dict, keep: dict | None) -> None:
    """Put the user's refused comment back into the form it came from."""
    if not keep or keep.get("form") != "comment":
        return
    anchor_type, anchor = keep.get("anchor_type"), keep.get("anchor")
    targets = []
    if anchor_type == "section":
        targets = [s for s in content["sections"] if s["key"] == anchor]
    elif anchor_type == "row":
        for goal in content["goals"]:
            targets += [goal] if goal["key"] == anchor else []
            targets += [i for i in goal["indicators"] if i["key"] == anchor]
        targets += [p for p in content["programs"] if p["key"] == anchor]
    for target in targets:
        target["keep"] = keep


def plan_page(user, plan: MinistryPlan, *, conflict=None, keep=None, errors=()) -> dict:
    """Everything the plan page shows: to the bureau and the leadership the whole story
    (steps, draft or version with comments, review, signature, documents); to everyone
    else the published RK-PK. `conflict`/`keep`: the refused input to show again."""
    if not sees_drafts(user):
        context = _outside_page(user, plan)
        context["errors"] = list(errors)
        return context
    steps = stepper(plan)
    versions = list(plan.versions.select_related("submitted_by").order_by("number"))
    version = versions[-1] if versions else None
    editable = plan.is_editable and user.has_perm("ministry.draft")
    shown = plan.signed_version if plan.signed_version_id else version
    if plan.is_editable or shown is None:
        content = content_view(live_content(plan), comments_of(version))
    else:
        content = content_view(shown.content, comments_of(shown))
    if conflict:
        for section in content["sections"]:
            if section["key"] == conflict["key"]:
                section["conflict"] = conflict
    _keep(content, keep)
    stage = services.stage_of(plan)
    reviewing = services.may_review(user, plan)
    own_work = bool(
        reviewing
        and version
        and (user.pk in (version.authors or []) or user.pk == version.submitted_by_id)
    )
    may_sign = user.has_perm("ministry.sign", plan)
    step_status = {s.number: s.status for s in steps}
    docs = {}
    if plan.status not in (Status.DRAFTING, Status.BUREAU_REVIEW) or len(versions) > 1:
        from rkpk.ministry.procedure_documents import current_documents

        docs = current_documents(plan.cycle)
    signed = plan.status in (Status.SIGNED, Status.PUBLISHED)
    acting = ""
    if reviewing:
        acting = acting_badge(user, services.STAGE_ROLE[stage])
    elif may_sign:
        acting = acting_badge(user, Role.MINISTER)
    return {
        "plan": plan,
        "inside": True,
        "steps": steps,
        "current_step": next((s for s in steps if s.status != CycleStep.Status.DONE), None),
        "next_actor": next_actor(plan, version, steps),
        "versions": versions,
        "version": version,
        "shown": shown,
        "content": content,
        "editable": editable,
        "may_draft": user.has_perm("ministry.draft"),
        "returned": required_changes(version) if plan.status == Status.RETURNED else [],
        "returned_version": version if plan.status == Status.RETURNED else None,
        "reviewing": reviewing,
        "stage": stage,
        "stage_label": dict(services.Stage.choices).get(stage, ""),
        "own_work": own_work,
        "acting": acting,
        "may_sign": may_sign,
        "delivered_to_minister": step_status.get(services.TO_MINISTER_STEP)
        == CycleStep.Status.DONE,
        "memos": memos(plan, docs),
        "finals": finals(plan) if signed else [],
        "distribution": distribution(plan, user) if signed else None,
        "keep": keep or {},
        "errors": list(errors),
    }


# --- Comparison of two versions --------------------------------------------------------------


def _segments(old: str, new: str) -> list[dict]:
    return [{"op": s.op, "text": s.text} for s in word_diff(old or "", new or "")]


def _status(old, new, changed: bool) -> str:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    return "changed" if changed else "same"


def compare_sections(a: dict, b: dict) -> list[dict]:
    """Per section (in b's order, then those only in a): status and word-level changes."""
    old = {s["key"]: s for s in a.get("sections", [])}
    new = {s["key"]: s for s in b.get("sections", [])}
    result = []
    for key in list(new) + [k for k in old if k not in new]:
        o, n = old.get(key), new.get(key)
        old_text, new_text = (o or {}).get("text", ""), (n or {}).get("text", "")
        old_title, new_title = (o or {}).get("title", ""), (n or {}).get("title", "")
        result.append(
            {
                "key": key,
                "title": new_title or old_title,
                "old_title": old_title,
                "status": _status(o, n, old_text != new_text or old_title != new_title),
                "title_changed": o is not None and n is not None and old_title != new_title,
                "segments": _segments(old_text, new_text),
            }
        )
    return result


TABLE1_FIELDS = (
    ("name", gettext_lazy("Indicator")),
    ("measure", gettext_lazy("Unit of measure")),
    ("target", gettext_lazy("Target")),
)
GOAL_FIELDS = (("name", gettext_lazy("Strategic goal")),)
PROGRAM_FIELDS = (("name", gettext_lazy("Program")), ("budget", gettext_lazy("Budget")))


def _indicator_rows(tables: dict) -> dict[str, dict]:
    rows = {}
    for goal in tables.get("goals", []):
        rows[goal["key"]] = {
            "kind": "goal",
            "code": goal.get("code", ""),
            "goal": goal.get("text", ""),
            "name": goal.get("text", ""),
        }
        for indicator in goal.get("indicators", []):
            rows[indicator["key"]] = {
                "kind": "indicator",
                "code": indicator.get("code", ""),
                "goal": goal.get("text", ""),
                "name": indicator.get("name", ""),
                "measure": indicator.get("measure", ""),
                "target": indicator.get("target", ""),
            }
    return rows


def _compare_rows(old_rows: dict, new_rows: dict, fields) -> list:
    result = []
    for key in list(new_rows) + [k for k in old_rows if k not in new_rows]:
        o, n = old_rows.get(key), new_rows.get(key)
        changes = []
        if o is not None and n is not None:
            for name, label in fields:
                if (o.get(name) or "") != (n.get(name) or ""):
                    changes.append(
                        {"field": name, "label": str(label), "old": o.get(name), "new": n.get(name)}
                    )
        status = _status(o, n, bool(changes))
        if status == "same":
            continue
        row = n or o
        result.append({"key": key, "status": status, "row": row, "old": o, "changes": changes})
    return result


def compare_tables(a: dict, b: dict) -> dict:
    """Rows of tables 1 and 2 added, removed or changed (name, measure, target, budget)."""
    old_tables, new_tables = a.get("tables", {}) or {}, b.get("tables", {}) or {}
    old_rows, new_rows = _indicator_rows(old_tables), _indicator_rows(new_tables)
    goals = _compare_rows(
        {k: v for k, v in old_rows.items() if v["kind"] == "goal"},
        {k: v for k, v in new_rows.items() if v["kind"] == "goal"},
        GOAL_FIELDS,
    )
    indicators = _compare_rows(
        {k: v for k, v in old_rows.items() if v["kind"] == "indicator"},
        {k: v for k, v in new_rows.items() if v["kind"] == "indicator"},
        TABLE1_FIELDS,
    )
    programs = _compare_rows(
        {p["key"]: p for p in old_tables.get("programs", [])},
        {p["key"]: p for p in new_tables.get("programs", [])},
        PROGRAM_FIELDS,
    )
    old_total, new_total = old_tables.get("budget_total", ""), new_tables.get("budget_total", "")
    return {
        "goals": goals,
        "indicators": indicators,
        "programs": programs,
        "total": {"old": old_total, "new": new_total, "changed": old_total != new_total},
        "any": bool(goals or indicators or programs or old_total != new_total),
    }


def compare_versions(a: PlanVersion, b: PlanVersion) -> dict:
    return {
        "sections": compare_sections(a.content, b.content),
        "tables": compare_tables(a.content, b.content),
    }
