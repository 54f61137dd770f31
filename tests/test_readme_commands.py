"""Every command the README and `forum up`'s banner tell a newcomer to run exists: a make target,
or a `forum` command that answers --help (no uv on PATH needed)."""

import contextlib
import io
import re
from pathlib import Path

from forum_shared.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [ROOT / "README.md", ROOT / "shared" / "forum_shared" / "up.py"]


def _commands(pattern: str) -> set[str]:
    # In code: after a backtick or a quote, or at the start of a line of a code block.
    return {m for path in TEXTS for m in re.findall(pattern, path.read_text(), re.MULTILINE)}


def test_every_make_command_named_is_a_make_target():
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))
    named = _commands(r"(?:^|[`'\"])make ([a-z][a-z-]*)")
    assert named and named <= targets, named - targets


def test_every_forum_command_named_answers_help():
    named = _commands(r"(?:^(?:\.venv/bin/)?|[`'\"](?:\.venv/bin/)?)forum ([a-z]+(?: [a-z]+)?)(?=[ `'\"\n])")
    assert {"up", "governors", "admin", "token", "replay", "nats"} <= {n.split()[0] for n in named}
    for command in sorted({n.strip() for n in named}):
        words = command.split()
        code = _help(words)
        if code != 0 and len(words) == 2:  # "forum demo fills …": a command and a word after it
            code = _help(words[:1])
        assert code == 0, f"forum {command} is not a command"


def _help(words: list[str]) -> int:
    """What `forum <words> --help` exits with (argparse exits 0 after printing help)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main([*words, "--help"])
        except SystemExit as done:
            return int(done.code or 0)
    return 0


def test_no_command_needs_uv_on_the_path():
    for path in TEXTS:
        assert "uv run" not in path.read_text(), path


def test_the_readme_lists_every_forum_up_option():
    import argparse

    from forum_shared import up

    parser = argparse.ArgumentParser()
    up.add_arguments(parser)
    options = {o for action in parser._actions for o in action.option_strings if o.startswith("--") and o != "--help"}
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("`forum up` options"):readme.index("After `make up`")]
    listed = set(re.findall(r"`(--[a-z-]+)", table))
    assert listed == options, f"missing from the README: {options - listed}; not options: {listed - options}"
