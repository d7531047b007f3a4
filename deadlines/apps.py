from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "期限与工作日历"

    def ready(self) -> None:
        from core import exports, navigation, pages
        from core.audit import register_verbs

        from . import demo, notifications, selectors, tallies  # noqa: F401  (registers the scopes, the seeder, the tallies)
        from .exports import DEADLINE_EXPORTER

        register_verbs({
            "deadline.open": "开始计算期限",
            "deadline.meet": "期限内事项完成",
            "deadline.cancel": "取消期限",
            "deadline.waive": "豁免期限",
            "deadline.extend": "延长期限",
            "deadline.extension_request": "申请延长期限",
            "deadline.extension_refuse": "不予延长期限",
            "deadline.overdue": "期限逾期",
            "deadline.due_soon": "临期提醒",
            "deadline.acknowledge": "签收逾期督办",
            "deadline.recompute": "按放假安排重算期限",
            "calendar.import": "导入放假安排",
            "calendar.save": "修改工作日历",
            "calendar.delete": "删除工作日历条目",
            "notification.read": "阅读消息",
            "notification.send": "发送消息",
            "calendar_feed.reset": "重置日历订阅地址",
        })
        exports.register(DEADLINE_EXPORTER)
        pages.register_detail_part("deadlines", selectors.deadlines_for)
        navigation.register(
            navigation.NavItem("我的时限", "deadlines:list", None,
                               "法定时限：进行中、临期和逾期的事项，按规则、单位和状态筛选。",
                               order=20),
        )
