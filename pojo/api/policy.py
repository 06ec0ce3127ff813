"""Who manages API tokens: HR and admin their own, an admin everyone's."""

from flask_babel import lazy_gettext as _l

from pojo.policy import ROLES, can, capability

MANAGE_TOKENS = capability(
    "manage_tokens",
    ("hr", "admin"),
    "Open the API tokens page: see and revoke one's tokens",
)
MANAGE_ALL_TOKENS = capability(
    "manage_all_tokens",
    ("admin",),
    "See and revoke every API token, not only one's own",
)


def _own_token(actor, token) -> bool:
    """their own; an admin: any"""
    return token.employee_id == actor.id or can(actor, MANAGE_ALL_TOKENS)


REVOKE_TOKEN = capability(
    "revoke_token",
    ROLES,
    "Revoke an API token",
    check=_own_token,
    refusal=_l("You can revoke only your own tokens."),
)
