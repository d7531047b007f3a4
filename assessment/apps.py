from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "考核评价"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from deadlines import recurring
        from documents.kinds import register as register_kind
        from portal import registry as portal

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .builtin import register_builtin
        from .exports import EXPORTERS
        from .kinds import APPRAISAL_REPORT, IMPLEMENTATION_NOTICE

        # M9.6, M9.7: a filed self-assessment / officer evaluation meets the unit's duty.
        recurring.enable("self_assessment")
        recurring.enable("officer_evaluation")
        register_builtin()
        from .mechanisms import register_mechanisms
        register_mechanisms()  # the other mechanisms' indicators, where their apps are installed
        register_kind(APPRAISAL_REPORT)
        register_kind(IMPLEMENTATION_NOTICE)
        for exporter in EXPORTERS:
            exports.register(exporter)
        register_verbs({
            "assessment.appraisal.create": "建立年度考核",
            "assessment.appraisal.transition": "考核状态变更",
            "assessment.item.save": "设置考核指标",
            "assessment.item.remove": "删除考核指标",
            "assessment.score.save": "考核评分",
            "assessment.reversal.save": "登记复议纠错和诉讼败诉",
            "assessment.result.honour": "记录表彰或通报批评",
            "assessment.selfassessment.transition": "考核自评状态变更",
            "assessment.self_assessment.save": "填报考核自评",
            "assessment.officer_evaluation.create": "建立执法人员考核评议",
            "assessment.officer_evaluation.grade": "评定执法人员等次",
            "assessment.officerevaluation.transition": "执法人员考核评议状态变更",
            "assessment.implementation_notice.issue": "印发机制落实情况工作通报",
        })
        register(
            NavItem("依法行政考核", "assessment:list", "appraisal.view",
                    "年度考核方案、评分、考核结果的审定、反馈和公布。", order=40, group="supervision"),
            NavItem("考核自评", "assessment:self_assessments", "self_assessment.write",
                    "各行政执法部门年终考核自评，报区政府并报区司法局备案。", order=41, group="supervision"),
            NavItem("执法人员考核评议", "assessment:officer_evaluations", "self_assessment.write",
                    "每半年对本单位执法人员的考核评议，报区司法局备案并公开。", order=42, group="supervision"),
            NavItem("机制落实督查", "assessment:implementation", "implementation.supervise",
                    "各单位落实各项工作机制的情况：已办、逾期，及工作通报。", order=90, group="safeguard"),
        )
        portal.register(portal.Section(
            "appraisals", "考核结果", "assessment:public",
            "年度依法行政考核结果、各部门考核自评和执法人员考核评议结果。", order=30))
