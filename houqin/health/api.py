"""/api/health."""

from ninja import Router

router = Router(tags=["health"])
