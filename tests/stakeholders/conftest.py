"""Stakeholder fixtures: a small mapped account on top of the shared `world`."""
import pytest

from app.stakeholders import coverage, services


def make_map(world, n_contacts=3, account=None):
    """A department and `n_contacts` contacts (the first an economic buyer) under one chain."""
    account = account or world.account
    kam = world.users["kam"]
    dept = services.create_department(kam, account, {"name": "采购部 Procurement", "function": "procurement"})
    people = []
    for i in range(n_contacts):
        people.append(services.create_contact(kam, account, {
            "name": f"联系人 Contact {i}", "title": "Director" if i == 0 else "Buyer",
            "department_id": dept.id, "reports_to_id": people[0].id if people else None,
            "seniority": "c_level" if i == 0 else "staff",
            "buying_role": "economic_buyer" if i == 0 else ("coach" if i == 1 else "user_buyer"),
            "influence": "high" if i == 0 else "low", "attitude": "supporter"}))
    return dept, people


@pytest.fixture
def mapped(world):
    """(department, contacts) of the world's account."""
    return make_map(world)


def pair(world, contact=None, department=None, who="sponsor", level="credible"):
    return coverage.add_pairing(world.users["kam"], world.account, user_id=world.users[who].id,
                                contact_id=contact.id if contact else None,
                                department_id=department.id if department else None,
                                current_level=level)


@pytest.fixture
def request_ctx(app):
    """Messages and sentences are translated, so they need a request (English by default)."""
    with app.test_request_context():
        yield
