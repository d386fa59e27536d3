from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from houqin.api import api
from houqin.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("houqin.accounts.urls")),
    path("orgs/", include("houqin.orgs.urls")),
    path("stock/", include("houqin.stock.urls")),
    path("assets/", include("houqin.assets.urls")),
    path("procurement/", include("houqin.procurement.urls")),
    path("safety/", include("houqin.safety.urls")),
    path("visitors/", include("houqin.visitors.urls")),
    path("security/", include("houqin.security.urls")),
    path("health/", include("houqin.health.urls")),
    path("canteen/", include("houqin.canteen.urls")),
    path("transport/", include("houqin.transport.urls")),
    path("", include("houqin.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
