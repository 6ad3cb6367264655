"""Reviews: next-quarter priorities (version-checked), finalising (frozen bytes and data), the archive."""
import hashlib
import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.audit.services import apply_changes, record
from app.concurrency import check_version, commit_versioned
from app.extensions import db
from app.reviews import quarters
from app.reviews.models import FinalReview, ReviewNote
from app.timeutil import utcnow

PRIORITIES_LIMIT = 5000


class ReviewError(ValueError):
    """A review change that cannot be made, with a message for the person."""


def check_quarter(quarter):
    """A quarter string, or ReviewError."""
    if not quarters.parse(quarter or ""):
        raise ReviewError(_l("Choose a quarter such as 2026-Q3."))
    return quarter.strip()


def note_for(account_id, quarter):
    """The stored priorities of a quarter, or None."""
    return db.session.scalar(db.select(ReviewNote).where(
        ReviewNote.account_id == account_id, ReviewNote.quarter == quarter))


def save_priorities(actor, account, quarter, text, version=None, commentary=None):
    """Save next quarter's priorities (and the KAM's commentary); a save over a newer version raises StaleEdit."""
    quarter = check_quarter(quarter)
    text = (text or "").strip()
    if len(text) > PRIORITIES_LIMIT:
        raise ReviewError(_l("Keep the priorities under %(n)d characters.", n=PRIORITIES_LIMIT))
    commentary = None if commentary is None else commentary.strip()
    if commentary is not None and len(commentary) > PRIORITIES_LIMIT:
        raise ReviewError(_l("Keep the commentary under %(n)d characters.", n=PRIORITIES_LIMIT))
    note = note_for(account.id, quarter)
    if note is None:
        note = ReviewNote(account_id=account.id, quarter=quarter, priorities="", commentary="")
        db.session.add(note)
        db.session.flush()
        record(actor, note, "create", summary=quarter)
    elif version is not None:
        check_version(note, version)
    changes = apply_changes(note, {"priorities": text} | ({"commentary": commentary} if commentary is not None else {}))
    if changes:
        note.updated_at, note.updated_by_id = utcnow(), getattr(actor, "id", None)
        record(actor, note, "update", changes, summary=quarter)
    commit_versioned(note)
    return note


def finalise(actor, account, quarter, paper="a4", lang=None):
    """Freeze the review: store its PDF bytes and the data behind them as a new numbered version."""
    from app.reviews.pdf import PAPERS, build_review

    quarter = check_quarter(quarter)
    paper = paper if paper in PAPERS else "a4"
    data, pdf = build_review(account, actor, quarter, paper, lang)
    number = (db.session.scalar(db.select(func.max(FinalReview.number)).where(
        FinalReview.account_id == account.id, FinalReview.quarter == quarter)) or 0) + 1
    final = FinalReview(account_id=account.id, quarter=quarter, number=number, paper=paper,
                        lang=data["lang"], data_json=json.dumps(data, ensure_ascii=False, sort_keys=True),
                        pdf=pdf, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
                        finalised_by_id=getattr(actor, "id", None))
    db.session.add(final)
    db.session.flush()
    record(actor, final, "create", summary=f"{quarter} v{number}")
    db.session.commit()
    return final


def archive(account_id, quarter=None, limit=None):
    """Finalised reviews of the account (of one quarter), newest first; the bytes are not loaded."""
    from sqlalchemy.orm import selectinload
    stmt = (db.select(FinalReview).where(FinalReview.account_id == account_id)
            .options(selectinload(FinalReview.finalised_by))
            .order_by(FinalReview.quarter.desc(), FinalReview.number.desc()).limit(limit))
    if quarter:
        stmt = stmt.where(FinalReview.quarter == quarter)
    return db.session.scalars(stmt).all()


def stored_pdf(final):
    """The stored bytes, exactly as finalised."""
    return final.pdf


def stored_data(final):
    """The data dict the stored PDF was made from."""
    return json.loads(final.data_json)


def _register_labels():
    """Audit labels for review objects and fields."""
    from app.audit import labels
    labels.register(objects={"ReviewNote": _l("review priorities"), "FinalReview": _l("finalised review"),
                             "ExportJob": _l("review export")},
                    fields={"priorities": _l("Next quarter's priorities"), "commentary": _l("Commentary"), "quarter": _l("Quarter"),
                            "number": _l("Version"), "paper": _l("Paper size"), "sha256": _l("Checksum")})


_register_labels()
