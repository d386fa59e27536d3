import threading
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TransactionTestCase
from django.utils.translation import gettext as _

from houqin.accounts.roles import Role
from houqin.core.testing import HouqinTestCase, build_cast, make_user
from houqin.orgs.models import Person
from houqin.stock import selectors, services
from houqin.stock.choices import MovementKind, RequisitionStatus
from houqin.stock.models import StockItem, StockMovement
from houqin.stock.tests.factories import make_item


class StockTestCase(HouqinTestCase):
    def setUp(self):
        self.paper = make_item(self.school_a, balance=100)
        self.teacher_person = Person.objects.create(school=self.school_a, name="何老师")
        self.teacher.person = self.teacher_person
        self.teacher.save()

    def assertLedgerBalanced(self):
        self.assertFalse(selectors.ledger_mismatches(user=self.assetkeeper).exists())

    def request_paper(self, quantity="10", user=None):
        return services.requisition_create(
            actor=user or self.teacher, lines=[(self.paper, Decimal(quantity))], purpose="五年级二班期中考试"
        )


class ItemTests(StockTestCase):
    def test_storekeeper_adds_an_item(self):
        item = services.item_create(
            actor=self.assetkeeper, school=self.school_a, name="粉笔", unit="盒", min_quantity=Decimal("20")
        )
        self.assertEqual(item.balance, 0)
        self.assertAudited(item, "stock.stockitem.created", actor=self.assetkeeper)

    def test_teacher_cannot_add_an_item(self):
        with self.assertRaises(PermissionDenied):
            services.item_create(actor=self.teacher, school=self.school_a, name="粉笔", unit="盒")

    def test_same_name_and_spec_twice_is_refused(self):
        with self.assertRaises(ValidationError):
            services.item_create(actor=self.assetkeeper, school=self.school_a, name="A4复印纸", unit="包")


class ReceiptTests(StockTestCase):
    def test_receipt_raises_the_balance_and_recomputes_the_average_cost(self):
        movement = services.stock_receive(
            actor=self.assetkeeper,
            item=self.paper,
            quantity=Decimal("100"),
            unit_price=Decimal("30"),
            supplier_name="文具店",
        )
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("200"))
        self.assertEqual(self.paper.average_cost, Decimal("25.0000"))
        self.assertEqual(movement.amount, Decimal("3000.00"))
        self.assertEqual(movement.balance_after, Decimal("200"))
        self.assertAudited(self.paper, "stock.movement.received", actor=self.assetkeeper)
        self.assertLedgerBalanced()

    def test_zero_or_negative_quantity_is_refused(self):
        for quantity in ("0", "-5"):
            with self.assertRaisesMessage(ValidationError, _(services.QUANTITY_NOT_POSITIVE)):
                services.stock_receive(
                    actor=self.assetkeeper, item=self.paper, quantity=Decimal(quantity), unit_price=Decimal("1")
                )

    def test_negative_price_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(services.PRICE_NEGATIVE)):
            services.stock_receive(
                actor=self.assetkeeper, item=self.paper, quantity=Decimal("1"), unit_price=Decimal("-1")
            )


class AdjustmentAndReversalTests(StockTestCase):
    def test_adjustment_needs_a_reason(self):
        with self.assertRaisesMessage(ValidationError, _(services.REASON_REQUIRED)):
            services.stock_adjust(actor=self.assetkeeper, item=self.paper, quantity=Decimal("-2"), reason=" ")

    def test_adjustment_cannot_take_the_balance_below_zero(self):
        with self.assertRaises(ValidationError):
            services.stock_adjust(actor=self.assetkeeper, item=self.paper, quantity=Decimal("-101"), reason="盘亏")
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("100"))

    def test_reversal_posts_the_opposite_and_keeps_the_original(self):
        wrong = services.stock_receive(
            actor=self.assetkeeper, item=self.paper, quantity=Decimal("50"), unit_price=Decimal("20")
        )
        reversal = services.movement_reverse(actor=self.assetkeeper, movement=wrong, reason="录入重复")
        self.assertEqual(reversal.quantity, Decimal("-50"))
        self.assertEqual(reversal.kind, MovementKind.REVERSAL)
        self.assertTrue(StockMovement.objects.filter(pk=wrong.pk).exists())
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("100"))
        self.assertLedgerBalanced()

    def test_a_movement_is_reversed_only_once(self):
        wrong = services.stock_receive(
            actor=self.assetkeeper, item=self.paper, quantity=Decimal("5"), unit_price=Decimal("20")
        )
        services.movement_reverse(actor=self.assetkeeper, movement=wrong, reason="录错")
        with self.assertRaisesMessage(ValidationError, _(services.ALREADY_REVERSED)):
            services.movement_reverse(actor=self.assetkeeper, movement=wrong, reason="录错")

    def test_ledger_rows_cannot_be_edited_or_deleted(self):
        movement = StockMovement.objects.filter(item=self.paper).first()
        movement.quantity = Decimal("1")
        with self.assertRaises(ValidationError):
            movement.save()
        with self.assertRaises(ValidationError):
            StockMovement.objects.filter(item=self.paper).delete()
        with self.assertRaises(ValidationError):
            StockMovement.objects.filter(item=self.paper).update(quantity=1)


class RequisitionTests(StockTestCase):
    def test_teacher_requests_and_gets_a_number(self):
        requisition = self.request_paper()
        self.assertEqual(requisition.status, RequisitionStatus.PENDING)
        self.assertRegex(requisition.number, r"^LY-\d{4}-00001$")
        self.assertEqual(requisition.receiver, self.teacher_person)
        self.assertAudited(requisition, "stock.requisition.created", actor=self.teacher)

    def test_request_without_lines_or_with_a_duplicate_line_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(services.NO_LINES)):
            services.requisition_create(actor=self.teacher, lines=[], purpose="x")
        with self.assertRaises(ValidationError):
            services.requisition_create(
                actor=self.teacher, lines=[(self.paper, Decimal("1")), (self.paper, Decimal("2"))], purpose="x"
            )

    def test_another_schools_item_cannot_be_requested(self):
        other = make_item(self.school_b, balance=10)
        with self.assertRaises(ValidationError):
            services.requisition_create(actor=self.teacher, lines=[(other, Decimal("1"))], purpose="x")

    def test_bureau_staff_cannot_request(self):
        with self.assertRaises(PermissionDenied):
            services.requisition_create(actor=self.bureau, lines=[(self.paper, Decimal("1"))], purpose="x")

    def test_storekeeper_issues_a_pending_requisition_and_the_balance_falls(self):
        requisition = services.requisition_issue(actor=self.assetkeeper, requisition=self.request_paper("10"))
        self.assertEqual(requisition.status, RequisitionStatus.ISSUED)
        self.assertEqual(requisition.approved_by, self.assetkeeper)
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("90"))
        issue = StockMovement.objects.get(requisition=requisition)
        self.assertEqual(
            (issue.kind, issue.quantity, issue.receiver), (MovementKind.ISSUE, Decimal("-10"), self.teacher_person)
        )
        self.assertAudited(requisition, "stock.requisition.issued", actor=self.assetkeeper)
        self.assertLedgerBalanced()

    def test_issue_beyond_the_balance_is_refused_and_nothing_moves(self):
        ink = make_item(self.school_a, name="墨盒", unit="个", balance=1)
        requisition = services.requisition_create(
            actor=self.teacher, lines=[(self.paper, Decimal("10")), (ink, Decimal("2"))], purpose="打印"
        )
        with self.assertRaisesMessage(ValidationError, "墨盒"):
            services.requisition_issue(actor=self.assetkeeper, requisition=requisition)
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("100"))
        requisition.refresh_from_db()
        self.assertEqual(requisition.status, RequisitionStatus.PENDING)

    def test_nobody_approves_or_issues_their_own_requisition(self):
        own = self.request_paper(user=self.assetkeeper)
        with self.assertRaisesMessage(ValidationError, _(services.CANNOT_DECIDE_OWN)):
            services.requisition_issue(actor=self.assetkeeper, requisition=own)
        with self.assertRaisesMessage(ValidationError, _(services.CANNOT_DECIDE_OWN)):
            services.requisition_approve(actor=self.assetkeeper, requisition=own)

    def test_approval_then_issue_then_receipt(self):
        requisition = services.requisition_approve(
            actor=self.logistics, requisition=self.request_paper(), comment="同意"
        )
        self.assertEqual(requisition.status, RequisitionStatus.APPROVED)
        services.requisition_issue(actor=self.assetkeeper, requisition=requisition)
        received = services.requisition_confirm_received(actor=self.teacher, requisition=requisition)
        self.assertEqual(received.status, RequisitionStatus.RECEIVED)
        self.assertIsNotNone(received.received_at)

    def test_an_issued_requisition_cannot_be_issued_twice(self):
        requisition = services.requisition_issue(actor=self.assetkeeper, requisition=self.request_paper())
        with self.assertRaises(ValidationError):
            services.requisition_issue(actor=self.assetkeeper, requisition=requisition)
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("90"))

    def test_rejection_needs_a_comment(self):
        with self.assertRaisesMessage(ValidationError, _(services.COMMENT_REQUIRED)):
            services.requisition_reject(actor=self.logistics, requisition=self.request_paper(), comment="")

    def test_only_requester_or_receiver_confirms_receipt(self):
        requisition = services.requisition_issue(actor=self.assetkeeper, requisition=self.request_paper())
        with self.assertRaises(PermissionDenied):
            services.requisition_confirm_received(actor=self.principal, requisition=requisition)

    def test_requester_cancels_before_issue(self):
        cancelled = services.requisition_cancel(actor=self.teacher, requisition=self.request_paper())
        self.assertEqual(cancelled.status, RequisitionStatus.CANCELLED)

    def test_batch_issue_gives_every_teacher_a_set_or_nobody_anything(self):
        teachers = [Person.objects.create(school=self.school_a, name=f"老师{n}") for n in range(3)]
        pens = make_item(self.school_a, name="红笔", unit="支", balance=5)
        with self.assertRaises(ValidationError):
            services.batch_issue(
                actor=self.assetkeeper,
                lines=[(self.paper, Decimal("2")), (pens, Decimal("2"))],
                receivers=teachers,
                purpose="开学办公用品",
            )
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("100"))
        issued = services.batch_issue(
            actor=self.assetkeeper,
            lines=[(self.paper, Decimal("2")), (pens, Decimal("1"))],
            receivers=teachers,
            purpose="开学办公用品",
        )
        self.assertEqual(len(issued), 3)
        self.assertEqual({r.status for r in issued}, {RequisitionStatus.ISSUED})
        self.paper.refresh_from_db()
        pens.refresh_from_db()
        self.assertEqual((self.paper.balance, pens.balance), (Decimal("94"), Decimal("2")))
        self.assertLedgerBalanced()


class SelectorTests(StockTestCase):
    def test_low_stock_lists_items_at_or_below_their_minimum(self):
        chalk = make_item(self.school_a, name="粉笔", unit="盒", balance=5, min_quantity=Decimal("5"))
        make_item(self.school_a, name="扫把", unit="把", balance=6, min_quantity=Decimal("5"))
        make_item(self.school_b, name="粉笔", unit="盒", balance=1, min_quantity=Decimal("5"))
        low = selectors.item_list(user=self.assetkeeper, low_only=True)
        self.assertEqual(list(low), [chalk])

    def test_waiting_list_shows_pending_to_approvers_and_approved_to_issuers(self):
        pending = self.request_paper()
        self.assertIn(pending, selectors.requisitions_waiting_for(user=self.logistics))
        self.assertNotIn(pending, selectors.requisitions_waiting_for(user=self.teacher))


@pytest.mark.postgres
class ConcurrentIssueTests(TransactionTestCase):
    """20 storekeepers issue from one item at once: the balance never goes below zero (PostgreSQL row locks)."""

    def test_parallel_issues_never_oversell(self):
        class Cast:
            pass

        build_cast(Cast)
        keepers = [make_user(f"keeper{n}", role=Role.ASSET_KEEPER, school=Cast.school_a) for n in range(4)]
        item = make_item(Cast.school_a, name="消毒液", unit="瓶", balance=15)
        requisitions = [
            services.requisition_create(actor=Cast.teacher, lines=[(item, Decimal("1"))], purpose=f"班级{n}")
            for n in range(20)
        ]
        outcomes: list[str] = []
        barrier = threading.Barrier(len(requisitions))

        def issue(n: int) -> None:
            try:
                barrier.wait(timeout=10)
                services.requisition_issue(actor=keepers[n % len(keepers)], requisition=requisitions[n])
                outcomes.append("issued")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=issue, args=(n,)) for n in range(len(requisitions))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        item.refresh_from_db()
        self.assertEqual(outcomes.count("issued"), 15)
        self.assertEqual(outcomes.count("refused"), 5)
        self.assertEqual(item.balance, Decimal("0"))
        self.assertEqual(sum(m.quantity for m in StockMovement.objects.filter(item=item)), Decimal("0"))
        self.assertEqual(StockItem.objects.get(pk=item.pk).balance, 0)


def test_quantities_in_messages_are_plain_numbers():
    from houqin.stock.services import plain

    assert (plain(Decimal("100.00")), plain(Decimal("2.50")), plain(Decimal("0"))) == ("100", "2.5", "0")
