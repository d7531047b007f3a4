from django.apps import AppConfig


class GuidingcasesConfig(AppConfig):
    name = "guidingcases"
    verbose_name = "行政执法指导案例"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from deadlines import recurring
        from documents.kinds import DocumentKind
        from documents.kinds import register as register_kind
        from portal import registry as portal

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .documents import COMPILATION_FIELDS, compilation_sample
        from .exports import EXPORTER
        from .services import COMPILATION_KIND

        # M11.2: a department's nominations meet its yearly submission duty.
        recurring.enable("guiding_case_submission")
        register_kind(DocumentKind(
            code=COMPILATION_KIND, title="行政执法指导案例汇编",
            template="guidingcases/documents/compilation.html", number_code="案汇",
            sample=compilation_sample, required=COMPILATION_FIELDS,
            capability="guidingcase.publish"))
        register_verbs({
            "guidingcases.guidingcase.create": "报送指导案例",
            "guidingcases.guidingcase.update": "修改指导案例",
            "guidingcases.guidingcase.transition": "指导案例状态变更",
            "guidingcases.expert.invite": "邀请专家论证",
            "guidingcases.opinion.submit": "提交专家论证意见",
            "guidingcases.compilation.issue": "印发指导案例汇编",
        })
        exports.register(EXPORTER)
        register(NavItem("指导案例", "guidingcases:list", "guidingcase.view",
                         "行政执法指导案例的报送、专家论证、审查和发布。", order=110, group="safeguard"))
        portal.register(portal.Section(
            "guiding_cases", "行政执法指导案例", "guidingcases_public:list",
            "区人民政府发布的行政执法指导案例及案例汇编。", order=20))
