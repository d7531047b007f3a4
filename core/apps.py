from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础：用户、单位与审计"

    def ready(self) -> None:
        from . import navigation, selectors  # noqa: F401  (registers the scopes)

        navigation.register(
            navigation.NavItem("审计记录", "core:event_list", "audit.view",
                               "谁在何时做了什么：每一次修改的记录。", order=900),
        )
