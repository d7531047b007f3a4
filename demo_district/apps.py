from django.apps import AppConfig


class DemoDistrictConfig(AppConfig):
    """The demo district's year of activity (``manage.py seed_demo``, ``make run``): last in
    INSTALLED_APPS, so its seeder runs after every app's own and may use every app's
    services. It has no models, pages or URLs."""

    name = "demo_district"
    verbose_name = "演示数据：一年的执法活动"

    def ready(self) -> None:
        from . import year  # noqa: F401  (registers the seeder)
