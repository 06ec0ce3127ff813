"""Shifts: the roster (who works when, in which team), its CSV import, the pages
that show it and one's own shifts as a calendar feed; the ground shift swaps build on."""

from flask_babel import lazy_gettext as _l


def _revoke_calendar_link(_app, *, employee) -> None:
    """A deactivated employee's calendar link ends with the deactivation, for good."""
    from pojo.shifts.feeds import revoke_feeds_of

    revoke_feeds_of(employee)


def feature():
    from pojo.features import Feature
    from pojo.shifts import models
    from pojo.shifts.api import bp as api_bp
    from pojo.shifts.calendar_views import bp as calendar_bp
    from pojo.shifts.calendar_views import calendar_section
    from pojo.shifts.cli import shifts_cli
    from pojo.shifts.display import day_name, shift_day, shift_hours
    from pojo.shifts.invariants import CHECKS
    from pojo.shifts.personal_data import PARTS as PERSONAL_DATA
    from pojo.shifts.policy import PLAN_SHIFTS
    from pojo.shifts.views import bp
    from pojo.signals import employee_deactivated
    from pojo.web import NavItem

    return Feature(
        name="shifts",
        personal_data=PERSONAL_DATA,
        blueprints=(bp, calendar_bp),
        api_blueprints=(api_bp,),
        commands=(shifts_cli,),
        nav=(
            NavItem(25, "shifts.mine", _l("My shifts")),
            NavItem(48, "shifts.schedule", _l("Schedule"), PLAN_SHIFTS, manage=True),
        ),
        template_globals={"day_name": day_name, "shift_day": shift_day, "shift_hours": shift_hours},
        sections={"my_shifts": calendar_section},
        checks=CHECKS,
        receivers={employee_deactivated: _revoke_calendar_link},
        models=models,
    )
