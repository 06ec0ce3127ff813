"""HR's segment thresholds, kept as site settings (whole numbers: days, counts, percentages)."""

from dataclasses import dataclass

from pojo.insights.policy import VIEW_INSIGHTS
from pojo.insights.segments import Thresholds
from pojo.people.models import Employee
from pojo.people.settings import Spec, define_setting, get_settings, set_setting


@dataclass(frozen=True)
class Knob:
    """One threshold as HR sets it: the setting's name, the field of `Thresholds`, the scale."""

    setting: str
    field: str
    scale: float  # Thresholds value = setting / scale (percentages: 100)
    least: int
    most: int


KNOBS = (
    Knob("insights_new_days", "new_days", 1, 0, 3650),
    Knob("insights_dormant_days", "dormant_days", 1, 1, 3650),
    Knob("insights_impulse_days", "impulse_days", 1, 0, 365),
    Knob("insights_impulse_carry_pct", "impulse_carry", 100, 0, 10_000),
    Knob("insights_saver_carry_pct", "saver_carry", 100, 0, 10_000),
    Knob("insights_saver_per_year", "saver_per_year", 1, 0, 365),
    Knob("insights_saver_upper_share_pct", "saver_upper_share", 100, 0, 100),
)

_DEFAULTS = Thresholds()
for _knob in KNOBS:
    define_setting(
        _knob.setting,
        Spec(
            round(getattr(_DEFAULTS, _knob.field) * _knob.scale),
            VIEW_INSIGHTS,
            least=_knob.least,
            most=_knob.most,
        ),
    )


SETTINGS = tuple(knob.setting for knob in KNOBS)


def threshold_values() -> dict[str, int]:
    """The stored whole numbers, by setting name."""
    return get_settings(SETTINGS)


def current_thresholds() -> Thresholds:
    """The thresholds HR set (the defaults where nothing is stored)."""
    return thresholds_from(threshold_values())


def thresholds_from(values: dict) -> Thresholds:
    """The thresholds of these stored whole numbers (by setting name)."""
    return Thresholds().changed(
        **{
            knob.field: values[knob.setting] / knob.scale
            if knob.scale != 1
            else values[knob.setting]
            for knob in KNOBS
        }
    )


def set_thresholds(actor: Employee, values: dict[str, int]) -> bool:
    """Store HR's thresholds (HR and admin); True when any changed, unchanged ones write nothing."""
    changed = False
    for knob in KNOBS:
        if knob.setting in values:
            changed |= set_setting(actor, knob.setting, values[knob.setting])
    return changed
