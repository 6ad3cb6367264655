"""What each cell of a scoring-matrix row shows, worked out in Python once a page (issue 22).

A page of the matrix has 50 accounts by five criteria: 250 cells, each of which translated two
labels, formatted the scoring time and built its edit link inside a macro, about half of the
page's time. Here a row's cells are worked out in one call with the request's catalog and the
criteria's names looked up once; the macro in `selection/_cells.html` only writes them out.
The strings are what the template's `_()` made: the translated label taken as markup, its
values escaped into it (by hand: Markup's own `%` cost more than the rest of a cell).
"""
from typing import Any, NamedTuple

from flask import url_for
from markupsafe import Markup, escape

from app.templating import datetime_
from app.translate import current_locale, translations


class CellView(NamedTuple):
    """One cell: its criterion, the score shown (or None), the hover title (who scored it and
    when, and the note), the edit link and its label when the user may score."""

    c: Any
    s: Any
    account_id: int
    title: Markup | None
    edit_url: str | None
    aria: Markup | None


def row_cells(row, criteria):
    """The CellViews of `row` (a MatrixRow) in the order of `criteria`."""
    cat = translations()
    when_fmt = cat.ugettext("%(name)s, %(when)s")
    someone = cat.ugettext("Someone")
    if row.can_score:
        locale = current_locale()
        aria_fmt = cat.ugettext("Score %(criterion)s for %(account)s")
        account_name = escape(row.account.name)
    account_id = row.account.id
    out = []
    for c in criteria:
        s = row.scores.get(c.id)
        title = edit_url = aria = None
        if s:
            title = Markup(when_fmt % {"name": escape(s.scored_by_name or someone),
                                       "when": escape(datetime_(s.scored_at, "short"))})
            if s.note:
                title += Markup(" — ") + s.note
        if row.can_score:
            edit_url = url_for("selection.edit_cell", account_id=account_id, criterion_id=c.id)
            aria = Markup(aria_fmt % {"criterion": escape(c.name(locale)), "account": account_name})
        out.append(CellView(c, s, account_id, title, edit_url, aria))
    return out
