"""Who wants to know when points arrive: a registry the layers above the ledger subscribe to.

The market checks savings goals when a balance grows, but the ledger,
awards and outcomes sit below the market and must not import it. So the
market registers a callback here in its `init_app`, and the ledger calls
`credited` in the transaction that moved the points: a goal that became
affordable is told at once, not at the next price tick.
"""

from collections.abc import Callable, Collection
from datetime import datetime

CreditListener = Callable[[Collection[int], datetime], None]

_listeners: list[CreditListener] = []


def on_credit(listener: CreditListener) -> None:
    """Call `listener(employee_ids, at)` whenever points are credited (once per app is enough)."""
    if listener not in _listeners:
        _listeners.append(listener)


def credited(employee_ids: Collection[int], at: datetime) -> None:
    """Tell every listener these employees' balances just grew; `at` is when, for backdated entries."""
    if not employee_ids:
        return
    for listener in _listeners:
        listener(employee_ids, at)
