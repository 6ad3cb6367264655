"""Every stakeholder page runs a fixed number of queries, whatever the number of contacts."""
import pytest

from app.stakeholders import coverage, services
from app.timeutil import today
from tests.querycount import queries_for
from tests.stakeholders.conftest import make_map

PAGES = ["", "/org", "/org?group=department", "/coverage", "/touches", "/contacts.csv", "OVERVIEW"]


def grow(world, n):
    """Add a department with n contacts, each paired and touched."""
    dept, people = make_map(world, n)
    kam = world.users["kam"]
    coverage.add_pairing(kam, world.account, user_id=world.users["member"].id, department_id=dept.id)
    for i, p in enumerate(people):
        coverage.add_pairing(kam, world.account, user_id=world.users["sponsor" if i % 2 else "kam"].id,
                             contact_id=p.id, current_level="credible")
        services.log_interaction(kam, world.account, kind="call", occurred_on=today(), contact_ids=[p.id])
    return people


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow(app, world, as_role, page):
    client = as_role("kam")
    path = (f"/accounts/{world.account.id}" if page == "OVERVIEW"
            else f"/accounts/{world.account.id}/stakeholders{page}")
    grow(world, 3)
    resp, few = queries_for(client, path)
    assert resp.status_code == 200
    grow(world, 40)
    resp, many = queries_for(client, path)
    assert resp.status_code == 200 and many == few, (few, many)


def test_contact_page_query_count(app, world, as_role):
    people = grow(world, 3)
    client = as_role("kam")
    path = f"/accounts/{world.account.id}/stakeholders/contacts/{people[0].id}"
    _resp, few = queries_for(client, path)
    grow(world, 30)
    _resp, many = queries_for(client, path)
    assert many == few
