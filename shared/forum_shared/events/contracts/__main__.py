"""`python -m forum_shared.events.contracts [--write]`: check, or refresh, the frozen event schemas."""

from __future__ import annotations

import argparse
import sys

from forum_shared.events.contracts import FROZEN, check, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m forum_shared.events.contracts",
        description="Check every event version against its frozen JSON Schema, or freeze new and "
        "additively changed ones.",
    )
    parser.add_argument("--write", action="store_true", help=f"write new and compatible schemas to {FROZEN}")
    args = parser.parse_args(argv)
    result = write() if args.write else check()
    if result.breaking:
        print(result, file=sys.stderr)
        return 1
    if args.write:
        for name in result.missing + result.outdated:
            print(f"froze {name}")
        return 0
    if result.missing or result.outdated:
        print(result, file=sys.stderr)
        return 1
    print("every event version matches its frozen schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
