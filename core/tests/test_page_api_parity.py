"""Issue 16 item 4: every endpoint checks the capability its page checks. Per role —
held in an enforcement department and in the justice bureau — each list page and its
API endpoint both let the user in, or both refuse."""
import pytest
from rest_framework.test import APIClient

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, justice_bureau, member

pytestmark = pytest.mark.django_db

# (page, endpoint): every list that has both.
PAIRS = [
    ("/audit/", "/api/v1/events/"),
    ("/discipline/", "/api/v1/discipline/"),
    ("/cases/", "/api/v1/cases/"),
    ("/documents/", "/api/v1/documents/"),
    ("/transfers/", "/api/v1/transfers/"),
    ("/transfers/orders/", "/api/v1/transfer-orders/"),
    ("/deadlines/", "/api/v1/deadlines/"),
    ("/deadlines/inbox/", "/api/v1/notifications/"),
]


def _allowed(status: int) -> bool:
    assert status in (200, 403), status
    return status == 200


@pytest.mark.parametrize("in_bureau", [False, True], ids=["department", "justice-bureau"])
@pytest.mark.parametrize("role", Role.values)
def test_page_and_endpoint_allow_the_same_roles(client, role, in_bureau):
    organization = justice_bureau() if in_bureau else OrganizationFactory(kind=OrgKind.DEPARTMENT)
    user = member(role, organization)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    for page, endpoint in PAIRS:
        assert _allowed(client.get(page).status_code) == _allowed(api.get(endpoint).status_code), (
            role, page, endpoint)


def test_an_officer_is_refused_the_audit_trail_on_the_page_and_the_api(client):
    officer = member(Role.OFFICER)
    client.force_login(officer)
    api = APIClient()
    api.force_authenticate(officer)
    assert client.get("/audit/").status_code == 403
    response = api.get("/api/v1/events/")
    assert response.status_code == 403 and "查看审计记录" in response.json()["detail"]
