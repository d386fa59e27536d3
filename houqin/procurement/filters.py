import django_filters

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import Form
from houqin.procurement.choices import DonationKind, FundingSource, ProcurementMethod, RequestStatus
from houqin.procurement.models import Donation, PurchaseRequest
from houqin.procurement.selectors import contract_deadlines


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    method = django_filters.ChoiceFilter(label=_("Procurement method"), choices=ProcurementMethod.choices)
    funding_source = django_filters.ChoiceFilter(label=_("Funding source"), choices=FundingSource.choices)
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    contract = django_filters.ChoiceFilter(
        label=_("Contract"), choices=[("due", _("Due or late (B6)"))], method="filter_contract"
    )

    class Meta:
        form = Form
        model = PurchaseRequest
        fields = ["status", "method", "funding_source", "fiscal_year"]

    def filter_contract(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The requests whose contract is due from the warning day, late, or not published or filed in time."""
        due = [request.pk for request, _state in contract_deadlines(user=self.request.user)]
        return queryset.filter(pk__in=due)


class DonationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=DonationKind.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="received_on", lookup_expr="year")

    class Meta:
        form = Form
        model = Donation
        fields = ["kind"]
