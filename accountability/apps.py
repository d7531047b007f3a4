from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = "责任追究"

    def ready(self) -> None:
        from core import exports, pages
        from core.audit import register_verbs
        from core.navigation import NavItem, register

        from . import demo, selectors, source_kinds  # noqa: F401  (scopes, demo seeder)
        from .exports import EXPORTERS

        # M8: the sources that exist (discipline referrals, ordered transfers); other
        # apps register theirs in their own ready() (accountability.sources).
        source_kinds.register_all()
        # A source's page lists the proceedings opened from it (includes/source_proceedings.html).
        pages.register_detail_part("source_proceedings", selectors.proceedings_on_page)
        register_verbs({
            "accountability.proceeding.open": "启动责任追究",
            "accountability.proceeding.transition": "责任追究状态变更",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("责任追究", "accountability:list", "accountability.view",
                    "行政执法过错责任的认定、处理和结果，司法局监督各机关的责任追究。",
                    order=80, group="supervision"),
        )
