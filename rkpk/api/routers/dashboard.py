"""The dashboard API."""

from ninja import Router

router = Router(tags=["dashboard"])
