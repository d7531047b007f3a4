"""Issue 16 item 10: a filter on a related row takes its choices from the viewer's scope,
so `?case=<a case the viewer may not see>` answers exactly as `?case=<no such case>`."""
import pytest
from rest_framework.test import APIClient

from cases.testing import make_case
from core.testing import OrganizationFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/case-parties/", "/api/v1/evidence/", "/api/v1/transfers/",
             "/api/v1/transfer-orders/"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_case_out_of_scope_answers_as_a_missing_one(endpoint):
    hidden = make_case(OrganizationFactory())
    own = make_case(OrganizationFactory())
    api = APIClient()
    api.force_authenticate(own.officers.first())
    missing = api.get(endpoint, {"case": hidden.pk + own.pk + 1000})
    out_of_scope = api.get(endpoint, {"case": hidden.pk})
    assert missing.status_code == out_of_scope.status_code == 400
    assert missing.json() == {"case": [m.replace(str(hidden.pk + own.pk + 1000), str(hidden.pk))
                                       for m in missing.json()["case"]]} == out_of_scope.json()
    assert api.get(endpoint, {"case": own.pk}).status_code == 200


def test_the_justice_bureau_filters_on_every_case():
    from core.testing import supervisor

    case = make_case(OrganizationFactory())
    api = APIClient()
    api.force_authenticate(supervisor())
    response = api.get("/api/v1/case-parties/", {"case": case.pk})
    assert response.status_code == 200 and response.json()["count"] == case.parties.count()
