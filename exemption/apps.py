from django.apps import AppConfig


class ExemptionConfig(AppConfig):
    name = "exemption"
    verbose_name = "履职免责"

    def ready(self) -> None:
        from accountability import panels
        from accountability.models import ProceedingStatus as S
        from accountability.workflow import PROCEEDING_WORKFLOW
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register

        from . import demo, selectors, views  # noqa: F401  (scopes, demo seeder)
        from .exports import EXPORTERS
        from .workflow import accepted_claim_required, pending_claim_blocks

        # M12.3: a pending claim is decided before the fault is; 免责 only through a claim.
        PROCEEDING_WORKFLOW.add_entry_guard(S.DETERMINED, pending_claim_blocks)
        PROCEEDING_WORKFLOW.add_entry_guard(S.NOT_LIABLE, pending_claim_blocks)
        PROCEEDING_WORKFLOW.add_entry_guard(S.RESERVED, pending_claim_blocks)
        PROCEEDING_WORKFLOW.add_entry_guard(S.EXEMPTED, accepted_claim_required)
        panels.register(panels.ProceedingPanel(
            key="exemption", template="exemption/claim_panel.html",
            context=views.claim_panel_context, order=10))
        register_verbs({
            "exemption.interference.record": "记录干预执法活动情况",
            "exemption.interference.correct": "更正干预记录",
            "exemption.claim.submit": "提出依法履职免责申请",
            "exemption.exemptionclaim.transition": "免责申请决定",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("干预执法记录", "exemption:list", "interference.view",
                    "记录、存档任何单位或个人干预行政执法活动、插手具体案件的情况。",
                    order=120, group="safeguard"),
        )
