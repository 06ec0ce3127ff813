"""Shift swaps: the shift-swap reward's workflow, from the swap board to the covered shift."""

from apscheduler.triggers.cron import CronTrigger
from flask_babel import lazy_gettext as _l

SWAP_EXPIRY_JOB = "swap_expiry"


def _expire(now) -> str:
    from pojo.swaps.service import expire_due

    return f"{expire_due(now)} uncovered swaps expired and refunded"


def _slot(now) -> str:
    """The quarter hour a run belongs to (the job runs every 15 minutes)."""
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0).isoformat()


def _hand_back(app, employee, **_payload) -> None:
    from pojo.swaps.service import hand_back

    hand_back(employee)


def _shift_changing(app, shift, change, **_payload) -> None:
    from pojo.swaps.service import refuse_change

    refuse_change(shift, change)


def feature():
    from pojo.features import Feature
    from pojo.jobs.registry import Job
    from pojo.signals import employee_deactivated, shift_changing
    from pojo.swaps import models
    from pojo.swaps.api import bp as api_bp
    from pojo.swaps.explained import how_it_works_section
    from pojo.swaps.invariants import CHECKS
    from pojo.swaps.messages import TEXTS
    from pojo.swaps.personal_data import PARTS as PERSONAL_DATA
    from pojo.swaps.references import describe_swaps
    from pojo.swaps.service import prepare_request
    from pojo.swaps.views import bp, my_shifts_panel, reward_panel
    from pojo.web import NavItem

    return Feature(
        name="swaps",
        personal_data=PERSONAL_DATA,
        blueprints=(bp,),
        api_blueprints=(api_bp,),
        nav=(NavItem(26, "swaps.board_page", _l("Swap board")),),
        sections={
            "reward_redeem": reward_panel,
            "my_shifts": my_shifts_panel,
            "how_it_works": how_it_works_section,
        },
        references={"swap": describe_swaps},
        checks=CHECKS,
        jobs=(
            Job(
                name=SWAP_EXPIRY_JOB,
                description="Cancel and refund shift swaps nobody covered by their deadline",
                run=_expire,
                period=_slot,
                trigger=lambda config: CronTrigger(minute="*/15", timezone=config["TIMEZONE"]),
            ),
        ),
        notices=TEXTS,
        receivers={employee_deactivated: _hand_back, shift_changing: _shift_changing},
        reward_kinds={"shift_swap": prepare_request},
        models=models,
    )
