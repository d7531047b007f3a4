"""Login, lock-out, the home page and the no-CDN rule."""
import re

import pytest
from django.conf import settings

from core.models import Role
from core.testing import OrganizationFactory, member, supervisor

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_and_uses_only_local_assets(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户登录" in html and 'lang="zh-CN"' in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url


def test_wrong_password_gives_chinese_error(client):
    member(Role.OFFICER, username="zhangsan")
    response = client.post("/accounts/login/", {"username": "zhangsan", "password": "wrong"})
    assert response.status_code == 200
    assert "正确的用户名和密码" in response.content.decode()


def test_lockout_of_an_address_after_repeated_failures(client):
    """Failures from one address across user names lock the address (core.login)."""
    member(Role.OFFICER, username="lisi")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": f"guess{n}", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "lisi",
                                                "password": "Test-password-2026"})
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()


def test_home_shows_organisation_and_roles_and_only_permitted_links(client):
    org = OrganizationFactory(name="北戴河区卫生健康局")
    officer = member(Role.OFFICER, org, username="wangwu")
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert "北戴河区卫生健康局" in html and "执法人员" in html
    assert "/audit/" not in html  # an officer has no audit capability
    head = member(Role.DEPARTMENT_HEAD, org)
    client.force_login(head)
    assert "/audit/" in client.get("/").content.decode()


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_api_token_auth_and_schema(client):
    from rest_framework.test import APIClient

    member(Role.OFFICER, username="zhaoliu")
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "zhaoliu",
                                                "password": "Test-password-2026"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token " + response.json()["token"])
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "zhaoliu" and me["memberships"][0]["role"] == "officer"
    assert APIClient().get("/api/v1/me/").status_code in (401, 403)
    schema = api.get("/api/schema/")  # for signed-in users only (issue 16 item 14)
    assert schema.status_code == 200 and b"/api/v1/attachments/" in schema.content


def test_api_docs_serve_swagger_from_local_static(client):
    client.force_login(member(Role.OFFICER))
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url


def test_no_cdn_in_templates_or_static():
    pattern = re.compile(r"https?://[^\s\"']*(cdn|unpkg|jsdelivr|googleapis|bootcdn|staticfile)")
    for path in (settings.BASE_DIR).glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_navbar_groups_the_mechanisms_as_the_plan_does(client):
    """The bar stays one line: the mechanisms sit under the plan's groups (协调, 监督, 衔接,
    保障); transfers' and discipline's pages under 衔接."""
    client.force_login(supervisor())
    html = client.get("/").content.decode()
    assert 'data-bs-toggle="dropdown" aria-expanded="false">衔接</a>' in html
    assert html.count('class="dropdown-item" href="/transfers/') >= 3
    assert html.count('class="dropdown-item" href="/discipline/') == 2


def test_api_ordering_by_a_computed_field_is_ignored_not_a_server_error():
    """``?ordering=`` accepts the model's columns; a serializer field computed in Python
    (``get_kind_display``) cannot be ordered by in the database and is ignored (it was a
    500 before core.drf.OrderingFilter)."""
    from rest_framework.test import APIClient

    from core.testing import justice_bureau

    boss = member(Role.SUPERVISOR, justice_bureau(), username="orderer")
    OrganizationFactory(name="乙单位"), OrganizationFactory(name="甲单位")
    api = APIClient()
    api.force_authenticate(boss)
    assert api.get("/api/v1/organizations/", {"ordering": "get_kind_display"}).status_code == 200
    names = [o["name"] for o in api.get("/api/v1/organizations/", {"ordering": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)
    assert api.get("/api/v1/transfers/", {"ordering": "get_status_display"}).status_code == 200


def test_api_not_found_says_what_the_pages_say():
    """Missing and out of scope read alike, in Chinese, as on the pages (policy.access)."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(member(Role.OFFICER, username="finder"))
    response = api.get("/api/v1/transfers/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "记录不存在或您无权查看。"}
