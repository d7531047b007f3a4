from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from portal import registry

        from . import hooks
        hooks.register_all()  # its lead rule / accountability source (hooks.py)
        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import EXPORTERS
        from .services import VERBS

        register_verbs(VERBS)
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("投诉举报台账", "complaints:list", "complaint.view",
                    "投诉举报的登记、受理、转办、调查处理、办结、答复和归档，以及逾期情况。",
                    order=30, group="supervision"),
            NavItem("投诉举报渠道", "complaints:channels", "complaint.view",
                    "各单位公布的投诉举报电话、信箱和受理机构。", order=31, group="supervision"),
            NavItem("协助请求", "complaints:assistance_list", "assistance.handle",
                    "协助调查、技术支持和调取档案的请求与答复。", order=47, group="coordination"),
        )
        registry.register(registry.Section(
            "complaint_channels", "投诉举报渠道", "complaints_public:channels",
            "各行政执法部门、乡镇（街道）受理投诉举报的电话、信箱、地址和时间。", order=10))
        registry.register(registry.Section(
            "complaint_new", "在线投诉", "complaints_public:new",
            "在线提交对行政执法的投诉、举报，可上传材料，提交后获得查询码。", order=11))
        registry.register(registry.Section(
            "complaint_track", "办理查询", "complaints_public:track",
            "凭查询码和联系电话查询投诉举报的办理情况和答复。", order=12))
