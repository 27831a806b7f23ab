"""The correspondence pages, by page group: documents (the lifecycle and the inbox),
registers (agenda books and master data), dispatch (the expedition book) and verify (the
public verification page). Routes in rkpk.correspondence.urls and verify_urls."""
