"""The survey API."""

from ninja import Router

router = Router(tags=["survey"])
