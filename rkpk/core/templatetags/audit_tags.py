from django import template

from rkpk.core import audit_labels

register = template.Library()

# The label of an audit action code, and the name of an audited object type, translated.
register.filter("audit_label", audit_labels.action_label)
register.filter("object_type_label", audit_labels.object_type_label)
register.filter("audit_actor", audit_labels.actor_label)
