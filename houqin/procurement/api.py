"""/api/procurement"""

from ninja import Router

router = Router(tags=["procurement"])
