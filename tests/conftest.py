import pytest


@pytest.fixture(autouse=True)
def _database(db):
    """Every test runs against the real PostGIS test database, in a transaction rolled back after it."""
