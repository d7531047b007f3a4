from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "discipline"
    verbose_name = "违纪线索"

    def ready(self) -> None:
        from cases import panels
        from cases.models import CaseStatus
        from cases.workflow import CASE_WORKFLOW
        from core import exports, navigation
        from core.audit import register_verbs
        from documents.kinds import DocumentKind
        from documents.kinds import register as register_kind

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import LEADS_EXPORTER, REFERRAL_EXPORTER
        from .letter import LETTER_FIELDS, letter_sample
        from .services import LETTER_KIND, _on_case_closed
        from .views import referral_panel_context

        # M10.3: closing a penalty case on a party member or state functionary opens a referral.
        CASE_WORKFLOW.add_entry_effect(CaseStatus.CLOSED, _on_case_closed)
        register_kind(DocumentKind(
            code=LETTER_KIND, title="违纪线索移送函",
            template="discipline/documents/referral_letter.html", number_code="纪移",
            sample=letter_sample, required=LETTER_FIELDS, capability="referral.sign",
            header_suffix=""))
        exports.register(REFERRAL_EXPORTER)
        exports.register(LEADS_EXPORTER)
        register_verbs({
            "referral.open": "启动违纪线索移送",
            "referral.write": "撰写违纪线索",
            "referral.seal": "确认加盖公章",
            "referral.decision": "附行政处罚决定书",
            "discipline.disciplinereferral.transition": "违纪线索移送状态变更",
        })
        navigation.register(
            navigation.NavItem("违纪线索移送", "discipline:list", "referral.view",
                               "结案处罚涉及党员、公职人员的线索移送纪检监察机关。", order=60, group="linkage"),
            navigation.NavItem("问责线索", "discipline:accountability", "referral.oversee",
                               "未按时移送违纪线索和经研判无违纪线索的案件。", order=61, group="linkage"),
        )
        panels.register(panels.CasePanel("discipline", "违纪线索移送", "discipline/panel.html",
                                         referral_panel_context, 40))
