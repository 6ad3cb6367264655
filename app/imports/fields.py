"""What an import can fill, and the names other files give those columns.

Each field knows its kind (how a cell is checked and converted) and its aliases: our
export's headers in English and Chinese, and the column names of Salesforce and HubSpot
exports. A file's header is matched to fields by those names, so a Salesforce or HubSpot
export maps without a click; the preview page lets the user change any column's field.
"""
import re
from dataclasses import dataclass, field

from flask_babel import force_locale

from app import vocab
from app.stakeholders.models import CONTACT_STATUS
from app.translate import lazy_gettext as _l


@dataclass(frozen=True)
class Field:
    key: str
    label: object           # lazy string: the header our .xlsx export writes
    kind: str = "text"      # text, long, email, vocab, date, money, pct, id, first, last, mobile, ignore
    limit: int = 120
    vocab: object = None
    aliases: tuple = field(default=())


F = Field
CONTACT_FIELDS = (
    F("id", _l("Id"), "id", aliases=("id", "编号")),
    F("name", _l("Name"), aliases=("name", "full name", "contact name", "contact", "姓名", "名字", "联系人")),
    F("first_name", _l("First name"), "first", 60, aliases=("first name", "firstname", "given name", "名")),
    F("last_name", _l("Last name"), "last", 60, aliases=("last name", "lastname", "surname", "family name", "姓")),
    F("title", _l("Title"), aliases=("title", "job title", "position", "职位", "职务", "头衔")),
    F("department", _l("Department"), aliases=("department", "部门")),
    F("reports_to", _l("Reports to"), aliases=("reports to", "reports_to", "manager", "汇报给", "上级")),
    F("seniority", _l("Seniority"), "vocab", vocab=vocab.SENIORITY, aliases=("seniority", "level", "级别")),
    F("buying_role", _l("Buying role"), "vocab", vocab=vocab.BUYING_ROLES,
      aliases=("buying role", "buying_role", "采购角色")),
    F("influence", _l("Influence"), "vocab", vocab=vocab.INFLUENCE, aliases=("influence", "影响力")),
    F("attitude", _l("Attitude"), "vocab", vocab=vocab.ATTITUDES, aliases=("attitude", "态度")),
    F("strength", _l("Relationship strength"), "ignore", aliases=("relationship strength", "strength")),
    F("email", _l("E-mail"), "email", 254, aliases=(
        "email", "e-mail", "email address", "e-mail address", "邮箱", "电子邮件", "电子邮箱")),
    F("phone", _l("Phone"), "text", 60, aliases=(
        "phone", "phone number", "business phone", "work phone", "电话", "手机")),
    F("mobile", _l("Mobile"), "mobile", 60, aliases=("mobile", "mobile phone", "mobile phone number")),
    F("interests", _l("Interests and working style"), "long", aliases=("interests",)),
    F("vested_interests", _l("Vested interests"), "long", aliases=("vested interests", "vested_interests")),
    F("needs_short", _l("Short-term needs"), "long", aliases=("needs short", "needs_short")),
    F("needs_long", _l("Long-term needs"), "long", aliases=("needs long", "needs_long")),
    F("status", _l("Status"), "vocab", vocab=CONTACT_STATUS, aliases=("status", "状态")),
    F("left_on", _l("Left on"), "date", aliases=("left on", "left_on")),
    F("left_to", _l("Went to"), "text", 200, aliases=("left to", "left_to", "went to")),
    F("last_contacted_on", _l("Last contact"), "date", aliases=(
        "last contacted on", "last_contacted_on", "last contact", "last activity",
        "last activity date", "last activity date (edt)", "最近联系")),
)

ACCOUNT_FIELDS = (
    F("id", _l("Id"), "id", aliases=("id", "编号")),
    F("name", _l("Name"), "text", 200, aliases=(
        "name", "account name", "account", "company name", "company", "客户", "客户名称", "公司", "公司名称")),
    F("industry", _l("Industry"), "text", 120, aliases=("industry", "行业")),
    F("region", _l("Region"), "text", 120, aliases=(
        "region", "billing city", "city", "billing state/province", "state/region", "地区", "城市")),
    F("website", _l("Website"), "text", 255, aliases=(
        "website", "website url", "company domain name", "domain", "网站")),
    F("revenue_this_year", _l("Revenue this year"), "money", aliases=(
        "revenue this year", "revenue_this_year", "annual revenue", "年收入", "今年收入")),
    F("revenue_last_year", _l("Revenue last year"), "money", aliases=("revenue last year", "revenue_last_year")),
    F("currency", _l("Currency"), "vocab", vocab=vocab.CURRENCIES, aliases=(
        "currency", "account currency", "currency iso code", "币种")),
    F("margin_pct", _l("Margin"), "pct", aliases=("margin", "margin_pct", "毛利率")),
    F("tier", _l("Tier"), "vocab", vocab=vocab.TIERS, aliases=("tier", "层级")),
    F("relationship_stage", _l("Relationship stage"), "vocab", vocab=vocab.STAGES,
      aliases=("relationship stage", "relationship_stage", "stage")),
    F("procurement_model", _l("Procurement"), "vocab", vocab=vocab.PROCUREMENT,
      aliases=("procurement", "procurement_model")),
    F("purchase_pattern", _l("Purchase pattern"), "vocab", vocab=vocab.PURCHASE_PATTERN,
      aliases=("purchase pattern", "purchase_pattern")),
    F("payment_terms", _l("Payment terms"), "text", 120, aliases=("payment terms", "payment_terms")),
)

FIELDS = {"contacts": CONTACT_FIELDS, "accounts": ACCOUNT_FIELDS}

# The exports of other CRMs, by their real column names (what "presets" recognise).
PRESETS = {
    "contacts": {
        "Salesforce": ("First Name", "Last Name", "Title", "Email", "Phone", "Mobile", "Department",
                       "Account Name", "Reports To", "Contact ID", "Mailing City", "Lead Source"),
        "HubSpot": ("Record ID", "First Name", "Last Name", "Email", "Phone Number", "Job Title",
                    "Company Name", "Contact owner", "Lifecycle Stage", "Last Activity Date"),
    },
    "accounts": {
        "Salesforce": ("Account ID", "Account Name", "Industry", "Annual Revenue", "Website",
                       "Billing City", "Billing Country", "Type", "Phone", "Account Owner"),
        "HubSpot": ("Record ID", "Company name", "Industry", "Annual Revenue", "Company Domain Name",
                    "City", "Country/Region", "Phone Number", "Company owner"),
    },
}
# Their record ids are theirs, not ours: never matched to our id.
FOREIGN_IDS = {"contact id", "record id", "account id", "company id", "object id"}


def norm(text):
    """A header as compared: lower case, spaces collapsed, a byte-order mark or quote dropped."""
    text = str(text).replace("\ufeff", "").strip().strip("'\"").lower()
    return re.sub(r"[\s_]+", " ", text)


def _names(f):
    """Every name a column of field `f` may have: aliases, and our header in both languages."""
    names = {norm(a) for a in f.aliases} | {norm(f.key)}
    for lang in ("en", "zh"):
        with force_locale(lang):
            names.add(norm(str(f.label)))
    return names


def auto_map(kind, header):
    """{column index: field key} for the columns whose names we know; a field is used once."""
    table = {}
    for f in FIELDS[kind]:
        for name in _names(f):
            table.setdefault(name, f.key)
    mapping, used = {}, set()
    for i, col in enumerate(header):
        key = table.get(norm(col))
        if key and key not in used and norm(col) not in FOREIGN_IDS:
            mapping[i] = key
            used.add(key)
    return mapping


def preset_of(kind, header):
    """The name of the export the header looks like ('Salesforce', 'HubSpot', ours) or ''."""
    cols = {norm(c) for c in header}
    best, best_score = "", 0
    for name, columns in PRESETS[kind].items():
        score = len(cols & {norm(c) for c in columns})
        if score > best_score:
            best, best_score = name, score
    if best_score >= 3:
        return best
    return "ours" if "id" in cols or norm(str(FIELDS[kind][0].label)) in cols else ""


def field_of(kind, key):
    return next((f for f in FIELDS[kind] if f.key == key), None)
