from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "联席会议"

    def ready(self) -> None:
        from core import exports
        from core.audit import register_verbs
        from core.navigation import NavItem, register
        from deadlines import recurring

        from . import demo, selectors  # noqa: F401  (registers the scopes and the demo seeder)
        from .exports import EXPORTERS

        # M1.2, M14.1: a held regular meeting meets its convener's duty, so the duties run.
        recurring.enable("annual_joint_meeting")
        recurring.enable("approval_linkage_meeting")

        register_verbs({
            "meetings.body.save": "设置联席会议",
            "meetings.liaison.name": "确定联络员",
            "meetings.proposal.submit": "提议召开临时会议",
            "meetings.meetingproposal.transition": "临时会议提议状态变更",
            "meetings.meeting.create": "安排会议",
            "meetings.agenda.add": "列入议题",
            "meetings.agenda.remove": "删除议题",
            "meetings.meeting.transition": "会议状态变更",
            "meetings.resolution.create": "交办议定事项",
            "meetings.resolution.transition": "议定事项状态变更",
            "meetings.assignment.transition": "议定事项落实情况",
        })
        for exporter in EXPORTERS:
            exports.register(exporter)
        register(
            NavItem("联席会议", "meetings:list", "meeting.view",
                    "执法协调监督联席会议和审批监管联席会议：例会、临时会议、议题与会议纪要。",
                    order=10, group="coordination"),
            NavItem("议定事项", "meetings:resolutions", "meeting.view",
                    "联席会议议定事项的交办、反馈、认可与退回。", order=11, group="coordination"),
            NavItem("联络员名册", "meetings:liaisons", "meeting.view",
                    "各成员单位的联席会议联络员。", order=12, group="coordination"),
        )
