"""`forum token create` makes an API token for a partner's program from the command line."""

import subprocess
import sys

import pytest

from forum_shared.db import Database
from forum_shared.identity.tokens import principal_for_token
from forum_shared.migrations import upgrade

# It runs the `forum` command as processes: not in the fast tier.
pytestmark = pytest.mark.servers


async def test_a_token_made_on_the_command_line_lets_a_program_in_with_its_role(tmp_path):
    import feedback.app

    url = f"sqlite+aiosqlite:///{tmp_path / 'feedback.db'}"
    db = Database(url)
    await upgrade(db.engine, feedback.app.MIGRATIONS)
    made = subprocess.run(
        [sys.executable, "-m", "forum_shared.cli", "token", "create", "--service", "feedback",
         "--name", "SUN Network import", "--database-url", url],
        capture_output=True, text=True,
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    try:
        principal = await principal_for_token(db, token)
        assert principal is not None and (principal.name, principal.role) == ("SUN Network import", "partner")
        assert await principal_for_token(db, token + "x") is None
    finally:
        await db.dispose()
