from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = "执法争议协调"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from documents.kinds import DocumentKind
        from documents.kinds import register as register_kind

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import EXPORTER
        from .recommendation import RECOMMENDATION_FIELDS, RECOMMENDATION_KIND, recommendation_sample

        # M2.4: the justice bureau's written recommendation to the district government.
        register_kind(DocumentKind(
            code=RECOMMENDATION_KIND, title="行政执法争议协调书面建议",
            template="disputes/documents/recommendation.html", number_code="争",
            sample=recommendation_sample, required=RECOMMENDATION_FIELDS,
            capability="dispute.coordinate", header_suffix=""))
        register_verbs({
            "disputes.dispute.create": "建立争议协调申请",
            "disputes.negotiation.add": "记录先行协商情况",
            "disputes.negotiation.remove": "删除先行协商记录",
            "disputes.dispute.transition": "执法争议状态变更",
            "disputes.opinion.request": "征求书面意见",
            "disputes.opinion.submit": "提交书面意见",
            "disputes.meeting.record": "登记协调会",
            "disputes.agreement.confirm": "确认协调意见",
            "disputes.implementation.report": "报告裁决执行情况",
            # The events of the township jurisdiction disputes before they moved here
            # (disputes 0002): the audit trail keeps them and still names them.
            "township.dispute": "提出管辖争议",
            "township.dispute_negotiation": "记录协商情况",
            "townships.jurisdictiondispute.transition": "管辖争议状态变更",
        })
        exports.register(EXPORTER)
        register(
            NavItem("执法争议协调", "disputes:list", "dispute.view",
                    "部门间职责、依据、程序、标准争议和乡镇与区直部门管辖争议的协调、建议与裁决。",
                    order=13, group="coordination"),
            NavItem("争议裁决", "disputes:rulings", "dispute.rule",
                    "区司法局协调未果报请裁决的执法争议，以及乡镇与区直部门协商不成的管辖争议。",
                    order=14, group="coordination"),
        )
