"""Who corrects the ledger and sees where its entries came from.

Who sees an employee's ledger at all is `view_ledger` in pojo/people/policy.py:
it follows from who oversees whom.
"""

from flask_babel import lazy_gettext as _l

from pojo.policy import capability

REVERSE_ENTRIES = capability(
    "reverse_entries",
    ("hr", "admin"),
    "Reverse a mistaken award with a compensating entry",
    refusal=_l("Only HR and admin reverse entries."),
)
SEE_ENTRY_SOURCES = capability(
    "see_entry_sources",
    ("hr", "admin"),
    "See the id an entry has in the system it came from",
)
