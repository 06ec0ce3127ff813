"""The e-mail settings read from the environment, and which SMTP failures are tried again."""

import smtplib

import pytest

import config
from pojo.mail.outbox import permanent


def test_without_mail_server_mail_is_off_by_default(monkeypatch, tmp_path):
    for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "POJO_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    loaded = config.load(tmp_path)
    assert loaded["MAIL_SERVER"] == ""
    assert (loaded["MAIL_PORT"], loaded["MAIL_USE_TLS"], loaded["MAIL_USE_SSL"]) == (
        25,
        False,
        False,
    )
    assert loaded["MAIL_BACKEND"] == "smtp"  # never Flask-Mailman's in-memory box
    assert loaded["BASE_URL"] == ""


def test_the_smtp_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "1")
    monkeypatch.setenv("MAIL_DEFAULT_SENDER", "Pojo <pojo@example.com>")
    monkeypatch.setenv("POJO_BASE_URL", "https://pojo.example.com/")
    loaded = config.load(tmp_path)
    assert loaded["MAIL_SERVER"] == "smtp.example.com"
    assert (loaded["MAIL_PORT"], loaded["MAIL_USE_TLS"]) == (587, True)
    assert loaded["MAIL_DEFAULT_SENDER"] == "Pojo <pojo@example.com>"
    assert loaded["BASE_URL"] == "https://pojo.example.com"


def test_tls_and_ssl_together_are_refused_at_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("MAIL_USE_TLS", "1")
    monkeypatch.setenv("MAIL_USE_SSL", "1")
    with pytest.raises(ValueError, match="MAIL_USE_TLS and MAIL_USE_SSL"):
        config.load(tmp_path)


@pytest.mark.parametrize(
    ("error", "for_good"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"mailbox busy")}), False),
        (smtplib.SMTPDataError(554, b"rejected"), True),
        (smtplib.SMTPDataError(451, b"try later"), False),
        (smtplib.SMTPSenderRefused(553, b"sender", "pojo@localhost"), False),  # ours to fix
        (smtplib.SMTPServerDisconnected("gone"), False),
        (ConnectionRefusedError(111, "refused"), False),
        (TimeoutError("timed out"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), False),
    ],
)
def test_only_an_answer_that_cannot_change_fails_an_email_at_once(error, for_good):
    assert permanent(error) is for_good


@pytest.mark.parametrize(
    ("error", "not_delivered"),
    [
        (smtplib.SMTPDataError(451, b"try later"), True),  # the server said no
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")}), True),
        (ValueError("header with a newline"), True),  # never left Pojo
        (smtplib.SMTPServerDisconnected("gone"), False),  # maybe after the server took it
        (TimeoutError("timed out"), False),
        (ConnectionResetError(104, "reset"), False),
    ],
)
def test_only_a_refusal_counts_as_not_delivered(error, not_delivered):
    from pojo.mail.outbox import refused

    assert refused(error) is not_delivered
