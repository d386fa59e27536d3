import threading

import pytest

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase

from houqin.accounts.roles import Role
from houqin.assets import services
from houqin.assets.choices import EventKind
from houqin.assets.tests.factories import make_asset, make_place
from houqin.core.testing import build_cast, make_user


@pytest.mark.postgres
class ConcurrentApprovalTests(TransactionTestCase):
    """Several approvers press "approve" on one transfer at once: it is applied exactly once (row lock)."""

    def test_parallel_approvals_apply_the_transfer_once(self):
        class Cast:
            pass

        build_cast(Cast)
        approvers = [make_user(f"head{n}", role=Role.LOGISTICS_HEAD, school=Cast.school_a) for n in range(6)]
        asset = make_asset(Cast.assetkeeper, place=make_place(Cast.school_a, "101"))
        transfer = services.transfer_request(
            actor=Cast.assetkeeper, asset=asset, to_place=make_place(Cast.school_a, "102"), reason="调整"
        )
        outcomes: list[str] = []
        barrier = threading.Barrier(len(approvers))

        def approve(approver) -> None:
            try:
                barrier.wait(timeout=10)
                services.transfer_approve(actor=approver, transfer=transfer)
                outcomes.append("done")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=approve, args=(a,)) for a in approvers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(sorted(outcomes), ["done"] + ["refused"] * (len(approvers) - 1))
        self.assertEqual(asset.events.filter(kind=EventKind.TRANSFERRED).count(), 1)
