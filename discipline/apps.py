from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = "监察执纪衔接（M10）"
