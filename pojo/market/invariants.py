"""The market's checks for `flask ledger verify`: redemptions, entries and prices agree."""

from pojo.ledger.verify import Check
from pojo.market.replay import mismatches

CHECKS = (
    Check(
        "every redemption has its entry of minus the price paid",
        """
        SELECT r.id FROM redemptions r
        LEFT JOIN ledger_entries l ON l.id = r.entry_id
        WHERE l.id IS NULL OR l.points <> -r.price_paid OR l.kind <> 'redemption'
           OR l.employee_id <> r.employee_id
        """,
    ),
    Check(
        "a refund of the price paid exists exactly for cancelled redemptions",
        """
        SELECT r.id FROM redemptions r
        LEFT JOIN ledger_entries l ON l.id = r.refund_entry_id
        WHERE (r.status = 'cancelled' AND (l.id IS NULL OR l.points <> r.price_paid
                                           OR l.kind <> 'refund'
                                           OR l.employee_id <> r.employee_id))
           OR (r.status <> 'cancelled' AND r.refund_entry_id IS NOT NULL)
        """,
    ),
    Check(
        "no reward's stock is negative",
        "SELECT id, stock FROM rewards WHERE stock < 0",
    ),
    Check(
        "every redemption or refund entry belongs to a redemption",
        """
        SELECT l.id FROM ledger_entries l
        WHERE (l.kind = 'redemption'
               AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.entry_id = l.id))
           OR (l.kind = 'refund'
               AND NOT EXISTS (SELECT 1 FROM redemptions r WHERE r.refund_entry_id = l.id))
        """,
    ),
    Check(
        "every redemption since its reward's record began has its price state (but imported ones)",
        """
        SELECT r.id FROM redemptions r
        WHERE NOT r.imported
          AND NOT EXISTS (SELECT 1 FROM price_states s WHERE s.redemption_id = r.id)
          AND r.created_at >= (SELECT MIN(s.at) FROM price_states s
                               WHERE s.reward_id = r.reward_id)
        """,
    ),
    Check(
        "replaying each reward's history reproduces its recorded prices",
        run=mismatches,
    ),
)
