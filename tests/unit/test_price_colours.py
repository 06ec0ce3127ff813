"""A price's rise and fall are drawn as a buyer reads them, and readable: WCAG's 4.5:1 at least.

Read from the stylesheet itself, so a new colour that fails the contrast fails here.
"""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static/css/pojo.css").read_text()
WHITE = "#ffffff"


def variable(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})\s*;", CSS).group(1)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rule(selector: str) -> str:
    return re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", CSS).group(1)


def test_a_rise_is_warm_and_a_fall_green_as_a_buyer_reads_them():
    assert "var(--rise)" in rule(".change-up") and "var(--fall)" in rule(".change-down")
    assert "var(--rise)" in rule(".spark-up polyline")
    assert "var(--fall)" in rule(".spark-down polyline")
    red, green, _blue = (int(variable("rise")[i : i + 2], 16) for i in (1, 3, 5))
    assert red > green  # warm: the bad news of a dearer price
    red, green, _blue = (int(variable("fall")[i : i + 2], 16) for i in (1, 3, 5))
    assert green > red


@pytest.mark.parametrize("name", ["rise", "fall"])
def test_rise_and_fall_have_at_least_4_5_to_1_on_the_card_and_their_badge(name):
    assert contrast(variable(name), WHITE) >= 4.5
    assert contrast(variable(name), variable(f"{name}-soft")) >= 4.5
