"""A worker draws an unchanged org chart once (app/stakeholders/orgdraw.py, "the same map drawn
again"): any edit to what the chart shows draws it afresh, each language has its own, nobody
changes a shared drawing, and the memo stays bounded."""
import copy
import re

import pytest

from app.extensions import db
from app.stakeholders import orgdraw
from tests.stakeholders.conftest import pair


@pytest.fixture(autouse=True)
def fresh_memo(monkeypatch):
    orgdraw._memo.clear()
    orgdraw._svg_slots.clear()
    drawn = []
    real = orgdraw._draw

    def counting(*args, **kwargs):
        chart = real(*args, **kwargs)
        drawn.append(copy.deepcopy(chart))
        return chart

    monkeypatch.setattr(orgdraw, "_draw", counting)
    yield drawn
    orgdraw._memo.clear()
    orgdraw._svg_slots.clear()


def org(client, account, **args):
    query = "&".join(f"{k}={v}" for k, v in ({"coverage": 1} | args).items())
    resp = client.get(f"/accounts/{account.id}/stakeholders/org?{query}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def svgs(page):
    return re.findall(r"<svg[^>]*class=\"org-svg\".*?</svg>", page, re.S)


def test_an_unchanged_map_is_drawn_once_and_an_edit_draws_it_again(world, as_role, mapped, fresh_memo):
    _dept, people = mapped
    kam = as_role("kam")
    first = svgs(org(kam, world.account))
    assert first and svgs(org(kam, world.account)) == first and len(fresh_memo) == 1
    people[1].name = "改名 Renamed Person"
    db.session.commit()
    renamed = org(kam, world.account)
    assert "Renamed Person" in renamed and "Contact 1<" not in renamed and len(fresh_memo) == 2
    pair(world, contact=people[2], who="sponsor", level="trusted_advisor")
    covered = org(kam, world.account)
    assert covered != renamed and len(fresh_memo) == 3
    world.users["sponsor"].name = "新名字 New Sponsor Name"  # our side's names are on the chart too
    db.session.commit()
    assert "新名字" in org(kam, world.account) and len(fresh_memo) == 4


def test_each_language_and_view_has_its_own_drawing(world, as_role, mapped, fresh_memo):
    kam = as_role("kam")
    en = svgs(org(kam, world.account, lang="en"))
    zh = svgs(org(kam, world.account, lang="zh"))
    assert en != zh and len(fresh_memo) == 2
    org(kam, world.account, lang="zh", group="none")
    assert len(fresh_memo) == 3
    assert svgs(org(kam, world.account, lang="en")) == en and len(fresh_memo) == 3


def test_no_page_changes_a_shared_drawing(world, as_role, mapped, fresh_memo):
    """The org page, the review's relations and its PDF all read the drawings they share."""
    _dept, people = mapped
    pair(world, contact=people[0], who="sponsor")
    kam = as_role("kam")
    for _ in range(2):
        org(kam, world.account)
        org(kam, world.account, group="none")
        assert kam.get(f"/accounts/{world.account.id}/reviews/relations").status_code == 200
    assert kam.get(f"/accounts/{world.account.id}/reviews/review.pdf").status_code == 200
    assert len(fresh_memo) == len(orgdraw._memo) == 2  # two views; the review draws what the page drew
    for kept in orgdraw._memo.values():
        assert any(kept == as_drawn for as_drawn in fresh_memo)


def test_the_memo_keeps_the_last_few_and_their_svg_only(world, as_role, mapped, fresh_memo, monkeypatch):
    monkeypatch.setattr(orgdraw, "MEMO_SIZE", 2)
    kam = as_role("kam")
    for view in ({}, {"group": "none"}, {"left": 0}):
        org(kam, world.account, **view)
    assert len(orgdraw._memo) == 2
    kept = {id(s["drawing"]) for chart in orgdraw._memo.values() for s in chart["sections"]}
    assert set(orgdraw._svg_slots) == kept
    org(kam, world.account)  # the first view was dropped: drawn again
    assert len(fresh_memo) == 4
