"""Discussion meetings (step 6)."""

from ninja import Router

router = Router(tags=["meetings"])
