"""Plan fixtures: an open plan on the world's account."""
import pytest

from app.plans import services


@pytest.fixture
def plan(world):
    """The world account's open plan, loaded whole."""
    p = services.start_plan(world.users["kam"], world.account, year=2026)
    return services.load_plan(world.account.id, p.id)
