"""The demo exchange's rewards, priced so that the year's demand keeps them moving.

Prices are set against earnings of roughly 200 to 250 points a month, so an
impulse redeemer affords a cheap reward every few weeks and a goal saver needs
months for a spa day. Expected demands add up to about the twenty redemptions
a month that forty agents redeeming six times a year make.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime

from pojo.market import catalogue as market_catalogue
from pojo.market import pricing
from pojo.market.demand import settings_of, state_of
from pojo.market.models import Reward
from pojo.people.models import Employee


@dataclass(frozen=True)
class RewardSpec:
    name_en: str
    name_fi: str
    description_en: str
    description_fi: str
    category: str
    base_price: int
    expected_per_30d: int
    stock: int | None = None
    per_person_limit: int | None = None
    limit_period: str | None = None
    kind: str = "standard"
    # Months (1-12) in which people want it; empty means all year.
    season: tuple[int, ...] = field(default=())

    def reward_fields(self) -> dict:
        """The reward's fields as `create_reward` takes them (the season is the simulation's)."""
        fields = asdict(self)
        del fields["season"]
        treatment, code, cents = PAYROLL[self.name_en]
        fields.update(tax_treatment=treatment, income_type_code=code, value_cents=cents)
        return fields


# Each reward's payroll settings: (treatment, the payroll system's code, value in cents).
# Rewards for work performance are taxable pay; time off and shift swaps are not. The codes
# are a demo payroll system's; "An extra hour of lunch" has no value, to show the flag.
TAXABLE_PERK = "5010"
TAX_FREE_TIME = "5090"
PAYROLL = {
    "Cinema tickets for two": ("taxable", TAXABLE_PERK, 2800),
    "An extra hour of lunch": ("tax_free", TAX_FREE_TIME, None),
    "Lunch for two": ("taxable", TAXABLE_PERK, 4000),
    "Bookshop gift card": ("taxable", TAXABLE_PERK, 2500),
    "Pojo hoodie": ("taxable", TAXABLE_PERK, 4500),
    "Massage, 45 minutes": ("taxable", TAXABLE_PERK, 6000),
    "A month at the gym": ("taxable", TAXABLE_PERK, 5000),
    "Theatre evening for two": ("taxable", TAXABLE_PERK, 9000),
    "Concert tickets for two": ("taxable", TAXABLE_PERK, 11000),
    "Swap away a Christmas Eve shift": ("tax_free", TAX_FREE_TIME, 0),
    "Design vase, Aalto style": ("taxable", TAXABLE_PERK, 15000),
    "Half a day off": ("tax_free", TAX_FREE_TIME, 0),
    "Wireless headphones": ("taxable", TAXABLE_PERK, 18000),
    "Spa day": ("taxable", TAXABLE_PERK, 16000),
}


REWARDS = (
    RewardSpec(
        "Cinema tickets for two", "Elokuvaliput kahdelle",
        "Two tickets to any film at Finnkino, popcorn included.",
        "Kaksi lippua mihin tahansa Finnkinon näytökseen, popcornit mukaan.",
        "experience", 180, 3,
    ),
    RewardSpec(
        "An extra hour of lunch", "Tunnin pidempi lounastauko",
        "Take a two-hour lunch on a day you agree with your supervisor.",
        "Kahden tunnin lounastauko esihenkilön kanssa sovittuna päivänä.",
        "time_off", 150, 2, per_person_limit=1, limit_period="month",
    ),
    RewardSpec(
        "Lunch for two", "Lounas kahdelle",
        "A lunch voucher for you and a colleague at a restaurant of your choice.",
        "Lounasseteli sinulle ja kollegalle valitsemaasi ravintolaan.",
        "item", 220, 2,
    ),
    RewardSpec(
        "Bookshop gift card", "Kirjakaupan lahjakortti",
        "A 25 euro gift card to Suomalainen Kirjakauppa.",
        "25 euron lahjakortti Suomalaiseen Kirjakauppaan.",
        "item", 260, 2,
    ),
    RewardSpec(
        "Pojo hoodie", "Pojo-huppari",
        "The warm team hoodie, organic cotton, sizes XS to 3XL.",
        "Lämmin tiimihuppari luomupuuvillaa, koot XS–3XL.",
        "item", 320, 1, stock=40, per_person_limit=1, limit_period="year",
    ),
    RewardSpec(
        "Massage, 45 minutes", "Hieronta 45 min",
        "A classic massage at the wellness centre next door.",
        "Klassinen hieronta viereisessä hyvinvointikeskuksessa.",
        "wellbeing", 380, 2,
    ),
    RewardSpec(
        "A month at the gym", "Kuntosalin kuukausikortti",
        "One month's membership at a gym near the office.",
        "Kuukauden jäsenyys toimiston lähellä olevalle kuntosalille.",
        "wellbeing", 450, 1,
    ),
    RewardSpec(
        "Theatre evening for two", "Teatteri-ilta kahdelle",
        "Two tickets to a play at the City Theatre.",
        "Kaksi lippua Kaupunginteatterin näytökseen.",
        "experience", 600, 1,
    ),
    RewardSpec(
        "Concert tickets for two", "Konserttiliput kahdelle",
        "Two tickets to a concert of your choice at the Music Centre.",
        "Kaksi lippua valitsemaasi konserttiin Musiikkitalossa.",
        "experience", 700, 1,
    ),
    RewardSpec(
        "Swap away a Christmas Eve shift", "Vaihda jouluaaton vuoro pois",
        "Give your Christmas Eve shift to a colleague who takes it from the swap board.",
        "Anna jouluaaton vuorosi kollegalle, joka ottaa sen vaihtotaululta.",
        "time_off", 800, 1, stock=6, per_person_limit=1, limit_period="year",
        kind="shift_swap", season=(11, 12),
    ),
    RewardSpec(
        "Design vase, Aalto style", "Design-maljakko, Aalto-tyyliin",
        "The wavy glass vase, a Finnish design classic.",
        "Aaltoileva lasimaljakko, suomalaisen designin klassikko.",
        "item", 900, 1, stock=12,
    ),
    RewardSpec(
        "Half a day off", "Puoli vapaapäivää",
        "Four hours off on a day you agree with your supervisor.",
        "Neljä tuntia vapaata esihenkilön kanssa sovittuna päivänä.",
        "time_off", 1000, 1, per_person_limit=1, limit_period="quarter",
    ),
    RewardSpec(
        "Wireless headphones", "Langattomat kuulokkeet",
        "Noise-cancelling headphones for the commute.",
        "Vastamelukuulokkeet työmatkoille.",
        "item", 1200, 1, stock=8,
    ),
    RewardSpec(
        "Spa day", "Kylpyläpäivä",
        "A day at a spa with lunch, for you and a friend.",
        "Kylpyläpäivä lounaineen sinulle ja ystävälle.",
        "wellbeing", 1400, 1, per_person_limit=1, limit_period="quarter",
    ),
)  # fmt: skip


@dataclass(eq=False)
class Listed:
    """A reward on the demo exchange and what the simulation tracks about it."""

    reward: Reward
    spec: RewardSpec
    settings: pricing.PriceSettings
    state: pricing.DemandState
    stock_left: int | None
    redeemed_at: list[datetime] = field(default_factory=list)
    # A plain copy of the reward's id, readable without a query once the session expires.
    id: int = field(init=False)

    def __post_init__(self):
        self.id = self.reward.id

    def price(self, at: datetime) -> int:
        """The price now, by the market's engine, from the state mirrored in memory."""
        return pricing.price(self.settings, self.state, max(at, self.state.at))

    def redeemed(self, at: datetime) -> None:
        """Mirror a redemption the market recorded at `at`."""
        self.redeemed_at.append(at)
        self.state = pricing.redeemed(self.settings, self.state, at)

    def wanted_in(self, month: int) -> bool:
        return not self.spec.season or month in self.spec.season


def list_rewards(hr: Employee, start: datetime) -> list[Listed]:
    """Create the catalogue through the market service, dated to the start of the history."""
    listed = []
    for spec in REWARDS:
        reward = market_catalogue.create_reward(hr, at=start, **spec.reward_fields())
        listed.append(Listed(reward, spec, settings_of(reward), state_of(reward), spec.stock))
    return listed
