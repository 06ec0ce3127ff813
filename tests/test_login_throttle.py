"""Login throttling: exact under concurrency, and no weapon against other people's accounts.

Failures first lock the (account, address) pair; a higher account-wide limit stops
guessing spread over many addresses, and a much higher per-address limit stops
one address trying many accounts without locking a whole office out.
"""

import threading

import pytest

from tests.conftest import PASSWORD

CLIENTS = 16


def _try(client, username, password, address):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _checked(response) -> bool:
    """True when the password was checked (wrong), False when refused unchecked."""
    assert response.status_code in (200, 429), response.status_code
    return response.status_code == 200


def test_the_pair_is_locked_after_its_limit_even_for_the_right_password(client, make_employee):
    make_employee("aino")
    for _ in range(5):
        assert _checked(_try(client, "aino", "wrong password", "10.0.0.1"))
    response = _try(client, "aino", PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    assert "Too many failed logins" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_failures_from_elsewhere_do_not_lock_the_owner_out(client, make_employee):
    make_employee("admin-anna", role="admin")
    for _ in range(5):
        _try(client, "admin-anna", "guess", "203.0.113.9")
    assert _try(client, "admin-anna", PASSWORD, "10.0.0.2").status_code == 302


def test_a_right_password_within_the_pair_limit_logs_in(client, make_employee):
    make_employee("aino")
    for _ in range(4):
        _try(client, "aino", "typo", "10.0.0.1")
    assert _try(client, "aino", PASSWORD, "10.0.0.1").status_code == 302


def test_guessing_spread_over_many_addresses_meets_the_account_limit(app, make_employee):
    make_employee("aino")
    client = app.test_client()
    limit = app.config["LOGIN_ACCOUNT_MAX_FAILURES"]
    for n in range(limit):
        assert _checked(_try(client, "aino", "guess", f"198.51.100.{n}"))
    assert _try(client, "aino", PASSWORD, "10.0.0.2").status_code == 429


@pytest.mark.slow  # a hundred password checks
def test_typos_across_one_office_address_do_not_lock_the_office_out(app, make_employee):
    office = "192.0.2.1"
    agents = [make_employee() for _ in range(30)]
    client = app.test_client()
    for agent in agents:
        assert _checked(_try(client, agent, "typo", office))
    for agent in agents[:3]:
        assert _try(app.test_client(), agent, PASSWORD, office).status_code == 302


def test_one_address_trying_many_accounts_meets_the_address_limit(make_app, app, make_employee):
    limited = make_app(LOGIN_ADDRESS_MAX_FAILURES=8)
    client = limited.test_client()
    for n in range(8):
        assert _checked(_try(client, f"user{n}", "guess", "203.0.113.7"))
    assert _try(client, make_employee(), PASSWORD, "203.0.113.7").status_code == 429


def _together(app, attempts):
    """Send each (username, password, address) at once from its own client."""
    barrier = threading.Barrier(len(attempts))
    responses = [None] * len(attempts)

    def attempt(index, username, password, address):
        client = app.test_client()
        barrier.wait()
        responses[index] = _try(client, username, password, address)

    threads = [
        threading.Thread(target=attempt, args=(index, *args)) for index, args in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


@pytest.mark.parametrize(
    "limits, attempts",
    [
        ({"LOGIN_MAX_FAILURES": 5}, [("aino", "wrong", "10.0.0.1")] * CLIENTS),
        (
            {"LOGIN_ACCOUNT_MAX_FAILURES": 6},
            [("aino", "wrong", f"198.51.100.{n}") for n in range(CLIENTS)],
        ),
        (
            {"LOGIN_ADDRESS_MAX_FAILURES": 7},
            [(f"user{n}", "wrong", "192.0.2.1") for n in range(CLIENTS)],
        ),
    ],
    ids=["pair", "account", "address"],
)
def test_concurrent_guesses_get_exactly_the_limit_of_password_checks(
    app, make_app, make_employee, limits, attempts
):
    make_employee("aino")
    limited = make_app(**limits)
    responses = _together(limited, attempts)
    assert sum(_checked(response) for response in responses) == next(iter(limits.values()))
