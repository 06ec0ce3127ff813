"""Pojo is usable in Finnish: a Finnish user sees Finnish words, numbers and dates.

That every wrapped string has a Finnish translation is checked without an app,
in tests/unit/test_message_catalogue.py.
"""

import re
from datetime import date

from tests.market_helpers import add_reward, give_points

NBSP = "\u00a0"


def test_finnish_agent_sees_wallet_market_and_criteria_in_finnish(app, client_as):
    client = client_as("agent", language="fi")
    give_points(app, client.username, 1250)
    add_reward(app)

    wallet = client.get("/wallet").get_data(as_text=True)
    assert '<html lang="fi">' in wallet
    assert "Saldosi" in wallet and "Your balance" not in wallet
    assert f"1{NBSP}250" in wallet  # Finnish groups thousands with a no-break space
    assert "Pojopörssi" in wallet  # the navigation's "Market"

    board = client.get("/market").get_data(as_text=True)
    assert "Hinnat seuraavat kysyntää" in board and "Prices follow demand" not in board
    assert "Hieronta" in board  # the reward's Finnish name
    assert re.search(r"Lunasta · \d+ pojoa", board)

    criteria = client.get("/criteria").get_data(as_text=True)
    assert "Mistä saa pojoja" in criteria and "What earns points" not in criteria


def test_english_user_keeps_english(client_as):
    client = client_as("agent", language="en")
    wallet = client.get("/wallet").get_data(as_text=True)
    assert "Your balance" in wallet and "Saldosi" not in wallet


def test_login_page_follows_a_finnish_browser(client):
    page = client.get("/login", headers={"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert "Kirjaudu Pojoon" in html and "Log in to Pojo" not in html
    assert "Käyttäjätunnus" in html and "Salasana" in html


def test_finnish_hr_sees_dates_in_finnish_form(make_employee, client_as):
    make_employee(temp=True, contract_end=date(2026, 12, 24))
    hr = client_as("hr", language="fi")
    people = hr.get("/people").get_data(as_text=True)
    assert "24.12.2026 asti" in people
