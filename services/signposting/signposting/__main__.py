"""`python -m signposting` (or `forum-signposting`): serve the signposting service."""

from forum_shared.serve import serve


def main() -> None:
    from signposting.config import Settings

    serve("signposting.app:create_app", Settings())


if __name__ == "__main__":
    main()
