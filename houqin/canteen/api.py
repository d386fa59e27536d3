"""/api/canteen."""

from ninja import Router

router = Router(tags=["canteen"])
