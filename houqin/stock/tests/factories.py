"""Test data for the store."""

from decimal import Decimal

from houqin.stock.models import StockItem


def make_item(school, name="A4复印纸", unit="包", balance=None, **fields):
    item = StockItem.objects.create(school=school, name=name, unit=unit, **fields)
    if balance is not None:
        # Direct ledger set-up for tests: one receipt row keeps balance == sum(movements).
        from django.utils import timezone

        from houqin.stock.models import StockMovement

        StockMovement.objects.create(
            school=school,
            item=item,
            kind="receipt",
            quantity=Decimal(balance),
            unit_price=Decimal("20"),
            amount=Decimal(balance) * 20,
            balance_after=Decimal(balance),
            occurred_at=timezone.now(),
            actor=_any_user(school),
        )
        item.balance = Decimal(balance)
        item.average_cost = Decimal("20")
        item.save()
    return item


def _any_user(school):
    from houqin.accounts.models import User

    return User.objects.filter(school=school).order_by("pk").first()
