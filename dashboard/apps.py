from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "监督看板"

    def ready(self) -> None:
        from core import navigation

        from . import deadline_figures, registry

        registry.register(registry.SimpleProvider(
            key="deadlines", title="各项时限", build_fn=deadline_figures.build, order=0))
        # Each app's dashboard.py registers its own panels (cases, transfers …).
        registry.autodiscover()
        navigation.register(navigation.NavItem(
            "监督看板", "dashboard:index", "dashboard.view",
            "各单位红黄绿灯、各项机制时限与按期率、案件和移送趋势、需关注事项。", order=5))
