import datetime as dt

import pytest
from django.utils import timezone

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, justice_bureau, member, supervisor


@pytest.fixture
def bureau_supervisor():
    return supervisor()


@pytest.fixture
def department():
    return OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监",
                               kind=OrgKind.DEPARTMENT)


@pytest.fixture
def department_head(department):
    return member(Role.DEPARTMENT_HEAD, department)


@pytest.fixture
def notice_fields(department):
    return {
        "addressee": department,
        "facts": "3件案件未告知当事人陈述、申辩的权利。\n（一）执法程序不规范。调查笔录仅有一名执法人员签名。",
        "legal_basis": "《中华人民共和国行政处罚法》第四十四条。",
        "rectification": "逐件复查，依法纠正。",
        "deadline": timezone.localdate() + dt.timedelta(days=20),
        "report_method": "书面报告区司法局。",
    }


@pytest.fixture
def issue_notice(bureau_supervisor, notice_fields):
    from documents import services

    def issue(**overrides):
        fields = {**notice_fields, **overrides}
        return services.supervision_notice_issue(actor=bureau_supervisor,
                                                 issuer=justice_bureau(), **fields)

    return issue
