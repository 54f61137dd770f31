import pytest


@pytest.fixture
def backend() -> str:
    """Browser tests run on SQLite only: the pages are the same on PostgreSQL, whose storage the
    services' own tests cover."""
    return "sqlite"
