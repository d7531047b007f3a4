from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "公文"

    def ready(self) -> None:
        from core import exports, navigation, pages
        from core.audit import register_verbs

        from . import demo, kinds, selectors  # noqa: F401  (scope and demo seeder)
        from .exports import DOCUMENT_EXPORTER
        from .supervision import INSTRUMENTS

        for instrument in INSTRUMENTS.values():
            kinds.register(instrument)
        pages.register_detail_part("documents", selectors.documents_for)
        exports.register(DOCUMENT_EXPORTER)
        register_verbs({
            "document.issue": "签发公文",
            "document.correct": "签发更正版本",
            "documents.document.transition": "公文状态变更",
            "rectification.submit": "报告整改情况",
            "documents.rectificationreport.transition": "审核整改情况",
        })
        navigation.register(
            navigation.NavItem("公文", "documents:list", None,
                               "本单位签发、收到和相关案件的编号公文。", order=300),
        )
