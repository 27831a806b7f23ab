from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinistryConfig(AppConfig):
    name = "rkpk.ministry"
    label = "ministry"
    verbose_name = _("Ministry RK-PK")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    home_tasks = [
        (10, "rkpk.ministry.home.tasks_for"),
        (40, "rkpk.ministry.home.binding_tasks"),
    ]

    def ready(self):
        # The ministry owns the procedure's documents: correspondence asks it about them
        # and tells it when they are signed and delivered, the steps then move.
        from django.apps import apps

        from rkpk.correspondence import purposes, signals, verification
        from rkpk.ministry import procedure_documents
        from rkpk.ministry.verification import FinalDocuments
        from rkpk.ministry.workplaces import workplaces
        from rkpk.procedure.selectors import register_workplaces

        purposes.register(procedure_documents.PURPOSE)
        verification.register(FinalDocuments())
        uid = "rkpk.ministry.procedure_documents"
        signals.document_signed.connect(procedure_documents.document_signed, dispatch_uid=uid)
        for signal in (signals.document_dispatched, signals.document_delivered):
            signal.connect(procedure_documents.document_delivered, dispatch_uid=uid)
        more_urls = apps.get_app_config("correspondence").more_urls
        if "rkpk.ministry.correspondence_urls" not in more_urls:
            more_urls.append("rkpk.ministry.correspondence_urls")
        register_workplaces(workplaces)
