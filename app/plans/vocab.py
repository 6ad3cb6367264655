"""Vocabularies of the account plan."""
from app.translate import lazy_gettext as _l
from app.vocab import Vocab

HORIZONS = Vocab(
    ("short", _l("Short term (< 6 months)")),
    ("mid", _l("Mid term (6-12 months)")),
    ("long", _l("Long term (> 12 months)")),
)
OBJECTIVE_STATUS = Vocab(
    ("on_track", _l("On track")),
    ("at_risk", _l("At risk")),
    ("off_track", _l("Off track")),
    ("done", _l("Done")),
)
# The sales process of the articles (开发, 启动, 提案, 投标, 谈判, 实施), then the outcome.
OPPORTUNITY_STAGES = Vocab(
    ("development", _l("Development")),
    ("initiation", _l("Initiation")),
    ("proposal", _l("Proposal")),
    ("bidding", _l("Bidding")),
    ("negotiation", _l("Negotiation")),
    ("implementation", _l("Implementation")),
    ("won", _l("Won")),
    ("lost", _l("Lost")),
)
OPEN_STAGES = ("development", "initiation", "proposal", "bidding", "negotiation", "implementation")
CLOSED_STAGES = ("won", "lost")
# A sensible probability when the person leaves it empty.
STAGE_PROBABILITY = {"development": 10, "initiation": 20, "proposal": 40, "bidding": 50,
                     "negotiation": 70, "implementation": 90, "won": 100, "lost": 0}
SWOT = Vocab(
    ("strength", _l("Strengths")),
    ("weakness", _l("Weaknesses")),
    ("opportunity", _l("Opportunities")),
    ("threat", _l("Threats")),
)
