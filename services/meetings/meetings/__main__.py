"""`python -m meetings` (or `forum-meetings`): serve the meetings service."""

from forum_shared.serve import serve


def main() -> None:
    from meetings.config import Settings

    serve("meetings.app:create_app", Settings())


if __name__ == "__main__":
    main()
