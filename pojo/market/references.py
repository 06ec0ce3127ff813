"""Ledger lines that point at redemptions ("redemption:7") are labelled with the reward's name."""

from sqlalchemy import select

from pojo.extensions import db
from pojo.market.models import Redemption, Reward


def describe_redemptions(redemption_ids: list[int], language: str) -> dict[int, str]:
    rows = db.session.execute(
        select(Redemption.id, Reward.name_en, Reward.name_fi)
        .join(Reward, Reward.id == Redemption.reward_id)
        .where(Redemption.id.in_(redemption_ids))
    )
    return {rid: (name_fi if language == "fi" else name_en) for rid, name_en, name_fi in rows}
