"""A whole planning cycle through the JSON API only: each role with its own session, from
starting the cycle to the distribution of the signed ministry RK-PK and the units'
acknowledgements. The database is only read to find ids and to check the result."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from rkpk.analysis.tests.compilation_factories import period_with_goals
from rkpk.core.audit import verify_chain
from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.correspondence import procedure_documents as pd
from rkpk.correspondence.models import Recipient
from rkpk.ministry.models import FinalDocument
from rkpk.organisation.models import Official
from rkpk.plans.models import Indicator
from rkpk.plans.tests.factories import complete_plan
from rkpk.procedure.models import Cycle, CycleStep

pytestmark = pytest.mark.django_db
API = "/api/v1"
YEAR = 2027


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


def test_a_whole_cycle_through_the_api(role_users, units, api_as):
    as_ = {code: Caller(api_as(user)) for code, user in role_users.items()}
    staff, hos, head = as_["staff"], as_["head_of_section"], as_["head_of_bureau"]
    deputy, minister = as_["deputy"], as_["minister"]
    for code, nip, position in (
        ("head_of_bureau", "197001011995031001", "Kepala Biro Akuntabilitas Kinerja"),
        ("minister", "196501011990031001", "Menteri Sekretaris Negara"),
    ):
        user = role_users[code]
        user.official = Official.objects.create(name=f"Pejabat {code}", nip=nip, position=position)
        user.save(update_fields=["official"])
    _period, goals = period_with_goals(YEAR, goals=3)
    for unit in (units["a"], units["b"]):
        complete_plan(unit, YEAR)  # the units' drafts, written before the call

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

    # Step 3: the units submit, the bureau accepts; step 4: compiled.
    as_["unit_operator"]("post", f"/plans/{units['a'].code}/{YEAR}/submit", expect=201)
    as_["operator_b"]("post", f"/plans/{units['b'].code}/{YEAR}/submit", expect=201)
    for unit in (units["a"], units["b"]):
        staff("post", f"/plans/{unit.code}/{YEAR}/accept", {"reasons": [], "remarks": ""})
    move(3)
    # Step 5 needs the indicators mapped to the goals; the compilation follows the mapping.
    ids = list(Indicator.objects.filter(plan__year=YEAR).values_list("pk", flat=True))
    staff(
        "post",
        f"/analysis/mapping/{YEAR}/accept",
        {"items": [{"indicator_id": pk, "goal_id": goals[0].pk} for pk in ids]},
    )
    staff("post", f"/analysis/compilations/{YEAR}", expect=201)
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
    meeting = staff("post", f"{m}/invitees", {"units": [units["a"].code, units["b"].code]})
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
            "owner_unit": units["a"].code,
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
        {"version_number": 1, "text": "Target SS-01?", "anchor_type": "row",
         "anchor": "goal:SS-01", "required": True},
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
    dispatch(pd.TO_MINISTER, others=["Menteri Sekretaris Negara"])
    assert steps()[10] == "done"

    # Step 11: the minister signs.
    as_["deputy"]("post", f"/ministry/plans/{YEAR}/sign", {"version_number": 2}, expect=403)
    minister("post", f"/ministry/plans/{YEAR}/sign", {"version_number": 2})
    assert steps()[11] == "done"

    # Step 12: binding requested, confirmed by Biro Umum; the bureau completes the step.
    for key in (pd.BINDING, pd.TO_MENPAN, pd.DISTRIBUTION):
        staff("post", f"/correspondence/cycles/{YEAR}/documents", {"key": key}, expect=201)
    sign_off(pd.BINDING, head)
    dispatch(pd.BINDING, others=["Kepala Biro Umum"])
    sign_off(pd.TO_MENPAN, minister)
    sign_off(pd.DISTRIBUTION, deputy)
    staff(
        "post",
        f"/correspondence/documents/{document(pd.DISTRIBUTION)}/dispatch",
        {"all_units": True},
        expect=422,  # not before the binding is confirmed
        form=True,
    )
    as_["general_bureau"](
        "post", f"/correspondence/documents/{document(pd.BINDING)}/confirm-binding"
    )
    staff("post", f"/correspondence/cycles/{YEAR}/sync")
    assert steps()[12] == "done"

    # Step 13: the letter to Kementerian PAN and the distribution to every unit.
    dispatch(pd.TO_MENPAN, others=["Menteri Negara Pendayagunaan Aparatur Negara"])
    dispatch(pd.DISTRIBUTION, all_units=True)
    assert set(steps().values()) == {"done"}
    assert Cycle.objects.get(year=YEAR).status == Cycle.Status.COMPLETED

    # The units acknowledge and read the published RK-PK with its signed PDFs.
    operator = as_["unit_operator"]
    line = Recipient.objects.get(
        document_id=document(pd.DISTRIBUTION),
        unit=role_users["unit_operator"].role_assignments.get().unit,
    )
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
    # The satisfaction survey opened with the distribution; the unit answers it once.
    survey = operator("get", "/surveys")[0]
    answer = {"unit": units["a"].code, "scores": {f"U{n}": 3 for n in range(1, 10)}}
    operator("post", f"/surveys/{survey['id']}/responses", answer, expect=201)
    operator("post", f"/surveys/{survey['id']}/responses", answer, expect=409)
    results = head("get", f"/surveys/{survey['id']}/results")
    assert float(results["index"]) == 75.0 and results["grade"]["letter"] == "C"
    assert AuditEvent.objects.filter(action="ministry_plan.signed").exists()
    assert verify_chain().ok
