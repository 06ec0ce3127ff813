"""Shifts: the roster (who works when, in which team), its CSV import, and the
pages that show it; the ground shift swaps build on."""

from flask_babel import lazy_gettext as _l


def feature():
    from pojo.features import Feature
    from pojo.shifts import models
    from pojo.shifts.cli import shifts_cli
    from pojo.shifts.display import day_name, shift_day, shift_hours
    from pojo.shifts.invariants import CHECKS
    from pojo.shifts.policy import PLAN_SHIFTS
    from pojo.shifts.views import bp
    from pojo.web import NavItem

    return Feature(
        name="shifts",
        blueprints=(bp,),
        commands=(shifts_cli,),
        nav=(
            NavItem(25, "shifts.mine", _l("My shifts")),
            NavItem(48, "shifts.schedule", _l("Schedule"), PLAN_SHIFTS, manage=True),
        ),
        template_globals={"day_name": day_name, "shift_day": shift_day, "shift_hours": shift_hours},
        checks=CHECKS,
        models=models,
    )
