"""Bad input in a page's address never makes a server error: every page reachable without
an id, opened with malformed filters (a NUL character, a word where a number or a date
belongs, a page that does not exist), answers as a page does — the list, a message, or a
refusal — never 500. New list pages are covered as they are added to the URLconf."""
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from core.models import User

pytestmark = pytest.mark.django_db

# Each a value no filter accepts as it is; one at a time.
JUNK = ["q=%00", "q=%E4%BD%A0%00", "page=abc", "page=99999", "organization=abc",
        "organization=999999", "since=2026-13-45", "until=x", "due_from=notadate",
        "ordering=-no_such_field", "status=zzz", "kind=zzz", "year=abc", "org=%00"]
# /healthz answers 503 while beat has not swept (core/tests/test_health.py): not a page.
SKIP = ("/admin/", "/api/", "/accounts/logout/", "/static/", "/media/", "/healthz")
HREF = re.compile(r'href="(/[^"#]*)"')


def _named_pages() -> set[str]:
    """Every URL the URLconf reverses without arguments."""
    names = []

    def walk(resolver, prefix: str) -> None:
        names.extend(prefix + key for key in resolver.reverse_dict if isinstance(key, str))
        for namespace, (_pattern, sub) in resolver.namespace_dict.items():
            walk(sub, f"{prefix}{namespace}:")

    walk(get_resolver(), "")
    urls = set()
    for name in names:
        try:
            urls.add(reverse(name))
        except NoReverseMatch:  # needs an argument
            continue
    return urls


def _pages(client: Client) -> list[str]:
    """The named pages, and every page the user reaches by following links from them that
    names no record (no numeric path segment): the township sections, say."""
    todo, seen = sorted(_named_pages()), set()
    while todo:
        url = todo.pop()
        if url in seen or url.startswith(SKIP) or re.search(r"/\d+/", url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            todo += [href.split("?")[0] for href in HREF.findall(response.content.decode())]
    return sorted(seen)


def test_the_crawl_reaches_the_lists(client):
    call_command("seed_demo", verbosity=0)
    client.force_login(User.objects.get(username="jdy"))
    pages = _pages(client)
    for expected in ("/cases/", "/deadlines/", "/transfers/", "/dashboard/", "/complaints/",
                     "/transfers/orders/", "/documents/"):
        assert expected in pages


@pytest.mark.parametrize("username", ["jdy", "hbz_zf"])
def test_no_page_fails_on_malformed_filters(username):
    call_command("seed_demo", verbosity=0)
    client = Client()  # re-raises a view's exception: the failure names the page
    client.force_login(User.objects.get(username=username))
    for url in _pages(client):
        for junk in JUNK:
            response = client.get(f"{url}?{junk}")
            assert response.status_code < 500, f"{url}?{junk}"
