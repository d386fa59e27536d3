"""/api/visitors"""

from ninja import Router

router = Router(tags=["visitors"])
