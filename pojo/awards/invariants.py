"""The awards' checks for `flask ledger verify`: each award and its ledger entry agree."""

from pojo.ledger.verify import Check

CHECKS = (
    Check(
        "every award has one matching ledger entry",
        """
        SELECT a.id FROM awards a
        LEFT JOIN ledger_entries l ON l.id = a.entry_id
        WHERE l.id IS NULL OR l.points <> a.points OR l.employee_id <> a.employee_id
           OR l.kind NOT IN ('award', 'outcome')
        """,
    ),
    Check(
        "every award or outcome entry belongs to an award",
        """
        SELECT l.id FROM ledger_entries l
        LEFT JOIN awards a ON a.entry_id = l.id
        WHERE l.kind IN ('award', 'outcome') AND a.id IS NULL
        """,
    ),
)
