"""Shift swaps' checks for `flask ledger verify`: each swap's shift, redemption and points agree."""

from pojo.ledger.verify import Check

CHECKS = (
    Check(
        "a covered swap's shift is its taker's, unless swapped on again",
        """
        SELECT s.id FROM swaps s JOIN shifts sh ON sh.id = s.shift_id
        WHERE s.status = 'covered' AND sh.employee_id <> s.taken_by_id
          AND NOT EXISTS (SELECT 1 FROM swaps later WHERE later.shift_id = s.shift_id
                          AND later.id > s.id AND later.status = 'covered')
        """,
    ),
    Check(
        "a swap's redemption is pending while it is open, fulfilled once covered, "
        "refunded in full once withdrawn or expired",
        """
        SELECT s.id, s.status, r.status FROM swaps s
        JOIN redemptions r ON r.id = s.redemption_id
        LEFT JOIN ledger_entries refund ON refund.id = r.refund_entry_id
        WHERE (s.status IN ('open', 'awaiting_approval') AND r.status <> 'pending')
           OR (s.status = 'covered' AND r.status <> 'fulfilled')
           OR (s.status IN ('withdrawn', 'expired')
               AND (r.status <> 'cancelled' OR refund.points IS NULL
                    OR refund.points <> r.price_paid))
        """,
    ),
    Check(
        "every shift-swap redemption has its swap, and every swap a shift-swap redemption",
        """
        SELECT r.id FROM redemptions r JOIN rewards w ON w.id = r.reward_id
        LEFT JOIN swaps s ON s.redemption_id = r.id
        WHERE (w.kind = 'shift_swap') <> (s.id IS NOT NULL)
        """,
    ),
    Check(
        "nobody takes their own swap, and cover points go to the taker of a covered swap",
        """
        SELECT s.id FROM swaps s LEFT JOIN ledger_entries e ON e.id = s.cover_entry_id
        WHERE s.taken_by_id = s.requested_by_id
           OR (s.cover_entry_id IS NOT NULL AND (s.status <> 'covered' OR e.kind <> 'cover'
               OR e.employee_id <> s.taken_by_id OR e.points <= 0
               OR e.reference <> 'swap:' || CAST(s.id AS VARCHAR(12))))
        UNION ALL
        SELECT e.id FROM ledger_entries e
        WHERE e.kind = 'cover'
          AND NOT EXISTS (SELECT 1 FROM swaps s WHERE s.cover_entry_id = e.id)
        """,
    ),
)
