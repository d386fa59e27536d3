from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransportConfig(AppConfig):
    name = "houqin.transport"
    label = "transport"
    verbose_name = _("School bus")
