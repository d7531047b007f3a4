"""The demo transfers (transfers/demo.py): one of each path, made once through the
services, and counted by the supervision dashboard the justice bureau opens on first start."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core import demo
from core.models import Event, User
from deadlines.models import Deadline, DeadlineState
from documents.models import Document
from transfers.models import Transfer, TransferMaterial
from transfers.models import TransferKind as K
from transfers.models import TransferStatus as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def midday():
    """Noon today: seeding and reading the dashboard fall in the same month."""
    noon = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))
    with time_machine.travel(noon, tick=True):
        yield


def _deadline_states(transfer: Transfer) -> dict[str, str]:
    return dict(Deadline.objects.filter(target_type__model="transfer", target_id=str(transfer.pk))
                .values_list("rule", "state"))


def _footprint() -> tuple[int, ...]:
    return (Transfer.objects.count(), TransferMaterial.objects.count(), Document.objects.count(),
            Deadline.objects.count(), Event.objects.count())


def test_demo_seeds_each_transfer_path_once_through_the_services(midday):
    demo.seed()
    # transfers/demo.py's four, one of each path (demo_district/year.py adds the year's)
    from transfers.demo import DEMO_TRANSFERS

    transfers = {t.subject: t for t in Transfer.objects.select_related("sender", "receiver", "case")
                 .filter(subject__in=[spec.subject for spec in DEMO_TRANSFERS])}
    assert {s: (t.kind, t.sender.short_name, t.receiver.short_name, t.status)
            for s, t in transfers.items()} == {
        "东经路某便利店销售超过保质期的食品": (K.TOWNSHIP, "北海滨", "北市监", S.SENT),
        "海滨路某餐饮店店外占道经营": (K.COMPETENT, "北市监", "北城管", S.ACCEPTED),
        "海滨镇某村民在院内搭建彩钢房": (K.TOWNSHIP, "北城管", "北海滨", S.RETURNED),
        "秦皇岛某商贸有限公司涉嫌销售假冒注册商标的商品": (K.CRIMINAL, "北市监", "北公", S.FILED),
    }
    waiting, accepted, returned, criminal = (transfers[s] for s in (
        "东经路某便利店销售超过保质期的食品", "海滨路某餐饮店店外占道经营",
        "海滨镇某村民在院内搭建彩钢房", "秦皇岛某商贸有限公司涉嫌销售假冒注册商标的商品"))
    year = timezone.localdate().year
    # The demo cases of cases/demo.py, looked up by number.
    assert accepted.case.number == f"北市监检〔{year}〕3号"
    assert criminal.case.number == f"北市监罚〔{year}〕2号" and criminal.decision_travels  # M4.4
    # Each went out with its numbered 案件移送书 (the sender's short name + 移).
    for transfer in transfers.values():
        letter = transfer.materials.get(material_type="transfer_letter").document
        assert letter.number.startswith(f"{transfer.sender.short_name}移〔{year}〕")
    # The deadlines the services opened: the township's M15.1 timer met on sending, the
    # receiver's 3 working days still running on the one that waits.
    assert _deadline_states(waiting) == {"township_transfer": DeadlineState.MET,
                                         "transfer_acceptance": DeadlineState.OPEN}
    assert _deadline_states(accepted) == {"transfer_acceptance": DeadlineState.MET}
    assert returned.return_reason.startswith("经核对本镇承接的行政执法事项清单")
    # M4.3: head approval, the 24 h send and the police's filing decision, all met; the
    # procuratorate and the justice bureau copied.
    assert _deadline_states(criminal) == {"criminal_transfer_decision": DeadlineState.MET,
                                          "criminal_transfer_send": DeadlineState.MET,
                                          "police_filing_decision": DeadlineState.MET}
    # M4.3: reported to the market regulator's city-level authority too.
    assert set(criminal.copied_to.values_list("short_name", flat=True)) == {"北检", "北司", "秦市监"}
    assert criminal.reported_to.name == "秦皇岛市市场监督管理局"

    footprint = _footprint()
    demo.seed()
    assert _footprint() == footprint


def test_demo_transfers_fill_the_dashboard_of_the_justice_bureau(client, midday):
    demo.seed()
    client.force_login(User.objects.get(username="jdy"))
    response = client.get(reverse("dashboard:index"))  # the current month
    assert response.status_code == 200
    panel = next(p for p in response.context["panels"] if p.key == "transfers")
    metrics = {m.label: m.figure.text for m in panel.metrics}
    assert metrics == {"移送总数": "4", "待处理": "1", "退回或不予立案": "1"}
