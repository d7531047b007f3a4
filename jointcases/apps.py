from django.apps import AppConfig


class JointcasesConfig(AppConfig):
    name = "jointcases"
    verbose_name = "联合办案"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import EXPORTERS

        register_verbs({
            "jointcases.operation.create": "组织联合执法",
            "jointcases.operation.plans": "填写工作方案和应急预案",
            "jointcases.participant.confirm": "确认参加联合执法",
            "jointcases.jointoperation.transition": "联合执法状态变更",
            "jointcases.consultation.record": "登记会商情况",
            "jointcases.case.link": "关联联合执法案件",
            "jointcases.task.assign": "下达督导任务",
            "jointcases.guidancetask.transition": "督导任务状态变更",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("联合执法", "jointcases:list", "joint.view",
                    "重点领域联合执法：工作方案、应急预案、参加单位确认、会商和案件。",
                    order=20, group="coordination"),
            NavItem("督导任务", "jointcases:tasks", "joint.view",
                    "上级部门对乡镇和下级单位的统一行动、监管重点分工与落实反馈。",
                    order=21, group="coordination"),
        )
