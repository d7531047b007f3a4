"""Evidence confirmation (M13): each type's checklist, the derived confirmation state, and
the case workflow's refusal to decide or close a case with unconfirmed evidence."""
from __future__ import annotations

import io

import pytest
from django.utils import timezone
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases.models import CaseStatus
from cases.services import case_transition
from cases.workflow import CASE_WORKFLOW
from core import policy
from core.models import Event, Role
from core.testing import assert_audited, member, supervisor
from evidence import services
from evidence.models import EvidenceItem, EvidenceKind
from evidence.selectors import evidence_blockers, evidence_for_case, item_gaps, with_file_counts

from .factories import COMPLETE, PNG, CaseFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def attach_png(item: EvidenceItem, actor) -> None:
    services.evidence_attach(actor=actor, item=item, fileobj=io.BytesIO(PNG), name="扫描件.png",
                             size=len(PNG))


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def officer(case):
    return member(Role.OFFICER, case.department)


@pytest.mark.parametrize("kind", EvidenceKind.values)
def test_m13_each_type_is_confirmed_only_when_its_checklist_is_complete(kind, case, officer):
    """M13.1–M13.6: an empty checklist leaves the item unconfirmed; filled in and with a
    file attached, it is confirmed — the state is derived, never typed in."""
    item = EvidenceFactory(case=case, kind=kind)
    assert "未经查证属实" in item_gaps(item)
    for name, value in COMPLETE[kind].items():
        setattr(item, name, value)
    item.save()
    assert item_gaps(item) == ["未上传证据文件（扫描件、照片或音视频）"]
    attach_png(item, officer)
    assert item_gaps(item) == []


def test_m13_2_inquiry_alteration_needs_the_interviewees_confirmation(case):
    item = EvidenceFactory(case=case, verified=True, has_alterations=True)
    assert "涂改处未经被询问人签名、盖章或以其他方式确认" in item.gaps()
    item.alterations_confirmed = True
    assert item.gaps() == []


def test_m13_3_documentary_evidence_lists_every_missing_mark(case):
    item = EvidenceFactory(case=case, kind=EvidenceKind.DOCUMENTARY, verified=True,
                           has_alterations=True)
    assert item.gaps() == [
        "未与原件核对", "未注明提取时间",
        "未逐页由执法人员、当事人和制作人签名或盖章", "未注明是否为真实意思表示",
        "涂改处未按指印",
    ]


def test_m13_4_physical_evidence_accepts_a_reason_and_corroboration_instead(case):
    """M13.4: the original kept or why not; the counterpart's signature, or — only where
    the counterpart cannot sign, with the reason — other corroboration."""
    item = EvidenceFactory(case=case, kind=EvidenceKind.PHYSICAL, verified=True)
    assert item.gaps() == ["未保存原物，也未说明原因",
                           "当事人未签字确认，也未说明无法签字的原因",
                           "当事人未签字确认，也无其他佐证"]
    item.original_not_kept_reason = "鲜活农产品无法长期保存，已拍照留存"
    item.corroboration = "两名见证人签字的现场笔录"
    assert item.gaps() == ["当事人未签字确认，也未说明无法签字的原因"]
    item.counterpart_unable_reason = "当事人拒绝签字"
    assert item.gaps() == []


def test_m13_4_corroboration_without_the_reason_the_counterpart_cannot_sign_is_not_enough(case):
    """M13.4 restated: corroboration is accepted only where the counterpart cannot sign."""
    item = EvidenceFactory(case=case, kind=EvidenceKind.PHYSICAL, verified=True,
                           original_kept=True, corroboration="现场照片三张")
    assert item.gaps() == ["当事人未签字确认，也未说明无法签字的原因"]
    item.counterpart_signed = True
    assert item.gaps() == []


def test_m13_5_audio_needs_a_transcript(case):
    data = {**COMPLETE[EvidenceKind.AUDIO_VISUAL], "transcript": ""}
    item = EvidenceFactory(case=case, kind=EvidenceKind.AUDIO_VISUAL, **data)
    assert item.gaps() == ["声音资料没有文字记录"]
    item.has_audio = False
    assert item.gaps() == []


def test_m13_6_copy_needs_the_providers_mark_date_and_signature(case):
    item = EvidenceFactory(case=case, kind=EvidenceKind.COPY, verified=True)
    assert item.gaps() == ["未说明调取原始证据有困难的原因",
                           "提供人未注明“经核对与原件无误”", "未注明日期",
                           "提供人未签名或盖章"]


def test_m13_6_a_copy_records_why_the_original_could_not_be_obtained(case):
    """M13.6 restated: a copy only where obtaining the original is difficult (调取原始证据有困难)."""
    data = {**COMPLETE[EvidenceKind.COPY], "original_unobtainable_reason": " "}
    item = EvidenceFactory(case=case, kind=EvidenceKind.COPY, **data)
    assert item.gaps() == ["未说明调取原始证据有困难的原因"]


# Every checklist item of M13.2–M13.6 (and M13.1's): the complete item with that one
# field undone lacks exactly that item — dropping any check from CHECKLISTS fails here.
UNDONE = [
    (EvidenceKind.INQUIRY_RECORD, {"verified": False}, "未经查证属实"),
    (EvidenceKind.INQUIRY_RECORD, {"alterations_confirmed": False},
     "涂改处未经被询问人签名、盖章或以其他方式确认"),
    (EvidenceKind.DOCUMENTARY, {"checked_against_original": False}, "未与原件核对"),
    (EvidenceKind.DOCUMENTARY, {"collected_at": None}, "未注明提取时间"),
    (EvidenceKind.DOCUMENTARY, {"pages_signed": False}, "未逐页由执法人员、当事人和制作人签名或盖章"),
    (EvidenceKind.DOCUMENTARY, {"true_expression_stated": False}, "未注明是否为真实意思表示"),
    (EvidenceKind.DOCUMENTARY, {"has_alterations": True, "alterations_confirmed": False},
     "涂改处未按指印"),
    (EvidenceKind.PHYSICAL, {"original_kept": False}, "未保存原物，也未说明原因"),
    (EvidenceKind.PHYSICAL, {"counterpart_signed": False, "corroboration": "见证人证言"},
     "当事人未签字确认，也未说明无法签字的原因"),
    (EvidenceKind.PHYSICAL, {"counterpart_signed": False, "counterpart_unable_reason": "拒签"},
     "当事人未签字确认，也无其他佐证"),
    (EvidenceKind.AUDIO_VISUAL, {"original_carrier_kept": False}, "未保存原始载体"),
    (EvidenceKind.AUDIO_VISUAL, {"production_method": ""}, "未注明制作方法"),
    (EvidenceKind.AUDIO_VISUAL, {"produced_at": None}, "未注明制作时间"),
    (EvidenceKind.AUDIO_VISUAL, {"producer": ""}, "未注明制作人"),
    (EvidenceKind.AUDIO_VISUAL, {"transcript": ""}, "声音资料没有文字记录"),
    (EvidenceKind.COPY, {"original_unobtainable_reason": ""}, "未说明调取原始证据有困难的原因"),
    (EvidenceKind.COPY, {"provider_marked": False}, "提供人未注明“经核对与原件无误”"),
    (EvidenceKind.COPY, {"marked_on": None}, "未注明日期"),
    (EvidenceKind.COPY, {"provider_signed": False}, "提供人未签名或盖章"),
]


@pytest.mark.parametrize("kind,undone,gap", UNDONE, ids=[g for _k, _u, g in UNDONE])
def test_m13_2_to_m13_6_every_checklist_item_is_required(case, kind, undone, gap):
    """M13.2–M13.6: each item of each type's checklist, undone alone, leaves exactly it."""
    item = EvidenceFactory(case=case, kind=kind, **{**COMPLETE[kind], **undone})
    assert item.gaps() == [gap]


def test_m13_the_pinned_items_are_every_check_of_every_type():
    from evidence.models import CHECKLISTS

    pinned = {(kind, gap) for kind, _u, gap in UNDONE}
    declared = {(kind, label) for kind, checks in CHECKLISTS.items() for _c, label in checks
                if kind != EvidenceKind.OTHER and label != "未经查证属实"}
    assert declared <= pinned | {(k, "未经查证属实") for k in CHECKLISTS}


def test_evidence_blockers_name_each_unconfirmed_item_and_what_it_lacks(case, officer):
    done = EvidenceFactory(case=case, title="现场检查笔录", **COMPLETE[EvidenceKind.INQUIRY_RECORD])
    attach_png(done, officer)
    EvidenceFactory(case=case, kind=EvidenceKind.COPY, title="营业执照复印件", verified=True,
                    original_unobtainable_reason="原件在当事人处", provider_marked=True,
                    marked_on=done.obtained_on)
    assert evidence_blockers(case) == [
        "证据复制件“营业执照复印件”未确认：提供人未签名或盖章；"
        "未上传证据文件（扫描件、照片或音视频）。"
    ]


def test_m13_case_with_unconfirmed_evidence_cannot_be_closed(case, officer):
    """M13: closing is refused, naming the item and what it lacks; once the checklist is
    complete the case closes."""
    head = member(Role.DEPARTMENT_HEAD, case.department)
    case.status = CaseStatus.EXECUTING
    case.decision_date, case.decision_summary = case.filed_on, "罚款五千元"
    case.save()
    item = EvidenceFactory(case=case, title="询问笔录（张三）", verified=True, has_alterations=True)
    attach_png(item, officer)
    with pytest.raises(ValidationError) as refused:
        case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    assert refused.value.messages == [
        "证据询问笔录“询问笔录（张三）”未确认：涂改处未经被询问人签名、盖章或以其他方式确认。"
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.EXECUTING
    services.evidence_update(actor=officer, item=item, data={"alterations_confirmed": True})
    case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_m13_case_with_unconfirmed_evidence_cannot_be_decided(case):
    case.decision_date, case.decision_summary = case.filed_on, "罚款五千元"
    case.save()
    EvidenceFactory(case=case, title="现场照片", kind=EvidenceKind.OTHER)
    reasons = CASE_WORKFLOW.blockers(case, CaseStatus.DECIDED)
    assert any("现场照片" in r and "未经查证属实" in r for r in reasons)
    with pytest.raises(ValidationError):
        case_transition(case=case, target=CaseStatus.DECIDED,
                        actor=member(Role.DEPARTMENT_HEAD, case.department))


def test_evidence_services_are_audited_and_record_the_confirmation_change(case, officer):
    with assert_audited("evidence.add"):
        item = services.evidence_add(actor=officer, case=case, kind=EvidenceKind.OTHER, data={
            "title": "现场照片", "proves": "现场情况", "source": "现场拍摄",
            "obtained_on": case.filed_on, "verified": True,
        })
    with assert_audited("evidence.attach", item):
        services.evidence_attach(actor=officer, item=item, fileobj=io.BytesIO(PNG),
                                 name="照片.png", size=len(PNG))
    event = Event.objects.filter(verb="evidence.attach").latest("id")
    assert event.changes["confirmation"] == ["未确认", "已确认"]
    with assert_audited("evidence.update", item):
        services.evidence_update(actor=officer, item=item, data={"verified": False})
    event = Event.objects.filter(verb="evidence.update").latest("id")
    assert event.changes["confirmation"] == ["已确认", "未确认"]
    assert event.changes["verified"] == [True, False]
    with assert_audited("evidence.remove", case):
        services.evidence_remove(actor=officer, item=item, reason="重复登记")
    assert not EvidenceItem.objects.filter(pk=item.pk).exists()


def test_only_the_cases_department_manages_its_evidence(case):
    outsider = member(Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=outsider, case=case, kind=EvidenceKind.OTHER,
                              data={"title": "x", "proves": "x", "source": "x",
                                    "obtained_on": case.filed_on})
    item = EvidenceFactory(case=case)
    with pytest.raises(Http404):
        policy.access(outsider, EvidenceItem, item.pk)
    assert policy.access(supervisor(), EvidenceItem, item.pk) == item


def test_closed_case_evidence_is_frozen(case, officer):
    item = EvidenceFactory(case=case)
    case.status = CaseStatus.CLOSED
    case.save()
    with pytest.raises(ValidationError, match="已结案"):
        services.evidence_update(actor=officer, item=item, data={"verified": True})


def test_evidence_for_case_sets_the_derived_state(case, officer):
    item = EvidenceFactory(case=case, **COMPLETE[EvidenceKind.INQUIRY_RECORD])
    attach_png(item, officer)
    EvidenceFactory(case=case)
    states = [(i.confirmed, bool(i.missing)) for i in evidence_for_case(officer, case)]
    assert states == [(True, False), (False, True)]
    assert evidence_for_case(member(Role.OFFICER), case) == []


def test_demo_seeds_a_confirmed_and_an_unconfirmed_item_once():
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")
    items = EvidenceItem.objects.filter(case__number__endswith="罚〔%d〕1号" % timezone.localdate().year,
                                        case__department__name="北戴河区市场监督管理局").order_by("id")
    assert [i.title for i in items] == ["询问笔录（张某）", "营业执照复印件"]
    assert [bool(item_gaps(i)) for i in items] == [False, True]
    # M13: every penalty the demo decides rests on at least one confirmed item.
    from cases.models import ActType, EnforcementCase

    decided = EnforcementCase.objects.filter(act_type=ActType.PENALTY, decision_date__isnull=False)
    assert decided.count() >= 2
    for case in decided:
        assert any(not item_gaps(i) for i in with_file_counts(EvidenceItem.objects.filter(case=case)))


def test_m13_a_penalty_without_confirmed_evidence_cannot_be_decided(case, officer):
    """M13: a case with no evidence, or none confirmed, cannot be decided as a penalty."""
    from cases.services import case_record_decision

    head = member(Role.DEPARTMENT_HEAD, case.department)
    case.status = CaseStatus.INVESTIGATING
    case.save()
    with pytest.raises(ValidationError) as refused:
        case_record_decision(actor=head, case=case, decision_date=timezone.localdate(),
                             decision_summary="罚款五千元", penalty_amount=5000)
    assert "作出行政处罚决定须至少有一项已确认的证据" in refused.value.messages[0]
    item = EvidenceFactory(case=case, **COMPLETE[EvidenceKind.INQUIRY_RECORD])
    attach_png(item, officer)
    case_record_decision(actor=head, case=case, decision_date=timezone.localdate(),
                         decision_summary="罚款五千元", penalty_amount=5000)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
