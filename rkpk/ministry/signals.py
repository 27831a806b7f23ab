"""What happens to the ministry RK-PK, told to the apps above it.

plan_published   after services.publish: the signed RK-PK is published to every unit
                 (sent with `sender=MinistryPlan`, `plan`, `cycle` and `actor`, inside
                 the publishing transaction). The survey opens the cycle's satisfaction
                 survey (rkpk.survey.apps).
"""

from django.dispatch import Signal

plan_published = Signal()
