from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "审批监管处罚衔接"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register

        from . import demo, hooks, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        hooks.register_all()  # M14.4 non-cooperation as an accountability source (hooks.py)
        from .exports import EXPORTERS

        register_verbs({
            "approvals.route.save": "维护审批监管路由",
            "approvals.route.remove": "删除审批监管路由",
            "approvals.decision.receive": "接收审批决定",
            "approvals.decision.transition": "审批决定状态变更",
            "approvals.supervision.record": "登记事中事后监管情况",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("审批决定", "approvals:list", "approval.view",
                    "审批决定自动导入、按事项类型推送对口监管部门，认领与事中事后监管反馈。",
                    order=70, group="linkage"),
            NavItem("审批监管路由表", "approvals:routes", "approval.view",
                    "审批事项类型与对口监管部门的对应关系。", order=71, group="linkage"),
            NavItem("审批监管不配合情形", "approvals:non_cooperation", "approval.oversee",
                    "逾期未认领、未反馈监管情况、未执行联席会议议定事项。", order=72, group="linkage"),
        )
