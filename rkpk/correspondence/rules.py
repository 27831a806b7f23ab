"""Who may see and act on official documents (naskah dinas), registers and templates.

Object permissions take a `Document` (or, for acknowledging, a `Recipient` line).
Lists are narrowed by `rkpk.correspondence.selectors.documents_for`; the state a
document must be in for an action is checked by the services.
"""

import rules

from rkpk.organisation import roles
from rkpk.organisation.models import Role
from rkpk.organisation.rules import holds_any_role, is_admin, is_bureau, sees_whole_ministry

REVIEWER_ROLES = (Role.HEAD_OF_SECTION, Role.HEAD_OF_BUREAU)


def _document(obj):
    return getattr(obj, "document", obj)


@rules.predicate
def addressed_to_own_unit(user, document) -> bool:
    """A Recipient line of the document names one of the user's units."""
    document = _document(document)
    if document is None or document.pk is None:
        return False
    units = roles.unit_ids(user)
    if not units:
        return False
    return document.recipients.filter(unit_id__in=units).exists()


@rules.predicate
def acts_for_signer(user, document) -> bool:
    """The holder of the signer's role, or whoever acts for them today (Plt/Plh)."""
    document = _document(document)
    return document is not None and roles.acts_as(user, document.signer_role)[0]


@rules.predicate
def recipient_of_own_unit(user, recipient) -> bool:
    """`recipient` is a Recipient line addressed to one of the user's units."""
    unit_id = getattr(recipient, "unit_id", None)
    return unit_id is not None and unit_id in roles.unit_ids(user)


is_reviewer = rules.predicate(
    lambda user: roles.has_role(user, *REVIEWER_ROLES), name="is_correspondence_reviewer"
)

# Lists: anybody with a role reaches the pages; what they list is filtered.
rules.add_perm("correspondence.view_documents", holds_any_role)
rules.add_perm("correspondence.view_inbox", holds_any_role)
# One document: the ministry's roles see all; a unit sees what was addressed to it.
rules.add_perm("correspondence.view_document", sees_whole_ministry | addressed_to_own_unit)
rules.add_perm("correspondence.draft", is_bureau)
rules.add_perm("correspondence.edit_document", is_bureau)
rules.add_perm("correspondence.send_for_review", is_bureau)
rules.add_perm("correspondence.review", is_reviewer)
rules.add_perm("correspondence.sign", acts_for_signer)
rules.add_perm("correspondence.register", is_bureau)
rules.add_perm("correspondence.correct", is_bureau)
rules.add_perm("correspondence.dispatch", is_bureau)
rules.add_perm("correspondence.acknowledge", recipient_of_own_unit)
# Registers (agenda books) and templates.
rules.add_perm("correspondence.view_registers", sees_whole_ministry)
rules.add_perm("correspondence.export_expedition_book", sees_whole_ministry)
rules.add_perm("correspondence.cancel_number", is_bureau)
rules.add_perm("correspondence.manage_templates", is_admin)
rules.add_perm("correspondence.manage_registers", is_admin)
