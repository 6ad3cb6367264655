"""The search itself: one query over search_doc, filtered by who may see the account *now*."""
from dataclasses import dataclass, field

from sqlalchemy import and_, case, column, func, or_, select, text

from app.accounts.models import Account
from app.extensions import db
from app.search.models import SearchDoc
from app.search.text import like_escape, like_pattern, terms_of
from app.team.models import Membership

# Display order of the groups: what people look for most first.
KINDS = ("account", "contact", "department", "complaint", "meeting", "objective", "action",
         "business", "position", "swot", "checkin", "interaction")
PAGE_PER_KIND = 20
DROPDOWN_PER_KIND = 3
KIND_PAGE = 100  # "see all" of one kind
# Below this many accounts, scanning the user's own rows (by the account index) beats reading
# a trigram posting list that spans the whole workspace: measured at the bench's large scale,
# "delivery" for a KAM of 40 accounts is 4 ms by LIKE and 140 ms through FTS5 (40,000 hits).
FTS_FROM_ACCOUNTS = 100
# Ranking looks at no more than this many matches: a very common word searched by an admin
# over the whole workspace (40,000 "delivery" complaints at the bench's scale) stays fast.
CANDIDATES = 2000


@dataclass
class Hit:
    kind: str
    object_id: int
    account_id: int
    account_name: str
    parent_id: int | None
    title: str
    body: str
    extra: str


@dataclass
class Group:
    kind: str
    total: int
    hits: list = field(default_factory=list)


@dataclass
class Results:
    query: str
    terms: list
    groups: list = field(default_factory=list)
    capped: bool = False  # more than CANDIDATES matches: the best of the first ones are shown

    @property
    def total(self):
        return sum(g.total for g in self.groups)


def _fts_phrase(terms):
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def visible_account_ids(user):
    """The accounts whose rows the user may find: current memberships only (admins: all)."""
    return select(Membership.account_id).where(Membership.user_id == user.id, Membership.left_on.is_(None))


def search(user, query, per_kind=PAGE_PER_KIND, kind=None):
    """Results grouped by kind, best first: one SQL statement whatever the data size.

    Terms of three characters or more use the trigram index (FTS5 on SQLite, pg_trgm on
    PostgreSQL); shorter ones (the commonest Chinese queries, 王芳) a LIKE over the rows of
    the user's accounts. Every term must match the heading, the text or the pinyin. On
    SQLite a user on few accounts gets the LIKE for every term (see FTS_FROM_ACCOUNTS);
    PostgreSQL's planner makes that choice itself. At most two statements: the user's account
    count (SQLite, not for admins) and the search.
    """
    terms = terms_of(query)
    results = Results(query=query, terms=terms)
    if not terms:
        return results
    d = SearchDoc
    sqlite = db.session.get_bind().dialect.name == "sqlite"

    def like(col, pattern):
        return col.like(pattern, escape="\\") if sqlite else col.ilike(pattern, escape="\\")

    conds = []
    wide = not sqlite or user.is_admin or db.session.scalar(
        select(func.count()).select_from(visible_account_ids(user).subquery())) >= FTS_FROM_ACCOUNTS
    fts_terms = [t for t in terms if len(t) >= 3] if sqlite and wide else []
    if fts_terms:
        matches = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :fts").bindparams(
            fts=_fts_phrase(fts_terms)).columns(column("rowid"))
        conds.append(d.id.in_(matches))
    for t in terms:
        if t in fts_terms:
            continue
        pattern = like_pattern(t)
        conds.append(or_(like(d.title, pattern), like(d.body, pattern), like(d.pinyin, pattern)))
    if kind in KINDS:
        conds.append(d.kind == kind)
    if not user.is_admin:
        conds.append(d.account_id.in_(visible_account_ids(user)))
    first = like_escape(terms[0])
    score = case((like(d.title, first + "%"), 0), (like(d.title, "%" + first + "%"), 1),
                 (like(d.pinyin, first + "%"), 2), (like(d.pinyin, "% " + first + "%"), 2),
                 (like(d.pinyin, "%" + first + "%"), 3), else_=4)
    order = (score, func.length(d.title), d.updated_at.desc(), d.id.desc())
    candidates = (select(d.id).join(Account, and_(Account.id == d.account_id, Account.archived_at.is_(None)))
                  .where(*conds).limit(CANDIDATES + 1).scalar_subquery())
    ranked = (
        select(d.kind, d.object_id, d.account_id, d.parent_id, d.title, d.body, d.extra,
               Account.name.label("account_name"),
               func.row_number().over(partition_by=d.kind, order_by=order).label("rn"),
               func.count().over(partition_by=d.kind).label("n"))
        .join(Account, Account.id == d.account_id)
        .where(d.id.in_(candidates))
    ).subquery()
    rows = db.session.execute(select(ranked).where(ranked.c.rn <= per_kind)
                              .order_by(ranked.c.kind, ranked.c.rn)).all()
    groups = {}
    for r in rows:
        g = groups.setdefault(r.kind, Group(kind=r.kind, total=r.n))
        g.hits.append(Hit(kind=r.kind, object_id=r.object_id, account_id=r.account_id,
                          account_name=r.account_name, parent_id=r.parent_id, title=r.title,
                          body=r.body, extra=r.extra))
    results.groups = [groups[k] for k in KINDS if k in groups]
    results.capped = results.total > CANDIDATES
    return results
