import os

# Settings read this before Django starts: tests need no SECRET_KEY and no DEBUG.
os.environ.setdefault("RKPK_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread (DESIGN.md §8).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
