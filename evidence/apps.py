from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "证据确认"

    def ready(self) -> None:
        from cases import panels
        from cases.models import CaseStatus
        from cases.workflow import CASE_WORKFLOW
        from core.audit import register_verbs

        from . import demo  # noqa: F401  (registers the demo seeder)
        from .selectors import evidence_blockers, penalty_evidence_blockers
        from .views import evidence_panel_context

        # M13: a case with unconfirmed evidence can be neither decided nor closed; the
        # refusal names each item and what it lacks.
        CASE_WORKFLOW.add_entry_guard(CaseStatus.DECIDED, evidence_blockers)
        CASE_WORKFLOW.add_entry_guard(CaseStatus.CLOSED, evidence_blockers)
        # A penalty is decided only on at least one confirmed item of evidence.
        CASE_WORKFLOW.add_entry_guard(CaseStatus.DECIDED, penalty_evidence_blockers)
        register_verbs({
            "evidence.add": "登记证据",
            "evidence.update": "修改证据",
            "evidence.attach": "上传证据文件",
            "evidence.remove": "删除证据",
        })
        panels.register(panels.CasePanel("evidence", "证据（证据确认）", "evidence/panel.html",
                                         evidence_panel_context, 20))
