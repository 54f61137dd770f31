"""`python -m feedback` (or `forum-feedback`): serve the feedback service."""

from forum_shared.serve import serve


def main() -> None:
    from feedback.config import Settings

    serve("feedback.app:create_app", Settings())


if __name__ == "__main__":
    main()
