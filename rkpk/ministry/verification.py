"""The ministry's signed RK and PK on the public verification page (/verify/): issued
when the minister signs, each with its own verification code (registered in
rkpk.ministry.apps)."""

from rkpk.correspondence.verification import IssuedKind
from rkpk.ministry import documents
from rkpk.ministry.models import FinalDocument


class FinalDocuments(IssuedKind):
    template = "ministry/verify_final.html"
    facts_template = "ministry/verify_final_facts.html"

    def issued(self):
        return FinalDocument.objects.select_related("plan").exclude(pdf_sha256="")

    def facts(self, final: FinalDocument) -> dict:
        """Its title and year, who signed it (name, position, Plt./Plh.) and when."""
        plan = final.plan
        content = (plan.signed_version.content or {}) if plan.signed_version else {}
        return {
            "final": final,
            "final_title": documents.final_title(
                final.kind, plan.year, (content.get("organisation") or {}).get("name", "")
            ),
            "signer_name": plan.signed_name,
            "signer_position": documents.signer_position(plan),
            "signed_acting": plan.signed_acting,
        }
