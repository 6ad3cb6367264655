"""Labels for an import's one audit record (on the account, or on the importer for accounts)."""
from app.audit.labels import ACTIONS, register
from app.translate import lazy_gettext as _l

ACTIONS["import"] = _l("imported a file into")
register(fields={"file": _l("File"), "created": _l("Created rows"), "updated": _l("Updated rows"),
                 "unchanged": _l("Unchanged rows")})
