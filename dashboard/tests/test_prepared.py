"""The dashboard's kept statements (core/prepared.py) give every viewer exactly the page
the ORM gives them: on the demo district's year (every mechanism in several states), for
the justice bureau over the district and one unit, and for departments and a township —
each viewer's page rendered from the statements kept while the others' were."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import prepared
from core.models import Membership, User

pytestmark = pytest.mark.django_db


def _page(client, user, params):
    client.force_login(user)
    response = client.get(reverse("dashboard:index"), params)
    assert response.status_code == 200
    c = response.context
    return c["overview_html"], [(k, t, str(h)) for k, t, h in c["tabs"]], str(c["charts"])


def test_kept_statements_give_each_viewer_the_orms_page(client, settings):
    call_command("seed_demo")
    bureau, head, officer, township = (User.objects.get(username=u)
                                       for u in ("jdy", "scj_fzr", "cg_zf1", "hbz_fzr"))
    market = Membership.objects.get(user=head).organization_id
    views = [(bureau, {}), (bureau, {"period": "year"}), (bureau, {"organization": market}),
             (head, {}), (head, {"period": "year"}), (officer, {}), (township, {})]
    settings.PREPARED_QUERIES = False
    plain = [_page(client, user, params) for user, params in views]
    settings.PREPARED_QUERIES = True
    first = [_page(client, user, params) for user, params in views]
    built = prepared.stats()["built"]
    again = [_page(client, user, params) for user, params in views]
    assert first == plain and again == plain
    assert built >= 20 and prepared.stats()["built"] == built  # the second round built nothing
    # The district's, the market bureau's and the township's pages differ: each viewer
    # read its own statements.
    assert len({plain[0][0], plain[3][0], plain[6][0]}) == 3
