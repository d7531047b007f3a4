import pytest

from core.models import Role
from core.testing import OrganizationFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_and_see_home(page, browser_login):
    org = OrganizationFactory(name="北戴河区应急管理局")
    member(Role.OFFICER, org, username="browser_user", real_name="张执法")
    browser_login("browser_user")
    assert "您好，张执法" in page.content()
    assert page.get_by_text("北戴河区应急管理局").first.is_visible()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the menu folds
    assert page.locator(".navbar-toggler").is_visible()
