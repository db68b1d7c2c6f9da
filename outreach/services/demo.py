"""Demo accounts for the README's run command: one per role, clearly marked as demo."""

from __future__ import annotations

import secrets

from outreach.db.database import Database
from outreach.domain.accounts import Actor, NewUser, Role
from outreach.services.accounts import check_password, create_user
from outreach.services.devices import issue_enrolment

ROLES: tuple[Role, ...] = ("coordinator", "leadership", "admin", "field")


async def demo_accounts(db: Database, known: str | None) -> tuple[str, str]:
    """Create the demo accounts unless `known` (their sign-in lines from an earlier run) is
    given; return those lines and a message on how to sign in, with a fresh enrolment code
    for the demo phone."""
    if known is None:
        lines = []
        for role in ROLES:
            password = secrets.token_urlsafe(12)
            team = "team-1" if role == "field" else None
            new = NewUser(login=f"demo-{role}", display_name=f"Demo {role}", role=role,
                          password=password, team=team)  # fmt: skip
            await create_user(db, new, actor=Actor("demo"))
            lines.append(f"{role:<12} login demo-{role:<17} password {password}")
        known = "\n".join(lines) + "\n"
    coordinator_password = known.splitlines()[0].split()[-1]
    coordinator = await check_password(db, "demo-coordinator", coordinator_password)
    phone = ""
    if coordinator is not None:
        enrolment = await issue_enrolment(db, "demo-field", Actor("demo", coordinator.id))
        phone = f"demo phone of team-1: enrolment code {enrolment.code} (valid 15 minutes)\n"
    header = "DEMO ACCOUNTS - for trying the service out, not for real data\n"
    how = ("sign in on this server's /console (coordinator, admin) or /dashboard (leadership);"
           " the field app is /app/, on a phone; or POST /api/v1/session with"
           ' {"login": ..., "password": ...}\n')  # fmt: skip
    message = header + known + how + phone
    return known, message
