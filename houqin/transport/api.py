"""/api/transport."""

from ninja import Router

router = Router(tags=["transport"])
