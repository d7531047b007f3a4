"""Issue 14 part 5: the navigation bar fits one line at 1366 × 768 — a common office
screen — for every kind of user, the justice bureau's included (it has the most entries)."""
import pytest

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, justice_bureau, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_KINDS = [
    (Role.SUPERVISOR, None),  # the justice bureau: every menu
    (Role.SYSTEM_ADMIN, None),
    (Role.DEPARTMENT_HEAD, OrgKind.DEPARTMENT),
    (Role.LEGAL_OFFICER, OrgKind.DEPARTMENT),
    (Role.OFFICER, OrgKind.TOWNSHIP),
    (Role.POLICE, OrgKind.POLICE),
    (Role.PROSECUTOR, OrgKind.PROCURATORATE),
    (Role.DISCIPLINE, OrgKind.DISCIPLINE),
    (Role.GOVERNMENT, OrgKind.GOVERNMENT),
    (Role.COORDINATION_OFFICE, OrgKind.COORDINATION_OFFICE),
]


@pytest.mark.parametrize("role, kind", ROLE_KINDS)
def test_the_navigation_bar_is_one_line_at_1366(page, browser_login, role, kind):
    org = justice_bureau() if kind is None else OrganizationFactory(kind=kind)
    # A long real name, as some have: the bar must still hold.
    member(role, org, username="nav_user", real_name="欧阳建国")
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_login("nav_user")
    assert page.locator(".navbar-toggler").is_hidden()  # the full bar, not the folded menu
    bar = page.locator("nav.navbar").bounding_box()
    items = page.locator("nav.navbar .nav-link, nav.navbar .navbar-brand, nav.navbar button")
    tops = {round(items.nth(i).bounding_box()["y"] // 10) for i in range(items.count())
            if items.nth(i).is_visible()}
    assert len(tops) == 1, f"{role}: the bar wraps onto {len(tops)} lines"
    assert bar["height"] <= 64, f"{role}: the bar is {bar['height']} px high"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
