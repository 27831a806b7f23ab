"""The ministry RK-PK's pages: plans (the plan, its versions, review and signature) and
procedure_documents (the cycle's official documents). Routes in rkpk.ministry.urls and
rkpk.ministry.correspondence_urls."""
