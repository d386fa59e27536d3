"""/api/assets"""

from ninja import Router

router = Router(tags=["assets"])
