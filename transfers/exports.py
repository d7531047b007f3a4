"""The transfer lists' Excel exports (core.exports), one per list, each at the list's own
address with ``?export=xlsx`` and the rows that list shows for the same filters.
Registered in TransfersConfig.ready()."""
from __future__ import annotations

from core import exports, formats
from core.pages import filtered

from . import selectors
from .forms import OrderFilterForm, TransferFilterForm

TRANSFER_HEADERS = ["编号", "类别", "事由", "案件编号", "移送单位", "接收单位", "状态", "移送时间",
                    "接收方处理时间", "刑事处理结果", "退回理由", "抄送单位"]


def _transfer_rows(user, transfers):
    for t in transfers:
        yield [str(t.pk), t.get_kind_display(), t.subject, t.case.number if t.case else "",
               t.sender.name, t.receiver.name, t.get_status_display(), t.sent_at, t.answered_at,
               t.get_outcome_display() if t.outcome else "", t.return_reason,
               "、".join(o.short_name for o in t.copied_to.all())]


def _transfers(selector):
    def queryset(user, params):
        return filtered(TransferFilterForm, params,
                        lambda f: selector(user, f)).prefetch_related("copied_to")
    return queryset


def _order_rows(user, orders):
    for o in orders:
        yield [o.case.number, o.department.name, o.issuer.name, o.receiver.name,
               o.get_kind_display(), o.reason, formats.due_text(o.due), o.notice.number if o.notice else "",
               o.complied_at, o.sanction_target, o.get_sanction_post_display() if o.sanction_post else "",
               o.get_sanction_display() if o.sanction else "", o.sanction_proposal]


EXPORTERS = (
    exports.Exporter(kind="transfers_list", title="案件移送台账", capability="transfer.view",
                     headers=TRANSFER_HEADERS, queryset=_transfers(selectors.transfer_list),
                     rows=_transfer_rows),
    exports.Exporter(kind="transfers_inbox", title="移送收件台账", capability="transfer.view",
                     headers=TRANSFER_HEADERS, queryset=_transfers(selectors.inbox),
                     rows=_transfer_rows),
    exports.Exporter(kind="transfers", title="案件移送监督台账", capability="transfer.supervise",
                     headers=TRANSFER_HEADERS, queryset=_transfers(selectors.supervision_list),
                     rows=_transfer_rows),
    exports.Exporter(
        kind="transfer_orders", title="责令限期移送台账", capability="transfer.view",
        headers=["案件编号", "被责令单位", "责令单位", "应移送至", "移送类别", "应移送的理由",
                 "移送期限", "通知书文号", "移送时间", "责任人", "责任人职务", "建议处分",
                 "处分建议理由"],
        queryset=lambda user, params: filtered(
            OrderFilterForm, params, lambda f: selectors.orders_for(user, f)).select_related("receiver"),
        rows=_order_rows),
)


def register() -> None:
    for exporter in EXPORTERS:
        exports.register(exporter)
