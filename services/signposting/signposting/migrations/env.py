from forum_shared.migrations import run_env
from signposting.store import metadata

run_env(metadata)
