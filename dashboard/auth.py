"""Sign-in and roles. STUB (sign-in off) — the access helper replaces it, keeping these names."""

from __future__ import annotations

ROLES = ("viewer", "editor", "admin")


def sign_in_gate() -> bool:
    """Show the sign-in form when accounts are configured and nobody is signed in; True to go on."""
    return True


def current_role() -> str:
    """The signed-in user's role; "admin" when sign-in is off (the embedded demo)."""
    return "admin"


def current_user() -> str:
    return "演示用户"


def has_role(min_role: str) -> bool:
    return ROLES.index(current_role()) >= ROLES.index(min_role)


def require_role(min_role: str) -> None:
    """Called at the top of every page: refuse (st.error + st.stop) when the role is too low."""
    return None


def sign_out_button() -> None:
    return None
