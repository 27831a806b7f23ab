"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "analysis.compile": _("Plans compiled"),
    "analysis.mapping_created": _("Indicator mapped to a strategic goal"),
    "analysis.mapping_set": _("Indicator mapping changed"),
    "analysis_draft.created": _("Analysis draft created"),
    "analysis_draft.refreshed": _("Analysis draft refreshed"),
    "analysis_draft.submitted": _("Analysis draft submitted"),
    "analysis_draft.approved": _("Analysis draft approved"),
    "analysis_draft.returned": _("Analysis draft returned"),
    "analysis_section.updated": _("Analysis section changed"),
    "analysis_section.commented": _("Analysis section commented"),
    "renstra_period.created": _("Strategic-plan period created"),
    "strategic_goal.created": _("Strategic goal added"),
    "strategic_goal.updated": _("Strategic goal changed"),
    "strategic_goal.deleted": _("Strategic goal deleted"),
    "strategic_goals.imported": _("Strategic goals imported"),
    "ministry_indicator.created": _("Ministry indicator added"),
    "ministry_indicator.updated": _("Ministry indicator changed"),
    "ministry_indicator.deleted": _("Ministry indicator deleted"),
    "ministry_target.set": _("Ministry target set"),
    "ministry_target.deleted": _("Ministry target deleted"),
}
