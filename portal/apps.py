from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "公开服务"
