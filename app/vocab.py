"""Controlled vocabularies shared by every feature: stored value -> translated label.

Values are stored as short strings (not database enums) so migrations stay the
same on SQLite and PostgreSQL and a new value needs no schema change.
"""
from app.translate import lazy_gettext as _l  # the short path: labels are shown in every row


class Vocab:
    """An ordered vocabulary: `choices` for forms, `label(value)` for display."""

    def __init__(self, *pairs):
        self.pairs = pairs
        self.values = [v for v, _ in pairs]
        self._labels = dict(pairs)

    def label(self, value):
        """Translated label for a stored value; the raw value if unknown."""
        return self._labels.get(value, value or "")

    def rank(self, value):
        """Position of a value in the vocabulary (its order is meaningful)."""
        return self.values.index(value) if value in self._labels else -1

    @property
    def choices(self):
        return list(self.pairs)

    def __contains__(self, value):
        return value in self._labels


SENIORITY = Vocab(
    ("staff", _l("Staff")),
    ("manager", _l("Manager")),
    ("director", _l("Director")),
    ("vp", _l("VP")),
    ("c_level", _l("C-level")),
)
LANGUAGES = Vocab(("en", _l("English")), ("zh", _l("中文")))
TIERS = Vocab(
    ("strategic", _l("Strategic")),
    ("key", _l("Key")),
    ("developing", _l("Developing")),
    ("maintain", _l("Maintain")),
)
STAGES = Vocab(
    ("establish", _l("Establish")),
    ("stabilize", _l("Stabilize")),
    ("strengthen", _l("Strengthen")),
)
PROCUREMENT = Vocab(("centralised", _l("Centralised")), ("distributed", _l("Distributed")))
PURCHASE_PATTERN = Vocab(("recurring", _l("Recurring")), ("one_off", _l("One-off")))
TEAM_ROLES = Vocab(
    ("kam", _l("Key-account manager")),
    ("member", _l("Member")),
    ("sponsor", _l("Executive sponsor")),
    ("observer", _l("Observer")),
)
FUNCTIONS = Vocab(
    ("sales", _l("Sales")),
    ("solutions", _l("Solutions")),
    ("support", _l("Support")),
    ("implementation", _l("Implementation")),
    ("marketing", _l("Marketing")),
    ("management", _l("Management")),
)
CURRENCIES = Vocab(("CNY", "CNY ¥"), ("USD", "USD $"), ("EUR", "EUR €"))

# Stakeholder map (issue: stakeholders and layered coverage)
DEPARTMENT_FUNCTIONS = Vocab(
    ("procurement", _l("Procurement")),
    ("engineering", _l("Engineering / IT")),
    ("finance", _l("Finance")),
    ("quality", _l("Quality")),
    ("operations", _l("Operations")),
    ("executive", _l("Executive")),
    ("other", _l("Other")),
)
BUYING_ROLES = Vocab(
    ("economic_buyer", _l("Economic buyer")),
    ("user_buyer", _l("User buyer")),
    ("technical_buyer", _l("Technical buyer")),
    ("coach", _l("Coach")),
    ("champion", _l("Champion")),
    ("influencer", _l("Influencer")),
    ("gatekeeper", _l("Gatekeeper")),
    ("blocker", _l("Blocker")),
)
INFLUENCE = Vocab(("high", _l("High")), ("medium", _l("Medium")), ("low", _l("Low")))
ATTITUDES = Vocab(
    ("champion", _l("Champion")),
    ("supporter", _l("Supporter")),
    ("neutral", _l("Neutral")),
    ("skeptic", _l("Skeptic")),
    ("opponent", _l("Opponent")),
)
RELATIONSHIP_STRENGTH = Vocab(
    ("none", _l("None")),
    ("acquainted", _l("Acquainted")),
    ("credible", _l("Credible")),
    ("trusted_advisor", _l("Trusted advisor")),
)
ACTION_STATUS = Vocab(
    ("open", _l("Open")),
    ("in_progress", _l("In progress")),
    ("done", _l("Done")),
    ("cancelled", _l("Cancelled")),
)
