from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "执法案件"

    def ready(self) -> None:
        from . import selectors  # noqa: F401  (registers the scopes)
