"""The ministry RK-PK (steps 7-13)."""

from ninja import Router

router = Router(tags=["ministry RK-PK"])
