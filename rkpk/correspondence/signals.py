"""What happens to an official document, told to the apps above correspondence.

Every signal is sent with `sender=Document`, `document` and `actor`, inside the
transaction of the write that caused it (a receiver that raises undoes the write). The
ministry RK-PK listens to move the procedure's steps when its own documents are signed
and delivered (rkpk.ministry.apps).

  document_signed        after services.sign
  document_registered    after services.register (numbered, the official PDF issued)
  document_dispatched    after dispatch.dispatch (electronic lines are delivered at once)
  document_delivered     after a hard copy's courier delivery was recorded
  document_acknowledged  after a recipient unit acknowledged receipt (also `recipient`)
"""

from django.dispatch import Signal

document_signed = Signal()
document_registered = Signal()
document_dispatched = Signal()
document_delivered = Signal()
document_acknowledged = Signal()
