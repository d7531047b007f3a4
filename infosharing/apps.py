from django.apps import AppConfig


class InfosharingConfig(AppConfig):
    name = "infosharing"
    verbose_name = "执法信息共享"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from deadlines import recurring
        from documents import kinds

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .bulletin import BULLETIN
        from .exports import EXPORTERS

        # M5.3: the circulated bulletin meets the justice bureau's quarterly duty.
        recurring.enable("web_inspection")
        kinds.register(BULLETIN)
        register_verbs({
            "infosharing.channel.save": "登记公示渠道",
            "infosharing.inspection.open": "开展网上巡查",
            "infosharing.result.check": "登记巡查结果",
            "infosharing.webinspection.transition": "网上巡查状态变更",
            "infosharing.statistics.request": "要求报送执法统计",
            "infosharing.statisticsreport.transition": "报送执法统计",
            "infosharing.query.ask": "查询执法信息",
            "infosharing.infoquery.transition": "答复执法信息查询",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("网上巡查", "infosharing:inspections", "infosharing.view",
                    "每季度对各单位公示渠道的网上巡查、委员会审议与通报。", order=50, group="supervision"),
            NavItem("公示渠道", "infosharing:channels", "infosharing.view",
                    "各单位四个公示渠道的网址及应公示内容。", order=51, group="supervision"),
            NavItem("执法统计", "infosharing:requests", "infosharing.view",
                    "司法局要求的执法统计报送与全区统计表。", order=52, group="supervision"),
            NavItem("执法信息查询", "infosharing:queries", "infosharing.view",
                    "行政机关之间查询执法信息及答复。", order=53, group="supervision"),
        )
