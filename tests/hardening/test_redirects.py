"""Redirects stay on the site: every `next` a request names is a local path or the home page.

One helper (app.security.local_path) decides for every route that follows a `next`; these
tests throw the same list of hostile values at each of them and at the helper itself.
"""
from urllib.parse import urlsplit

import pytest

from tests import factories

EVIL = [
    "//evil.example", "///evil.example", "////evil.example", "/\\evil.example", "\\\\evil.example",
    "\\/evil.example", "/\\/evil.example", "/a\\b", "https://evil.example", "http:evil.example",
    "https:/evil.example", "HTTPS://evil.example/", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "evil.example", "evil.example/path", "",
    "   ", " //evil.example", "\t//evil.example", "/\t/evil.example", "/\n/evil.example",
    "/\r/evil.example", "/\r\nSet-Cookie: a=b", "\x00", "/\x00", "/accounts\x00//evil", "/\x7f/evil",
    "/\x85/evil", "/\u2028/evil.example", "/\ufeff/evil.example", "/" + "a" * 5000,
    "http://localhost/", "//localhost/", "mailto:a@evil.example", "?next=//evil.example",
    "#//evil.example", "/%0d%0aLocation:%20//evil.example\x0a",
]
GOOD = ["/", "/accounts", "/accounts?q=a&page=2", "/me/accounts#top", "/accounts/1/team",
        "/%2F%2Fevil.example", "/.//evil.example", "/accounts/%E5%8D%8E"]


def is_local(location):
    """Whether a Location header keeps the browser on this site."""
    parts = urlsplit(location)
    return (location.startswith("/") and location[1:2] not in ("/", "\\") and "\\" not in location
            and not parts.scheme and not parts.netloc and all(ord(c) >= 32 for c in location))


@pytest.mark.parametrize("value", EVIL)
def test_the_helper_sends_every_hostile_value_home(app, value):
    from app.security import local_path

    with app.test_request_context():
        assert local_path(value) == "/"


@pytest.mark.parametrize("value", GOOD)
def test_the_helper_keeps_local_paths(app, value):
    from app.security import local_path

    with app.test_request_context():
        assert local_path(value) == value


@pytest.mark.parametrize("value", EVIL + GOOD)
def test_log_in_follows_only_local_next(client, value):
    factories.make_user(email="kim@example.com")
    resp = client.post("/login", query_string={"next": value},
                       data={"email": "kim@example.com", "password": factories.PASSWORD})
    if "\x00" in value:  # a NUL byte anywhere is refused before any view (app/inputguard.py)
        assert resp.status_code == 400
        return
    assert resp.status_code == 302, resp.status_code
    location = resp.headers["Location"]
    assert is_local(location), location
    assert location == (value if value in GOOD else "/")


@pytest.mark.parametrize("value", EVIL + GOOD)
def test_language_switch_follows_only_local_next(client, hx, value):
    user = factories.make_user(email="kim@example.com")
    client.login(user)
    resp = client.post("/language", data={"language": "zh", "next": value})
    if "\x00" in value:  # refused before any view (app/inputguard.py)
        assert resp.status_code == 400
        return
    assert resp.status_code == 302
    assert is_local(resp.headers["Location"]) and resp.headers["Location"] == (value if value in GOOD else "/")
    resp = client.post("/language", data={"language": "en", "next": value}, headers=hx)
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == (value if value in GOOD else "/")


def test_log_in_page_with_a_hostile_next_renders(client):
    for value in EVIL:
        assert client.get("/login", query_string={"next": value}).status_code == (400 if "\x00" in value else 200)
