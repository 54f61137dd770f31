from forum_shared.migrations import run_env
from meetings.store import metadata

run_env(metadata)
