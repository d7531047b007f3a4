from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "执法培训"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import EXPORTERS

        register_verbs({
            "training.session.create": "登记执法培训",
            "training.attendees.add": "登记参训人员",
            "training.attendees.remove": "删除参训人员",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("执法培训", "training:list", "training.view",
                    "三项制度、示范创建、执法责任制等执法培训及参训人员。", order=120, group="safeguard"),
            NavItem("培训学时统计", "training:hours", "training.view",
                    "各单位、各执法人员的年度培训学时和未达标情况。", order=121, group="safeguard"),
        )
