from django.apps import AppConfig


class TownshipsConfig(AppConfig):
    name = "townships"
    verbose_name = "乡镇街道与区职能部门协作（M15）"
