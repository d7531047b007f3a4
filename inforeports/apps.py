from django.apps import AppConfig


class InforeportsConfig(AppConfig):
    name = "inforeports"
    verbose_name = "执法信息报送"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from deadlines import recurring

        from . import hooks
        hooks.register_all()  # its lead rule / accountability source (hooks.py)
        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import EXPORTERS

        # W3: the month's second report meets the unit's monthly duty.
        recurring.enable("info_reports")
        register_verbs({
            "inforeports.report.submit": "报送执法信息",
            "inforeports.inforeport.transition": "执法信息状态变更",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("执法信息报送", "inforeports:list", "inforeport.view",
                    "各单位向区司法局报送执法信息，每月不少于 2 篇；司法局采用。", order=130, group="safeguard"),
            NavItem("信息报送月报", "inforeports:monthly", "inforeport.view",
                    "各单位每月报送和采用执法信息的情况。", order=131, group="safeguard"),
        )
