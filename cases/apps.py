from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "执法案件"

    def ready(self) -> None:
        from core import exports, navigation
        from core.audit import register_verbs
        from dashboard import registry

        from . import demo, selectors, tallies  # noqa: F401  (scopes, seeder, tallies)
        from .dashboard import cases_panel
        from .exports import CASE_EXPORTER
        from .services import AUDIT_VERBS

        register_verbs(AUDIT_VERBS)
        exports.register(CASE_EXPORTER)
        registry.register(registry.SimpleProvider(key="cases", title="执法案件",
                                                  build_fn=cases_panel, order=20))
        # A daily page of every unit: a link of its own on the bar, in no group.
        navigation.register(
            navigation.NavItem("执法案件", "cases:list", None,
                               "案件登记、办理、决定与公示，当事人信息。", order=200),
        )
