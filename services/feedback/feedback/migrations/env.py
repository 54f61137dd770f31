from feedback.store import metadata
from forum_shared.migrations import run_env

run_env(metadata)
