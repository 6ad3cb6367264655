"""The in-request URL memo (app/urls.py) builds what Flask builds."""
from flask import url_for


def test_memo_gives_flasks_urls(app):
    with app.test_request_context("/accounts/7"):
        first = url_for("accounts.overview", account_id=7)
        again = url_for("accounts.overview", account_id=7)
        other = url_for("accounts.overview", account_id=8)
        query = url_for("accounts.overview", account_id=7, tab="plan")
        anchored = url_for("accounts.overview", account_id=7, _anchor="team")
        external = url_for("accounts.overview", account_id=7, _external=True)
    assert first == again == "/accounts/7" and other == "/accounts/8"
    assert query == "/accounts/7?tab=plan" and anchored == "/accounts/7#team"
    assert external.startswith("http://") and external.endswith("/accounts/7")


def test_memo_keys_on_the_request_root_and_host(app):
    with app.test_request_context("/", base_url="http://a.example/root"):
        a = url_for("accounts.overview", account_id=7)
    with app.test_request_context("/", base_url="http://b.example/"):
        b = url_for("accounts.overview", account_id=7)
        ext = url_for("accounts.overview", account_id=7, _external=True)
    assert a == "/root/accounts/7" and b == "/accounts/7" and ext == "http://b.example/accounts/7"


def test_values_of_other_types_are_not_remembered(app):
    with app.test_request_context("/"):
        assert url_for("accounts.overview", account_id=1) == "/accounts/1"
        n = len(app.url_memo)
        assert url_for("main.home", flag=True) == "/?flag=True"
        assert len(app.url_memo) == n
