"""Who is an impulse redeemer, a goal saver, balanced, dormant or new: pure classification.

No Flask, no database: `classify` takes the features the SQL computes for one
employee over a window and the thresholds HR configured, and answers a
`Segment` with its code and the figures that explain it. The words are the
caller's (the page translates the code and fills in the figures).

The rules, in the order they are tried (the table in docs/insights.md):

1. `new`: under `new_days` (90) of history: too early to tell.
2. `dormant`: has earned in the window but not redeemed for `dormant_days`
   (180) or more (or never).
3. `impulse`: redeems soon after the points suffice (median days from
   affordable to redeemed at most `impulse_days`, 7) and rarely carries a
   balance (median balance carried at most `impulse_carry` × the cheapest
   reward's price, 1.0).
4. `saver`: lets the balance grow well past what cheaper rewards cost (median
   balance carried at least `saver_carry` × the lower third's price, 1.5),
   redeems rarely (at most `saver_per_year`, 4 a year) and expensively (at least
   `saver_upper_share`, 50 %, of spending on the upper third of prices).
5. `balanced`: everyone else.
"""

from dataclasses import dataclass, fields, replace

CODES = ("impulse", "saver", "balanced", "dormant", "new")


@dataclass(frozen=True)
class Thresholds:
    new_days: int = 90
    dormant_days: int = 180
    impulse_days: float = 7.0
    impulse_carry: float = 1.0
    saver_carry: float = 1.5
    saver_per_year: float = 4.0
    saver_upper_share: float = 0.5

    def changed(self, **values) -> "Thresholds":
        """These thresholds with some replaced; unknown names or negative values: ValueError."""
        known = {field.name for field in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown thresholds: {sorted(unknown)}")
        if any(value is None or value < 0 for value in values.values()):
            raise ValueError("thresholds are zero or more")
        return replace(self, **values)


@dataclass(frozen=True)
class Features:
    """One employee over a window, as the SQL measures it."""

    history_days: int  # from their first ledger entry to the window's end
    earned: int  # points credited in the window
    redemptions: int  # in the window
    redemptions_per_year: float
    # From the moment the balance first covered the reward's price to its redemption; None
    # without redemptions.
    median_days_to_redeem: float | None
    median_balance: float  # the balance carried, sampled daily over the window
    upper_third_share: float  # of points spent in the window, the share on upper-third prices
    days_since_redemption: int | None  # None: never redeemed
    cheapest_price: int  # the cheapest reward's price in the window
    lower_third_price: int  # the dearest price of the lower third


@dataclass(frozen=True)
class Segment:
    code: str
    features: Features
    # The one figure that decided, for the sentence that explains the label.
    reason: str


def classify(features: Features, thresholds: Thresholds = Thresholds()) -> Segment:
    """The segment of one employee, with the reason it was chosen."""
    t = thresholds
    f = features
    if f.history_days < t.new_days:
        return Segment("new", f, "history_days")
    if f.earned > 0 and (
        f.days_since_redemption is None or f.days_since_redemption >= t.dormant_days
    ):
        return Segment("dormant", f, "days_since_redemption")
    if f.redemptions == 0:
        return Segment("balanced", f, "redemptions")
    soon = f.median_days_to_redeem is not None and f.median_days_to_redeem <= t.impulse_days
    if soon and f.median_balance <= t.impulse_carry * f.cheapest_price:
        return Segment("impulse", f, "median_days_to_redeem")
    if (
        f.median_balance >= t.saver_carry * f.lower_third_price
        and f.redemptions_per_year <= t.saver_per_year
        and f.upper_third_share >= t.saver_upper_share
    ):
        return Segment("saver", f, "median_balance")
    return Segment("balanced", f, "redemptions_per_year")
