from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "期限与工作日历"

    def ready(self) -> None:
        from core import navigation, pages

        from . import demo, selectors, tallies  # noqa: F401  (registers the scopes, the seeder, the tallies)

        pages.register_detail_part("deadlines", selectors.deadlines_for)

        navigation.register(
            navigation.NavItem("我的时限", "deadlines:list", None,
                               "法定时限：进行中、临期和逾期的事项，按规则、单位和状态筛选。",
                               order=20),
        )
