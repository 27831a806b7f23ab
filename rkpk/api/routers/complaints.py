"""The complaints API."""

from ninja import Router

router = Router(tags=["complaints"])
