"""A whole planning cycle through the JSON API only, on each demo organisation: each demo
account with its own session, from starting the cycle to the distribution of the signed
ministry RK-PK and the units' acknowledgements. The demo comes from `seed_demo
--organisation NAME --no-cycle`; the database is only read to find ids, the names the demo
uses, and to check the result."""

import hashlib
import io
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from docx import Document as Docx

from rkpk.analysis.models import StrategicGoal
from rkpk.core.audit import verify_chain
from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.correspondence.models import Recipient
from rkpk.ministry import procedure_documents as pd
from rkpk.ministry.models import FinalDocument, MinistryPlan
from rkpk.organisation import demo_orgs
from rkpk.organisation.models import Headship, OrganisationProfile, RoleAssignment, User
from rkpk.plans.models import Activity, Indicator, UnitPlan
from rkpk.procedure.models import Cycle, CycleStep

pytestmark = pytest.mark.django_db
API = "/api/v1"
YEAR = today().year + 1  # the demo's plans are for next year


class Caller:
    """One role's API session; every call must answer with the expected status."""

    def __init__(self, client):
        self.client = client

    def __call__(self, method: str, path: str, body=None, *, expect: int = 200, form=False):
        kwargs = {"content_type": "application/json"} if body is not None and not form else {}
        response = getattr(self.client, method)(
            API + path, *([body] if body is not None else []), **kwargs
        )
        assert response.status_code == expect, (method, path, response.content[:500])
        if response.get("Content-Type", "").startswith("application/json"):
            return response.json()
        return response


def steps(year: int = YEAR) -> dict[int, str]:
    return dict(
        CycleStep.objects.filter(cycle__year=year).values_list("number", "status").order_by()
    )


@pytest.fixture(params=demo_orgs.names())
def demo(request, settings):
    settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG = False  # demo accounts sign in outside DEBUG too
    call_command("seed_demo", "--organisation", request.param, "--no-cycle", verbosity=0)
    return demo_orgs.get(request.param)


def operated_unit(username: str):
    return RoleAssignment.objects.get(user__username=username, role="unit_operator").unit


def docx_text(content: bytes) -> str:
    document = Docx(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def check_unit_pks(caller, profile) -> None:
    """The PK statements: an acting head prints the post acted in ("Plt. Kepala …"); a unit
    under the minister names the minister's title, and a party without NIP gets no NIP."""
    plans = UnitPlan.objects.filter(year=YEAR).select_related("unit", "first_party")
    acting = [p for p in plans if p.first_party_acting]
    under_minister = [p for p in plans if p.unit.parent_id is None][:3]
    assert bool(acting) == Headship.objects.exclude(kind=Headship.Kind.DEFINITIVE).exists()
    for plan in acting + under_minister:
        response = caller("get", f"/plans/{plan.unit.code}/{YEAR}/documents/pk.docx")
        text = docx_text(response.content)
        if plan.first_party_acting:
            assert f"{plan.first_party_acting}. {plan.unit.head_position}" in text, plan.unit
        if plan.second_party_id:
            assert plan.second_party.position in text
        assert "NIP. None" not in text and "NIP. 000000000000000000" not in text


def test_a_whole_cycle_through_the_api(demo, api_as):
    as_ = {user.username: Caller(api_as(user)) for user in User.objects.filter(is_demo=True)}
    staff, hos, head = as_["staf"], as_["kabag"], as_["karo"]
    deputy, minister = as_["deputi"], as_["menteri"]
    profile = OrganisationProfile.objects.get()
    assert profile.name == demo.title
    unit_a, unit_b = operated_unit("operator1"), operated_unit("operator2")
    goals = list(
        StrategicGoal.objects.filter(period__start_year__lte=YEAR, period__end_year__gte=YEAR)
    )
    assert goals

    def document(key: str) -> int:
        return pd.current_documents(Cycle.objects.get(year=YEAR))[key].pk

    def sign_off(key: str, signer: Caller):
        doc = f"/correspondence/documents/{document(key)}"
        detail = staff("get", doc)
        if detail["requires_review"]:
            staff("post", f"{doc}/send-for-review")
            hos("post", f"{doc}/review", {"approve": True, "comment": ""})
        signer("post", f"{doc}/sign", {"acting": ""})
        staff("post", f"{doc}/register")

    def dispatch(key: str, **recipients):
        staff(
            "post",
            f"/correspondence/documents/{document(key)}/dispatch",
            {"method": "electronic", **recipients},
            expect=201,
            form=True,
        )

    def move(number: int):
        staff("post", f"/cycles/{YEAR}/steps/{number}/start", {})
        staff("post", f"/cycles/{YEAR}/steps/{number}/complete", {"reason": ""})

    # Steps 1–2: the cycle starts, the call for submissions is signed and sent to every unit.
    staff("post", "/cycles", {"year": YEAR, "start_date": str(today() - timedelta(days=5))},
          expect=201)  # fmt: skip
    for key in (pd.COVER_MEMO, pd.CALL):
        staff("post", f"/correspondence/cycles/{YEAR}/documents", {"key": key}, expect=201)
    sign_off(pd.COVER_MEMO, head)
    sign_off(pd.CALL, deputy)
    dispatch(pd.CALL, all_units=True)
    assert steps()[1] == steps()[2] == "done"

    # Step 3: operator1 submits the unit's draft (operator2's plan already waits), the bureau
    # accepts both; step 4: compiled.
    assert UnitPlan.objects.get(unit=unit_a, year=YEAR).status == UnitPlan.Status.DRAFT
    assert UnitPlan.objects.get(unit=unit_b, year=YEAR).status == UnitPlan.Status.SUBMITTED
    # The unit head approves first: the operator cannot submit past kaunit1 (the unit's head).
    as_["operator1"]("post", f"/plans/{unit_a.code}/{YEAR}/submit", expect=403)
    sent = as_["operator1"]("post", f"/plans/{unit_a.code}/{YEAR}/request-approval")
    assert sent["status"] == UnitPlan.Status.AWAITING_HEAD
    as_["kaunit1"]("post", f"/plans/{unit_a.code}/{YEAR}/approve", expect=201)
    for unit in (unit_a, unit_b):
        staff("post", f"/plans/{unit.code}/{YEAR}/accept", {"reasons": [], "remarks": ""})
    move(3)
    # Step 5 needs the indicators mapped to the goals; the compilation follows the mapping.
    accepted = Indicator.objects.filter(plan__year=YEAR, plan__status=UnitPlan.Status.ACCEPTED)
    ids = list(accepted.values_list("pk", flat=True))
    staff(
        "post",
        f"/analysis/mapping/{YEAR}/accept",
        {"items": [{"indicator_id": pk, "goal_id": goals[0].pk} for pk in ids]},
    )
    version = staff("post", f"/analysis/compilations/{YEAR}", expect=201)
    # Each rupiah once: the compiled budget is the sum of the units' own activities, the
    # parents' lines that roll up a child's plan left out.
    data = staff("get", f"/analysis/compilations/{YEAR}/{version['number']}")["data"]
    lines = Activity.objects.filter(
        plan__year=YEAR, plan__status=UnitPlan.Status.ACCEPTED, kind="activity"
    )
    own = lines.filter(rolls_up=None).aggregate(total=Sum("budget"))["total"]
    assert Decimal(str(data["budget_total"])) == own
    rolled = lines.exclude(rolls_up=None).aggregate(total=Sum("budget"))["total"]
    assert bool(rolled) == (demo.name == "kelautan")  # the second demo's parents roll up
    check_unit_pks(staff, profile)
    move(4)
    draft = staff("post", f"/analysis/drafts/{YEAR}")
    section = draft["sections"][0]
    staff(
        "put",
        f"/analysis/drafts/{YEAR}/sections/{section['key']}",
        {"revision": section["revision"], "text": "Analisis terhadap sasaran stratejik."},
    )
    staff("post", f"/analysis/drafts/{YEAR}/submit")
    head("post", f"/analysis/drafts/{YEAR}/approve")
    assert steps()[5] == "done"

    # Step 6: the discussion meeting, its invitation and its report.
    start = (timezone.now() - timedelta(hours=2)).isoformat()
    meeting = staff(
        "post",
        "/meetings",
        {"year": YEAR, "title": "Rapat pembahasan RK-PK", "starts_at": start, "place": "Jakarta"},
        expect=201,
    )
    m = f"/meetings/{meeting['id']}"
    meeting = staff("post", f"{m}/invitees", {"units": [unit_a.code, unit_b.code]})
    staff("post", f"{m}/invitation", expect=201)
    staff(
        "put",
        f"{m}/attendance",
        {"entries": [{"invitee": i["id"], "attendance": "present"} for i in meeting["invitees"]]},
    )
    item = staff(
        "post", f"{m}/agenda", {"title": "Target kinerja", "notes": "Disepakati."}, expect=201
    )
    staff(
        "post",
        f"{m}/decisions",
        {
            "text": "Sempurnakan target.",
            "agenda_item": item["id"],
            "owner_unit": unit_a.code,
            "due_date": str(today() + timedelta(days=7)),
        },
        expect=201,
    )
    staff("post", f"{m}/file")
    assert steps()[6] == "done"

    # Steps 7–9: drafted by the head of section, returned once and approved by the head of
    # bureau, approved by the deputy.
    plan = hos("post", "/ministry/plans", {"year": YEAR}, expect=201)
    key = plan["sections"][0]["key"]
    hos(
        "put",
        f"/ministry/plans/{YEAR}/sections/{key}",
        {"revision": plan["sections"][0]["revision"], "text": "Pendahuluan."},
    )
    hos("post", f"/ministry/plans/{YEAR}/submit", expect=201)
    assert steps()[7] == "done"
    head(
        "post",
        f"/ministry/plans/{YEAR}/comments",
        {"version_number": 1, "text": f"Target {goals[0].code}?", "anchor_type": "row",
         "anchor": f"goal:{goals[0].code}", "required": True},
        expect=201,
    )  # fmt: skip
    head("post", f"/ministry/plans/{YEAR}/return", {"version_number": 1, "changes": []})
    plan = hos("get", f"/ministry/plans/{YEAR}")
    section = next(s for s in plan["sections"] if s["key"] == key)
    hos(
        "put",
        f"/ministry/plans/{YEAR}/sections/{key}",
        {"revision": section["revision"], "text": "Pendahuluan, target dijelaskan."},
    )
    hos("post", f"/ministry/plans/{YEAR}/submit", expect=201)
    head("post", f"/ministry/plans/{YEAR}/approve", {"version_number": 1}, expect=409)
    head("post", f"/ministry/plans/{YEAR}/approve", {"version_number": 2})
    deputy("post", f"/ministry/plans/{YEAR}/approve", {"version_number": 2})
    assert steps()[8] == steps()[9] == "done"

    # Step 10: the deputy's memorandum (signed on approval) registered and sent.
    staff("post", f"/correspondence/documents/{document(pd.TO_MINISTER)}/register")
    dispatch(pd.TO_MINISTER, others=[profile.minister_title])
    assert steps()[10] == "done"

    # Step 11: the minister signs.
    deputy("post", f"/ministry/plans/{YEAR}/sign", {"version_number": 2}, expect=403)
    minister("post", f"/ministry/plans/{YEAR}/sign", {"version_number": 2})
    assert steps()[11] == "done"
    signed = MinistryPlan.objects.get(year=YEAR)
    signer = User.objects.get(username="menteri").official
    assert signed.signed_position == profile.minister_title
    assert signed.signed_nip == (signer.nip or "")  # none for a pejabat negara

    # Step 12: binding requested, confirmed by Biro Umum; the bureau completes the step.
    for key in (pd.BINDING, pd.TO_MENPAN, pd.DISTRIBUTION):
        staff("post", f"/correspondence/cycles/{YEAR}/documents", {"key": key}, expect=201)
    sign_off(pd.BINDING, head)
    dispatch(pd.BINDING, others=[f"Kepala {profile.general_bureau_title}"])
    sign_off(pd.TO_MENPAN, minister)
    sign_off(pd.DISTRIBUTION, deputy)
    staff(
        "post",
        f"/correspondence/documents/{document(pd.DISTRIBUTION)}/dispatch",
        {"all_units": True},
        expect=422,  # not before the binding is confirmed
        form=True,
    )
    as_["biroumum"]("post", f"/correspondence/documents/{document(pd.BINDING)}/confirm-binding")
    staff("post", f"/correspondence/cycles/{YEAR}/sync")
    assert steps()[12] == "done"

    # Step 13: the letter to Kementerian PAN and the distribution to every unit.
    dispatch(pd.TO_MENPAN, others=["Menteri Negara Pendayagunaan Aparatur Negara"])
    dispatch(pd.DISTRIBUTION, all_units=True)
    assert set(steps().values()) == {"done"}
    assert Cycle.objects.get(year=YEAR).status == Cycle.Status.COMPLETED

    # The units acknowledge and read the published RK-PK with its signed PDFs.
    operator = as_["operator1"]
    line = Recipient.objects.get(document_id=document(pd.DISTRIBUTION), unit=unit_a)
    operator(
        "post",
        f"/correspondence/documents/{document(pd.DISTRIBUTION)}/recipients/{line.pk}/acknowledge",
    )
    published = operator("get", f"/ministry/plans/{YEAR}")
    assert published["status"] == "published"
    pdf = operator("get", f"/ministry/plans/{YEAR}/documents/pk.pdf")
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    final = FinalDocument.objects.get(plan__year=YEAR, kind="pk")
    assert hashlib.sha256(body).hexdigest() == final.pdf_sha256
    if shutil.which("pdftotext"):  # the signed PK names this organisation
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
        ).stdout.decode()
        assert profile.name.upper() in " ".join(text.upper().split())
    # The satisfaction survey opened with the distribution; the unit answers it once.
    survey = operator("get", "/surveys")[0]
    answer = {"unit": unit_a.code, "scores": {f"U{n}": 3 for n in range(1, 10)}}
    operator("post", f"/surveys/{survey['id']}/responses", answer, expect=201)
    operator("post", f"/surveys/{survey['id']}/responses", answer, expect=409)
    results = head("get", f"/surveys/{survey['id']}/results")
    assert float(results["index"]) == 75.0 and results["grade"]["letter"] == "C"
    assert AuditEvent.objects.filter(action="ministry_plan.signed").exists()
    assert verify_chain().ok
