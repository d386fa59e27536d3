"""The school's registers kept by purchasing: suppliers, and donations and sponsorships (捐赠登记, A9)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core.crud import create_audited, lock, require_perm, update_audited
from houqin.core.numbering import next_number
from houqin.procurement.choices import ValueBasis
from houqin.procurement.models import FEN, Donation, Supplier

if TYPE_CHECKING:
    import datetime as dt

    from houqin.accounts.models import User
    from houqin.orgs.models import School

CONSENT_REQUIRED = gettext_noop("A change of the donor's purpose needs the donor's consent on record.")
VALUE_REQUIRED = gettext_noop(
    "Enter the value, or record the donation at the nominal amount of 1 yuan when there is no document, appraisal "
    "or market price."
)
USE_REQUIRED = gettext_noop("Describe how the donation was used.")

NOMINAL_VALUE = Decimal("1.00")


#
# Suppliers
#


@transaction.atomic
def supplier_create(*, actor: User, school: School, name: str, **fields: Any) -> Supplier:
    """Add a supplier to the school's list."""
    require_perm(actor, "procurement.add_supplier")
    return create_audited(actor=actor, model=Supplier, values={"school": school, "name": name.strip(), **fields})


@transaction.atomic
def supplier_update(*, actor: User, supplier: Supplier, **values: Any) -> Supplier:
    require_perm(actor, "procurement.change_supplier")
    return update_audited(actor=actor, instance=lock(Supplier, supplier.pk), values=values)


#
# Donations (捐赠登记, A9)
#


@transaction.atomic
def donation_create(
    *,
    actor: User,
    school: School,
    donor_name: str,
    kind: str,
    description: str,
    received_on: dt.date,
    value_basis: str,
    receipt_number: str,
    purpose: str,
    value: Decimal | None = None,
    **fields: Any,
) -> Donation:
    """Register a donation with its receipt number. Without a document, appraisal or market price it is recorded
    at the nominal amount of 1 yuan (名义金额)."""
    require_perm(actor, "procurement.add_donation")
    if value_basis == ValueBasis.NOMINAL:
        value = NOMINAL_VALUE
    elif value is None or Decimal(value) <= 0:
        raise ValidationError({"value": _(VALUE_REQUIRED)})
    values = {
        "school": school,
        "number": next_number(school=school, prefix="JZ", year=received_on.year),
        "donor_name": donor_name.strip(),
        "kind": kind,
        "description": description.strip(),
        "received_on": received_on,
        "value": Decimal(value).quantize(FEN),
        "value_basis": value_basis,
        "receipt_number": receipt_number.strip(),
        "purpose": purpose.strip(),
        "recorded_by": actor,
        **fields,
    }
    return create_audited(actor=actor, model=Donation, values=values)


@transaction.atomic
def donation_record_use(*, actor: User, donation: Donation, use: str) -> Donation:
    """Say how the gift was used (the donor may ask, and the school must answer truthfully)."""
    require_perm(actor, "procurement.change_donation")
    if not use.strip():
        raise ValidationError({"use": _(USE_REQUIRED)})
    return update_audited(actor=actor, instance=lock(Donation, donation.pk), values={"use": use.strip()})


@transaction.atomic
def donation_change_purpose(*, actor: User, donation: Donation, purpose: str, consent: str) -> Donation:
    """Change what the gift is for: only with the donor's consent on record (公益事业捐赠法 art. 18)."""
    require_perm(actor, "procurement.change_donation")
    if not consent.strip():
        raise ValidationError({"consent": _(CONSENT_REQUIRED)})
    return update_audited(
        actor=actor,
        instance=lock(Donation, donation.pk),
        values={"purpose": purpose.strip(), "purpose_consent": consent.strip()},
        message=consent.strip(),
    )
