"""Unit tests: pure logic (pricing, outcome rules, the message catalogue), no app and no database.

`pytest tests/unit` runs them in seconds. The app fixtures of tests/conftest.py are
refused here, so a test that needs the app or a database fails at once with a pointer
to where it belongs, rather than quietly making this tier slow.
"""

import pytest

WHERE_APP_TESTS_GO = (
    "tests/unit runs without an app or a database; a test that needs one belongs in tests/"
)


@pytest.fixture
def databases():
    pytest.fail(WHERE_APP_TESTS_GO)


@pytest.fixture
def make_app():
    pytest.fail(WHERE_APP_TESTS_GO)


@pytest.fixture
def app():
    pytest.fail(WHERE_APP_TESTS_GO)
