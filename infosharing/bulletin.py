"""The 网上巡查情况通报 (M5.3): after the 区委全面依法治区委员会 reviewed the quarter's
inspection, the justice bureau circulates its result to every unit, naming the units with
problems and the date by which they rectify."""
from __future__ import annotations

from django.utils import timezone

from documents.kinds import DocumentKind


def bulletin_sample() -> dict:
    return {
        "period": "2026年第三季度",
        "summary": "本季度共巡查全区行政执法单位22个，覆盖河北省政务服务平台、“两法衔接”平台、"
                   "区政府行政执法公示专栏和各单位门户网站。",
        "review": "经区委全面依法治区委员会第三次会议审议同意。",
        "units": 22, "problems": 3,
        "rows": [{"unit": "北戴河区市场监督管理局", "items": "部门网站：执法结果未及时更新", "late": 2}],
        "rectify_by": timezone.localdate().isoformat(),
    }


BULLETIN = DocumentKind(
    code="web_inspection_bulletin",
    title="网上巡查情况通报",
    template="infosharing/documents/web_inspection_bulletin.html",
    number_code="巡",
    sample=bulletin_sample,
    required={"period": "巡查季度", "summary": "巡查总体情况", "review": "审议情况"},
    capability="infosharing.inspect",
    header_suffix="",
)
