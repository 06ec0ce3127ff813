"""The roster's check for `flask ledger verify`: nobody is on two shifts at once."""

from pojo.ledger.verify import Check

CHECKS = (
    Check(
        "no two shifts of one person overlap",
        """
        SELECT id, employee_id FROM (
            SELECT id, employee_id, starts_at,
                   LAG(ends_at) OVER (PARTITION BY employee_id ORDER BY starts_at) AS previous_end
            FROM shifts
        ) ordered
        WHERE previous_end > starts_at
        """,
    ),
)
