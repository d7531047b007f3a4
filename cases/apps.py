from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "执法案件"

    def ready(self) -> None:
        from core import navigation

        from . import demo, exports, selectors, services, tallies  # noqa: F401  (scopes, verbs, seeder, tally)

        exports.register_exporter()
        navigation.register(
            navigation.NavItem("执法案件", "cases:list", None,
                               "案件登记、办理、决定与公示，当事人信息。", order=200),
        )
