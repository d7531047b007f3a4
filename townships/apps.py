from django.apps import AppConfig


class TownshipsConfig(AppConfig):
    name = "townships"
    verbose_name = "乡镇街道与区职能部门协作"

    def ready(self) -> None:
        from core.audit import register_verbs
        from core.navigation import NavItem, register

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import register_exporters
        from .services import VERBS

        register_verbs(VERBS)
        register_exporters()
        # M15.6's jurisdiction disputes (and the government's 裁决 entry) are disputes' own.
        register(NavItem("乡镇街道协作", "townships:home", "cooperation.handle",
                         "相互移送、现场劝阻、会商、信息通报", order=45, group="coordination"))
