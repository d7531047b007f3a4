import pytest
from django.contrib.contenttypes.models import ContentType

from core.models import Role
from core.testing import OrganizationFactory, justice_bureau, member


@pytest.fixture
def department():
    return OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监")


@pytest.fixture
def officer(department):
    return member(Role.OFFICER, department, email="officer@example.cn")


@pytest.fixture
def head(department):
    return member(Role.DEPARTMENT_HEAD, department)


@pytest.fixture
def jdy():
    return member(Role.SUPERVISOR, justice_bureau(), email="jdy@example.cn")


@pytest.fixture
def target(department):
    """Something a deadline runs on: any model row will do (the department itself)."""
    ContentType.objects.clear_cache()
    return department
