"""Test factories: objects with sensible defaults, built straight into the database."""
import itertools
from decimal import Decimal

from werkzeug.security import generate_password_hash

from app.accounts.models import Account
from app.auth.models import User
from app.extensions import db
from app.team.models import Membership

PASSWORD = "correct-horse-1"
# A cheap hash keeps the suite fast; the real work factor is used by the service.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


def make_user(name=None, *, email=None, seniority="staff", is_admin=False, active=True, **kw):
    """A user whose password is PASSWORD."""
    n = next(_seq)
    user = User(name=name or f"User {n}", email=email or f"user{n}@example.com",
                seniority=seniority, is_admin=is_admin, active=active,
                password_hash=_HASH, **kw)
    db.session.add(user)
    db.session.commit()
    return user


def make_account(name=None, **kw):
    n = next(_seq)
    defaults = dict(name=name or f"Account {n}", industry="Manufacturing", region="Shanghai",
                    tier="key", revenue_this_year=Decimal(1_000_000),
                    revenue_last_year=Decimal(800_000))
    defaults.update(kw)
    account = Account(**defaults)
    db.session.add(account)
    db.session.commit()
    return account


def make_member(account, user, role="member", function="sales", **kw):
    m = Membership(account_id=account.id, user_id=user.id, role=role, function=function, **kw)
    db.session.add(m)
    db.session.commit()
    return m
