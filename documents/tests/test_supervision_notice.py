"""The 行政执法监督通知书 (M7.5): issued to a department with its rectification deadline."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.testing import assert_audited, justice_bureau
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, Notification
from documents import services

pytestmark = pytest.mark.django_db


def test_m7_5_notice_opens_the_rectification_deadline_written_in_it(
        bureau_supervisor, notice_fields, department, department_head):
    with assert_audited("document.issue"):
        document = services.supervision_notice_issue(actor=bureau_supervisor,
                                                     issuer=justice_bureau(), **notice_fields)
    deadline = Deadline.objects.get(rule="rectification")
    assert deadline.target == document
    assert deadline.responsible == department
    assert deadline.due == end_of_day(notice_fields["deadline"])
    assert document.addressee == department
    assert Notification.objects.filter(recipient=department_head,
                                       subject__contains=document.number).exists()


def test_m7_5_notice_refuses_a_deadline_in_the_past(issue_notice):
    with pytest.raises(ValidationError, match="整改期限须晚于今天"):
        issue_notice(deadline=timezone.localdate())


def test_m7_5_notice_names_what_is_missing(issue_notice):
    with pytest.raises(ValidationError, match="认定依据"):
        issue_notice(legal_basis=" ")
