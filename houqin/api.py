"""The public REST API (shared/API.md): django-ninja, OpenAPI 3.1 at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

from houqin.accounts.api import router as accounts_router
from houqin.assets.api import router as assets_router
from houqin.canteen.api import router as canteen_router
from houqin.core.api import API_AUTH, LocalTimeRenderer, install_error_handlers
from houqin.core.api import router as audit_router
from houqin.health.api import router as health_router
from houqin.orgs.api import router as orgs_router
from houqin.procurement.api import router as procurement_router
from houqin.safety.api import router as safety_router
from houqin.security.api import router as security_router
from houqin.stock.api import router as stock_router
from houqin.transport.api import router as transport_router
from houqin.visitors.api import router as visitors_router

api = NinjaAPI(
    title="Houqin 后勤通 API",
    version="1",
    description="学校后勤管理系统 REST API。认证：POST /api/auth/token 取得令牌后使用 `Authorization: Bearer <token>`；"
    "浏览器会话（含 CSRF）亦可。",
    auth=API_AUTH,
    renderer=LocalTimeRenderer(),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/audit", audit_router)
api.add_router("/stock", stock_router)
api.add_router("/assets", assets_router)
api.add_router("/procurement", procurement_router)
api.add_router("/safety", safety_router)
api.add_router("/visitors", visitors_router)
api.add_router("/security", security_router)
api.add_router("/health", health_router)
api.add_router("/canteen", canteen_router)
api.add_router("/transport", transport_router)
