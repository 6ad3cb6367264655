"""URLs built once a process for the same endpoint and values (issue 22).

A page builds the same few dozen links on every request (the nav, each card's overview and
sections), and werkzeug's builder walks the rule's parts each time. Inside a request, a URL for
an endpoint and plain values (int or str) under the same adapter settings (host, script root,
scheme, subdomain) is always the same string, so it is remembered. Anything else (external
URLs, `_scheme`, values of other types, outside a request) goes through Flask as before. The app
registers no `url_defaults`, which could otherwise make a URL depend on more than its values.
"""
from flask import Flask
from flask.globals import _cv_request

_PLAIN = frozenset((int, str))
MEMO_SIZE = 20_000


class App(Flask):
    """Flask with a memo of in-request URLs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url_memo = {}

    def url_for(self, endpoint, /, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        req_ctx = _cv_request.get(None)
        plain = req_ctx is not None and not _external and _scheme is None and req_ctx.url_adapter is not None \
            and not self.url_default_functions
        types = ()
        if plain and values:
            types = tuple(map(type, values.values()))
            plain = all(t in _PLAIN for t in types)
        if not plain:
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        adapter = req_ctx.url_adapter
        key = (endpoint, req_ctx.request.blueprint if endpoint[:1] == "." else None, _anchor, _method,
               adapter.server_name, adapter.script_name, adapter.subdomain, adapter.url_scheme,
               tuple(values.items()), types)
        url = self.url_memo.get(key)
        if url is None:
            url = super().url_for(endpoint, _anchor=_anchor, _method=_method, **values)
            if len(self.url_memo) >= MEMO_SIZE:
                self.url_memo.clear()
            self.url_memo[key] = url
        return url
