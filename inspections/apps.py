from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "监督检查"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from documents import kinds

        from . import hooks
        hooks.register_all()  # its lead rule / accountability source (hooks.py)
        from . import demo, leads, selectors  # noqa: F401  (scopes, lead rules, demo seeder)
        from .documents import INSPECTION_BULLETIN
        from .exports import EXPORTERS

        kinds.register(INSPECTION_BULLETIN)
        for exporter in EXPORTERS:
            exports.register(exporter)
        register_verbs({
            "inspections.check.create": "拟定监督检查",
            "inspections.check.update": "修改检查方案",
            "inspections.check.transition": "监督检查状态变更",
            "inspections.checkunit.transition": "被检查单位材料报送",
            "inspections.finding.add": "登记检查发现的问题",
            "inspections.instrument.issue": "签发监督文书",
            "inspections.review.draw": "抽取评查案卷",
            "inspections.review.score": "评查案卷评分",
            "inspections.casereview.transition": "案卷评查状态变更",
            "inspections.review.to_finding": "评查结果转为检查发现",
            "inspections.leads.compute": "计算大数据监测线索",
            "inspections.lead.transition": "处理监测线索",
        })
        register(
            NavItem("监督检查", "inspections:list", "inspection.view",
                    "日常、重点和专项监督检查：被检查单位、检查内容、材料报送、问题通报与监督文书。",
                    order=30, group="supervision"),
            NavItem("案卷评查", "inspections:reviews", "inspection.plan",
                    "随机抽取办结案卷，按评查标准评分，各单位合格率和平均分。", order=31,
                    group="supervision"),
            NavItem("监测线索", "inspections:leads", "inspection.leads",
                    "大数据监测分析规则发现的线索：排除或转为检查发现。", order=32, group="supervision"),
        )
