from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = "案件移送"

    def ready(self) -> None:
        from cases import panels
        from cases.models import CaseStatus
        from cases.workflow import CASE_WORKFLOW
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from documents.kinds import DocumentKind
        from documents.kinds import register as register_kind

        from . import demo, document_kinds, exports, selectors, services, views  # noqa: F401  (demo registers its seeder)

        register_verbs(services.AUDIT_VERBS)
        exports.register()

        # M4.4: the decision waits for the criminal outcome.
        CASE_WORKFLOW.add_entry_guard(CaseStatus.DECIDED, selectors.transfer_blocks_decision)
        register_kind(DocumentKind(
            code="case_transfer_letter", title="案件移送书",
            template="transfers/documents/case_transfer_letter.html", number_code="移",
            sample=document_kinds.sample_transfer_letter,
        ))
        register_kind(DocumentKind(
            code="ordered_transfer_notice", title="责令限期移送通知书",
            template="transfers/documents/ordered_transfer_notice.html", number_code="责移",
            sample=document_kinds.sample_ordered_transfer_notice,
        ))
        register(
            NavItem("案件移送", "transfers:list", "transfer.prepare",
                    "移送有管辖权的部门、涉嫌犯罪案件移送公安机关", order=40, group="linkage"),
            NavItem("移送收件箱", "transfers:inbox", None, "他单位移送给本单位的案件", order=41, group="linkage"),
            NavItem("移送监督", "transfers:supervision", "transfer.supervise",
                    "全部移送的办理、逾期、退回和处理结果", order=42, group="linkage"),
            NavItem("责令限期移送", "transfers:order_list", "transfer.order",
                    "责令限期移送通知书与处分建议", order=43, group="linkage"),
        )
        panels.register(panels.CasePanel(
            key="transfers", title="案件移送", template="transfers/case_panel.html",
            context=views.case_panel_context, order=40,
        ))
