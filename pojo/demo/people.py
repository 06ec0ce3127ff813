"""The demo contact centre's people: teams, supervisors, HR, admin and agents with personas."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pojo.people import service as people
from pojo.people.models import Employee, Team

DEMO_PASSWORD = "pojo-demo"
TEAM_NAMES = ("Alpha", "Bravo", "Charlie")
# Enough for about 13 manual awards a month per team member, with room to spare.
TEAM_BUDGET = 1800
AGENCIES = ("Staffpoint", "Barona", "Eezy")
# Agents who joined during the year have at least this much history.
MIDYEAR = timedelta(days=180)

# How many agents behave each way; the insights issue labels them from the ledger alone.
PERSONA_COUNTS = {"impulse": 10, "saver": 9, "balanced": 12, "dormant": 5, "new": 4}
TEMP_COUNT = 12

FIRST_NAMES = (
    "Aino", "Eveliina", "Emilia", "Sanni", "Johanna", "Laura", "Minna", "Riikka", "Katja",
    "Tiina", "Päivi", "Satu", "Noora", "Jenni", "Henna", "Veera", "Iida", "Elina", "Outi",
    "Mikko", "Juha", "Janne", "Antti", "Teemu", "Ville", "Joonas", "Lauri", "Tuomas", "Olli",
    "Petri", "Jari", "Sami", "Aleksi", "Eetu", "Niko", "Kalle", "Markus", "Jussi", "Heikki",
)  # fmt: skip
LAST_NAMES = (
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
    "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
    "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen",
    "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen",
    "Ahonen", "Hiltunen", "Leinonen", "Kettunen", "Miettinen", "Pitkänen", "Aaltonen",
)  # fmt: skip
# Colleagues who work in English (their notes and pages are in English).
ENGLISH_NAMES = (
    "Daniel Okoro", "Maria Santos", "Liam Murphy", "Anna Kowalska", "Ahmed Hassan", "Sofia Rossi",
)  # fmt: skip
STAFF = (
    # username, display name, role, team
    ("supervisor.alpha", "Sari Lindqvist", "supervisor", "Alpha"),
    ("supervisor.bravo", "Marko Peltonen", "supervisor", "Bravo"),
    ("supervisor.charlie", "Hanna Vainio", "supervisor", "Charlie"),
    ("hr", "Kirsi Rautio", "hr", None),
    ("admin", "Antti Aho", "admin", None),
)


@dataclass
class Agent:
    """An agent and how they behave on the exchange, for the simulation."""

    employee: Employee
    persona: str
    hired: datetime
    # Multiplies how often good outcomes happen: some people simply earn more.
    performance: float
    # Dormant agents stop redeeming from this moment on.
    stops_redeeming: datetime | None = None
    # Plain copies: services expire the session's objects, and reading these must cost no query.
    id: int = field(init=False)
    username: str = field(init=False)
    language: str = field(init=False)
    team_id: int = field(init=False)

    def __post_init__(self):
        self.id = self.employee.id
        self.username = self.employee.username
        self.language = self.employee.language
        self.team_id = self.employee.team_id


@dataclass
class Staff:
    teams: list[Team]
    supervisors: dict[int, Employee]  # team id -> its supervisor
    hr: Employee
    admin: Employee
    agents: list[Agent]

    def everyone(self) -> list[Employee]:
        return [*self.supervisors.values(), self.hr, self.admin] + [a.employee for a in self.agents]


def username_for(name: str) -> str:
    plain = name.lower().translate(str.maketrans("äöå", "aoa"))
    return ".".join(plain.split())


def _agent_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(display name, language) pairs, unique, mostly Finnish."""
    names = [(name, "en") for name in ENGLISH_NAMES]
    seen = {username_for(name) for name, _ in names}
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if username_for(name) not in seen:
            seen.add(username_for(name))
            names.append((name, "fi"))
    rng.shuffle(names)
    return names


def _personas(rng: random.Random) -> list[str]:
    personas = [persona for persona, n in PERSONA_COUNTS.items() for _ in range(n)]
    rng.shuffle(personas)
    return personas


def _hire_date(rng: random.Random, persona: str, start: datetime, now: datetime) -> datetime:
    """New hires joined under 90 days ago; a few others joined during the year.

    Nobody joins before the history starts or after its first months, so
    only the new hires have under 90 days of it, however short the history.
    """
    if persona == "new":
        return max(start, now - timedelta(days=rng.randint(20, 80)))
    if persona in ("impulse", "balanced") and rng.random() < 0.2:
        return min(start + timedelta(days=rng.randint(60, 150)), max(start, now - MIDYEAR))
    return start


def create_staff(
    rng: random.Random, password_hash: str, start: datetime, now: datetime, today: date
) -> Staff:
    """Create the teams and every demo person, with hire dates as their creation times."""
    teams = [people.get_or_create_team(name) for name in TEAM_NAMES]
    for team in teams:
        team.monthly_award_budget = TEAM_BUDGET
        team.created_at = start
    made: dict[str, Employee] = {}
    for username, name, role, team_name in STAFF:
        made[username] = _create(username, name, role, team_name, password_hash, start)
    names = _agent_names(rng, sum(PERSONA_COUNTS.values()))
    personas = _personas(rng)
    temps = set(rng.sample(range(len(names)), TEMP_COUNT))
    # Three contracts end within two weeks, so the temp reminders have something to show.
    ending_soon = set(rng.sample(sorted(temps), 3))
    agents = []
    for index, ((name, language), persona) in enumerate(zip(names, personas, strict=True)):
        hired = _hire_date(rng, persona, start, now)
        temp = index in temps
        contract_end = None
        if temp:
            days = rng.randint(4, 13) if index in ending_soon else rng.randint(30, 240)
            contract_end = today + timedelta(days=days)
        employee = people.create_employee(
            username_for(name),
            role="agent",
            team_name=TEAM_NAMES[index % len(TEAM_NAMES)],
            password=None,
            display_name=name,
            email=f"{username_for(name)}@pojo.example",
            employment_type="temp" if temp else "permanent",
            agency_name=rng.choice(AGENCIES) if temp else None,
            contract_end=contract_end,
            language=language,
        )
        employee.password_hash = password_hash
        employee.created_at = hired
        employee.tour_seen_at = hired  # a demo user knows their way around
        stops = None
        if persona == "dormant":
            stops = start + timedelta(days=rng.randint(60, 150))
        performance = rng.uniform(1.05, 1.3) if persona == "saver" else rng.uniform(0.75, 1.25)
        agents.append(Agent(employee, persona, hired, performance, stops))
    supervisors = {team.id: made[f"supervisor.{team.name.lower()}"] for team in teams}
    return Staff(teams, supervisors, made["hr"], made["admin"], agents)


def _create(username, name, role, team_name, password_hash, start) -> Employee:
    employee = people.create_employee(
        username,
        role=role,
        team_name=team_name,
        password=None,
        display_name=name,
        email=f"{username}@pojo.example",
        language="fi",
    )
    # One hash for the one documented demo password: hashing 50 times would cost seconds.
    employee.password_hash = password_hash
    employee.created_at = start
    employee.tour_seen_at = start
    return employee
