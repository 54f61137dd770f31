"""`python -m membership` (or `forum-membership`): serve the membership service."""

from forum_shared.serve import serve


def main() -> None:
    from membership.config import Settings

    serve("membership.app:create_app", Settings())


if __name__ == "__main__":
    main()
