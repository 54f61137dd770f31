from forum_shared.migrations import run_env
from membership.store import metadata

run_env(metadata)
