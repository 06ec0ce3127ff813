"""Runtime events one feature announces and others, above it, react to.

The sender is always the app (`current_app._get_current_object()`), and a
feature connects its receivers through `Feature.receivers`, for its own app
only: two apps in one process never hear each other. Receivers run in the
sender's transaction, so what they do commits or rolls back with it.
"""

from blinker import Namespace

_signals = Namespace()

# Points were credited to these employees. Sent by `pojo.ledger.service` once per posting
# (one entry, or one batch of an import), in the transaction that moved the points, so a
# goal that became affordable is told at once. Payload: employee_ids (a collection of ids,
# never empty), at (when the points count from; earlier than now for backdated entries).
points_credited = _signals.signal("points-credited")

# An employee was deactivated. Sent by `pojo.people.service` in the transaction that
# deactivated them (by HR, or the `contract_end` job); auth ends their stored sessions and
# the API revokes their tokens for good; shift swaps hand an open swap back with a refund. Payload: employee (the Employee).
employee_deactivated = _signals.signal("employee-deactivated")

# A planner is about to change a shift: `change` is "edit" or "delete". Sent by
# `pojo.shifts.service` under the person's lock, before anything is written; a receiver
# refuses by raising a DomainError (shift swaps: a shift on the swap board, or with a swap
# behind it, is not deleted). Payload: shift (the Shift), change.
shift_changing = _signals.signal("shift-changing")

# Notices were left for these employees. Sent by `pojo.notifications.service` (`notify`,
# `notify_many`) in the transaction that wrote them, so what a receiver writes (the mail
# feature's outbox) commits or rolls back with the notice. Payload: kind (the notice's kind),
# recipients (a list of (employee id, params) pairs, never empty), link (site-relative or
# None), at (when the event happened; earlier than now for backdated notices).
notices_left = _signals.signal("notices-left")
