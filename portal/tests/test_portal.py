"""The public portal (/public/): no sign-in, its own layout, sections registered by apps."""
import pytest

from portal import registry


@pytest.fixture
def a_section(settings):
    """A section registered as an app would, pointing at a page of its own."""
    saved = dict(registry._SECTIONS)
    registry._SECTIONS.clear()
    registry.register(registry.Section("later", "第二项", "portal:index", "其次", order=20))
    registry.register(registry.Section("first", "第一项", "portal:index", "首先", order=10))
    yield
    registry._SECTIONS.clear()
    registry._SECTIONS.update(saved)


@pytest.mark.django_db
def test_the_portal_needs_no_sign_in_and_shows_no_staff_layout(client):
    response = client.get("/public/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "北戴河区行政执法公开服务" in html
    assert 'name="viewport"' in html  # phones as well as desktops
    assert "消息" not in html and "退出" not in html and "/accounts/login/" not in html
    assert "portal.css" in html and "app.css" not in html


@pytest.mark.django_db
def test_registered_sections_are_listed_in_order_and_linked(client, a_section):
    html = client.get("/public/").content.decode()
    assert html.index("第一项") < html.index("第二项")
    assert html.count('href="/public/"') >= 3  # the brand and each section's card and menu link


@pytest.mark.django_db
def test_the_portal_answers_only_reads(client):
    assert client.post("/public/").status_code == 405
