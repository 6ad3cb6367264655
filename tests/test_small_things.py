"""Small rules a new user trips on: no inline styles (strict CSP), one date format without seconds."""
from datetime import datetime
from pathlib import Path

from app.templating import date_, datetime_

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"


def test_no_inline_style_attributes_in_templates():
    # Mail templates are not pages: mail clients read only inline styles, and no CSP applies there.
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
                 if not p.relative_to(TEMPLATES).as_posix().startswith("notify/mail/")
                 and ('style="' in p.read_text(encoding="utf-8") or "style='" in p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_one_date_format_without_seconds(app):
    at = datetime(2026, 11, 3, 14, 5, 9)
    with app.test_request_context():
        assert datetime_(at, "short") == datetime_(at, "medium") and ":09" not in datetime_(at)
        assert date_(at, "short") == date_(at, "medium") == "Nov 3, 2026"


def test_the_timeline_names_what_changed(app, world):
    """Every event names its object, also where the service gave no summary: a cadence and a
    pairing by who with whom, an account and a channel by name."""
    from app.audit.models import AuditEvent
    from app.extensions import db
    from app.meetings import services as meetings
    from app.stakeholders import coverage
    from app.stakeholders import services as stakeholders
    kam, sponsor = world.users["kam"], world.users["sponsor"]
    boss = stakeholders.create_contact(kam, world.account, {"name": "刘建国 Liu Jianguo", "seniority": "c_level"})
    cad = meetings.create_cadence(kam, world.account, executive_id=sponsor.id, contact_id=boss.id, every_days=90)
    meetings.update_cadence(kam, cad, 60, cad.version)
    pairing = coverage.add_pairing(kam, world.account, user_id=sponsor.id, contact_id=boss.id, current_level="acquainted")
    coverage.update_pairing(kam, pairing, "credible", "trusted_advisor")
    coverage.end_pairing(kam, pairing)
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.object_type.in_(("ExecutiveCadence", "Coverage"))).order_by(AuditEvent.id)).all()
    assert [(e.object_type, e.action) for e in events] == [
        ("ExecutiveCadence", "create"), ("ExecutiveCadence", "update"),
        ("Coverage", "create"), ("Coverage", "update"), ("Coverage", "leave")]
    assert events[0].summary == events[1].summary == f"{sponsor.name} ↔ 刘建国 Liu Jianguo"
    assert {e.summary for e in events[2:]} == {f"{sponsor.name} → 刘建国 Liu Jianguo"}
    assert all(e.summary for e in db.session.scalars(db.select(AuditEvent)))  # the contact's too


def test_vocab_options_write_what_the_template_loop_wrote(app):
    """`vocab_options` (kept once a process per vocabulary, choice and locale) gives, in both
    languages, the bytes of the Jinja loop it replaced, for a chosen value, an unknown one and none."""
    from flask_babel import refresh

    from app import vocab
    from app.templating import vocab_options

    loop = app.jinja_env.from_string(
        '{% for v, l in V.choices %}<option value="{{ v }}" {% if v == x %}selected{% endif %}>{{ l }}</option>{% endfor %}')
    vocabularies = [v for v in vars(vocab).values() if isinstance(v, vocab.Vocab)]
    assert len(vocabularies) > 10
    for lang in ("en", "zh"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            refresh()
            for v in vocabularies:
                for x in [*v.values[:2], "no-such-value", None, ""]:
                    assert str(vocab_options(v, x)) == loop.render(V=v, x=x), (v.values, x, lang)
            assert ("大客户经理" if lang == "zh" else "Key-account manager") in vocab_options(vocab.TEAM_ROLES, "kam")
