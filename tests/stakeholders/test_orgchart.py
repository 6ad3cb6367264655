"""The drawn org chart: the tidy tree never overlaps cards, every reports-to line is drawn, cycles
are refused (and survived), text fits its card, and 200 people draw fast."""
import random
import time
from datetime import date, timedelta
from types import SimpleNamespace as NS

import pytest

from app.stakeholders import orgdraw, orgsvg, services
from app.stakeholders.models import Contact, Coverage, Department
from app.stakeholders.tidytree import TidyTree, build_forest, ellipsize, text_width, wrap

TODAY = date(2026, 12, 1)
W, H = 200, 80


def _overlaps(boxes, w=W, h=H):
    """Pairs of cards whose rectangles intersect."""
    items = sorted(boxes.items(), key=lambda kv: kv[1][0])
    bad = []
    for i, (ka, (xa, ya)) in enumerate(items):
        for kb, (xb, yb) in items[i + 1:]:
            if xb >= xa + w:
                break
            if ya < yb + h and yb < ya + h:
                bad.append((ka, kb))
    return bad


def _random_parents(n, rng, shape):
    if shape == "chain":
        return {i: (i - 1 if i else None) for i in range(n)}
    if shape == "flat":
        return {i: (0 if i else None) for i in range(n)}
    if shape == "forest":
        return {i: (None if i % 17 == 0 else rng.randrange(max(1, i - 5), i) if i > 1 else None) for i in range(n)}
    return {i: (rng.randrange(0, max(1, i // 2 + 1)) if i else None) for i in range(n)}  # bushy


@pytest.mark.parametrize("shape", ["bushy", "chain", "flat", "forest"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tidy_tree_never_overlaps_cards_and_centres_managers(shape, seed):
    rng = random.Random(seed)
    parents = _random_parents(200, rng, shape)
    roots, nodes = build_forest(list(parents), parents.get, lambda k: k)
    tree = TidyTree(W, H, H + 30)
    lay = tree.layout(roots)
    assert set(lay.boxes) == set(parents)  # everyone is drawn, once
    assert _overlaps(lay.boxes) == []
    assert all(0 <= x <= lay.width - W and 0 <= y <= lay.height - H for x, y in lay.boxes.values())
    for n in nodes.values():
        if n.children and not any(c.stacked for c in n.children):
            kids = [c.x for c in n.children]  # a manager sits centred over their reports
            assert abs(n.x - (min(kids) + max(kids)) / 2) < 0.01
        for c in n.children:
            assert c.layer > n.layer  # reports are drawn below their manager


def test_many_reports_without_reports_stack_in_columns():
    parents = {0: None} | {i: 0 for i in range(1, 13)}
    roots, _nodes = build_forest(list(parents), parents.get, lambda k: k)
    lay = TidyTree(W, H, H + 30, stack_rows=4).layout(roots)
    columns = {x for k, (x, _y) in lay.boxes.items() if k}
    assert len(columns) == 3 and lay.layers == 5  # 12 reports: 3 columns of 4, not one row of 12
    assert lay.width < 4 * (W + 30)


def test_a_cycle_in_the_data_is_broken_and_everyone_is_drawn_once():
    parents = {1: 2, 2: 3, 3: 1, 4: 3, 5: None}
    roots, nodes = build_forest(list(parents), parents.get, lambda k: k)
    assert [r.key for r in roots] == [1, 5]
    seen = []

    def walk(n):
        seen.append(n.key)
        for c in n.children:
            walk(c)

    for r in roots:
        walk(r)
    assert sorted(seen) == [1, 2, 3, 4, 5]
    assert _overlaps(TidyTree(W, H, H + 30).layout(roots).boxes) == []


def test_text_is_measured_for_chinese_and_latin_and_fits():
    assert text_width("王建国", 10) == pytest.approx(30)  # CJK: one em each
    assert text_width("abc", 10) == pytest.approx(16.5)  # latin: about half
    title = "工程技术部的高级系统架构师兼首席信息安全官员 Chief Information Security Officer"
    lines = wrap(title, 11, 180, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(text_width(line, 11) <= 180 for line in lines)
    assert wrap("VP Operations 运营副总裁", 11, 180) == ["VP Operations 运营副总裁"]
    name = ellipsize("欧阳娜娜 Ouyang Nana-Fitzgerald", 13, 120, bold=True)
    assert name.endswith("…") and text_width(name, 13, bold=True) <= 120


# ---- the drawing, from a map ---------------------------------------------------------------------

def fake_map(n=200, seed=5, departments=8, cycle=False):
    """A StakeholderMap-like object of transient rows: no database, just the shapes draw() reads."""
    rng = random.Random(seed)
    depts = [Department(id=d + 1, name=f"部门 Dept {d}", parent_id=None) for d in range(departments)]
    contacts = []
    for i in range(n):
        dept = depts[0] if i < 3 else rng.choice(depts)
        same = [c for c in contacts if c.department_id == dept.id]
        boss = (rng.choice(same) if same and rng.random() < 0.85 else (contacts[0] if contacts else None))
        contacts.append(Contact(
            id=i + 1, name=["王建国 Wang Jianguo", "Sarah O'Neil", "欧阳娜娜"][i % 3], title="Director 总监",
            department_id=dept.id, reports_to_id=boss.id if boss else None,
            seniority=["c_level", "vp", "director", "manager", "staff"][min(4, i // 8)],
            buying_role=rng.choice([None, "economic_buyer", "coach"]), influence=rng.choice(["high", "medium", "low"]),
            attitude=rng.choice(["champion", "supporter", "neutral", "skeptic", "opponent"]),
            status="left" if i % 41 == 7 else "active", version=1,
            last_contacted_on=TODAY - timedelta(days=rng.randint(0, 200))))
    if cycle:
        contacts[1].reports_to_id, contacts[2].reports_to_id = contacts[2].id, contacts[1].id
    users = {u: NS(id=u, name=f"张伟{u} Zhang Wei", seniority=["staff", "manager", "director", "vp"][u % 4])
             for u in range(1, 7)}
    pairings = [Coverage(id=k + 1, user_id=rng.randint(1, 6), contact_id=rng.choice(contacts).id, department_id=None,
                         current_level=rng.choice(["none", "acquainted", "credible", "trusted_advisor"]),
                         target_level="trusted_advisor") for k in range(60)]
    pairings = [p for p in pairings if next(c for c in contacts if c.id == p.contact_id).status == "active"]
    team = [NS(user_id=u) for u in range(1, 6)]
    return NS(contacts=contacts, departments=depts, pairings=pairings, users=users, team=team,
              team_user_ids={1, 2, 3, 4, 5})


def _all_cards(chart):
    return [(s, c) for s in chart["sections"] for c in s["drawing"]["cards"]]


@pytest.mark.parametrize("group", [True, False])
def test_every_reports_to_line_is_drawn(request_ctx, group):
    smap = fake_map()
    chart = orgdraw.draw(smap, TODAY, group=group, coverage=True)
    cards = _all_cards(chart)
    assert sorted(c["id"] for _s, c in cards) == sorted(c.id for c in smap.contacts)
    drawn = set()
    for s in chart["sections"]:
        d = s["drawing"]
        drawn |= {(e["from"], e["to"]) for e in d["edges"]} | {(st["from"], st["to"]) for st in d["stubs"]}
        assert _overlaps({c["id"]: (c["x"], c["y"]) for c in d["cards"]}, w=orgdraw.CARD_W,
                         h=d["cards"][0]["h"]) == []
    wanted = {(c.reports_to_id, c.id) for c in smap.contacts if c.reports_to_id}
    assert wanted == drawn
    if not group:
        assert not chart["sections"][0]["drawing"]["stubs"]  # one chart: every line is a real line


def test_coverage_lines_reach_each_covered_contact(request_ctx):
    smap = fake_map()
    chart = orgdraw.draw(smap, TODAY, group=True, coverage=True)
    links = {(link["user_id"], link["to"]) for s in chart["sections"] for link in s["drawing"]["links"]}
    chips = {(o["user_id"], c["id"]) for _s, c in _all_cards(chart) for o in c["owners"]}
    assert links == chips and links  # a line for every chip on a card
    more = sum(c.get("more", 0) for _s, c in _all_cards(chart))
    assert len(chips) + more == len({(p.user_id, p.contact_id) for p in smap.pairings})
    for s in chart["sections"]:
        ours = s["drawing"]["ours"]
        assert all(a["y"] + a["h"] <= b["y"] for a, b in zip(sorted(ours, key=lambda o: o["y"]),
                                                             sorted(ours, key=lambda o: o["y"])[1:], strict=False))


def test_marks_left_stale_and_decision_makers_without_an_executive(request_ctx):
    smap = fake_map(n=30)
    chart = orgdraw.draw(smap, TODAY, group=False, coverage=True)
    cards = {c["id"]: c for _s, c in _all_cards(chart)}
    for c in smap.contacts:
        card = cards[c.id]
        assert card["left"] == (c.status == "left")
        stale = c.status == "active" and c.last_contacted_on < TODAY - timedelta(days=90)
        assert ("◷" in card["tag"]) == stale
    boss = smap.contacts[0]  # C-level: a decision-maker
    execs = [p for p in smap.pairings if p.contact_id == boss.id and smap.users[p.user_id].seniority in ("director", "vp")
             and p.user_id in smap.team_user_ids]
    assert cards[boss.id]["no_exec"] == (not execs)


def test_hiding_people_who_left_hangs_their_reports_from_the_next_manager_up(request_ctx):
    smap = fake_map(n=60)
    leaver = next(c for c in smap.contacts if c.status == "left" and any(r.reports_to_id == c.id for r in smap.contacts))
    chart = orgdraw.draw(smap, TODAY, group=False, show_left=False)
    d = chart["sections"][0]["drawing"]
    assert leaver.id not in {c["id"] for c in d["cards"]}
    for r in (r for r in smap.contacts if r.reports_to_id == leaver.id):
        edge = next(e for e in d["edges"] if e["to"] == r.id)
        assert edge["from"] == leaver.reports_to_id and edge["indirect"]


def test_a_loop_in_the_data_still_draws_everyone(request_ctx):
    smap = fake_map(n=40, cycle=True)
    chart = orgdraw.draw(smap, TODAY, group=False)
    assert sorted(c["id"] for _s, c in _all_cards(chart)) == sorted(c.id for c in smap.contacts)


def test_svg_escapes_text_and_reads_in_black_and_white(request_ctx):
    smap = fake_map(n=12)
    smap.contacts[3].name = '<script>alert("x")</script>'
    chart = orgdraw.draw(smap, TODAY, group=False, coverage=True)
    svg = str(orgsvg.render(chart["sections"][0]["drawing"], live={"pick": "/pick/{id}"}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'style="' not in svg  # the CSP forbids style attributes: colours are presentation attributes
    for glyph in ("++", "−", "="):  # attitude: a glyph beside the colour
        assert f">{glyph}</text>" in svg or glyph not in {orgsvg.ATTITUDE[c.attitude][1] for c in smap.contacts}
    assert 'href="/pick/' in svg


def test_two_hundred_people_draw_fast(request_ctx):
    smap = fake_map(n=200)
    orgdraw.draw(smap, TODAY, group=True, coverage=True)  # warm-up
    best = 10.0
    for _ in range(3):
        t0 = time.perf_counter()
        chart = orgdraw.draw(smap, TODAY, group=True, coverage=True)
        for s in chart["sections"]:
            orgsvg.render(s["drawing"], live={"pick": "/p/{id}"})
        best = min(best, time.perf_counter() - t0)
    assert best < 0.3, f"200 people took {best * 1000:.0f} ms"


# ---- the move: the service ---------------------------------------------------------------------

def test_set_reports_to_refuses_loops_and_leavers_and_checks_the_version(app, world, mapped):
    from app.concurrency import StaleEdit

    _dept, (boss, a, b) = mapped
    kam = world.users["kam"]
    services.set_reports_to(kam, a, b.id, a.version)
    assert a.reports_to_id == b.id
    with pytest.raises(services.StakeholderError, match="loop"):
        services.set_reports_to(kam, boss, a.id, boss.version)  # boss -> a -> b -> boss
    with pytest.raises(services.StakeholderError, match="loop"):
        services.set_reports_to(kam, b, b.id, b.version)
    with pytest.raises(StaleEdit):
        services.set_reports_to(kam, a, boss.id, a.version - 1)
    services.mark_left(kam, b)
    with pytest.raises(services.StakeholderError, match="left"):
        services.set_reports_to(kam, boss, b.id, boss.version)
