"""Demo stakeholder maps: departments, 8-15 contacts per account, pairings, touches, a leaver.

Built through the services, so the audit trail looks real. A few gaps are left on
purpose (an uncovered decision-maker on odd accounts, a stale high-influence contact,
an owner who left the team) so the gaps panel has something to say.
"""
from datetime import timedelta

from app.demo import TEAMS, demo_step
from app.extensions import db
from app.stakeholders import coverage, services
from app.stakeholders.models import Department

DEPARTMENTS = [
    # function, English name, Chinese name, parent function
    ("executive", "Executive office", "总经理办公室", None),
    ("operations", "Operations", "运营部", "executive"),
    ("finance", "Finance", "财务部", "executive"),
    ("procurement", "Procurement", "采购部", "operations"),
    ("engineering", "Engineering & IT", "工程技术部", "operations"),
    ("quality", "Quality", "质量部", "operations"),
]

ROLES = [
    # title, department function, seniority, buying role, influence, attitude, reports-to index
    ("General Manager 总经理", "executive", "c_level", "economic_buyer", "high", "neutral", None),
    ("VP Operations 运营副总裁", "operations", "vp", "influencer", "high", "supporter", 0),
    ("CFO 财务总监", "finance", "vp", "influencer", "high", "skeptic", 0),
    ("Procurement Director 采购总监", "procurement", "director", "gatekeeper", "high", "neutral", 1),
    ("Engineering Director 工程总监", "engineering", "director", "technical_buyer", "high", "supporter", 1),
    ("Quality Manager 质量经理", "quality", "manager", "user_buyer", "medium", "champion", 1),
    ("Senior Buyer 高级采购员", "procurement", "staff", "user_buyer", "low", "neutral", 3),
    ("Engineering Manager 工程经理", "engineering", "manager", "coach", "medium", "champion", 4),
    ("Plant Manager 工厂经理", "operations", "manager", "user_buyer", "medium", "supporter", 1),
    ("Finance Controller 财务主管", "finance", "manager", "influencer", "medium", "skeptic", 2),
    ("QA Engineer 质量工程师", "quality", "staff", "user_buyer", "low", "supporter", 5),
    ("Buyer 采购专员", "procurement", "staff", None, "low", "neutral", 3),
    ("Solution Architect 系统架构师", "engineering", "staff", "technical_buyer", "medium", "opponent", 4),
    ("Logistics Manager 物流经理", "operations", "manager", "influencer", "low", "neutral", 8),
    ("Legal Counsel 法务经理", "executive", "manager", "gatekeeper", "medium", "skeptic", 0),
]

CHINESE = ["王建国 Wang Jianguo", "李秀英 Li Xiuying", "张志强 Zhang Zhiqiang", "刘洁 Liu Jie",
           "陈明 Chen Ming", "杨帆 Yang Fan", "赵磊 Zhao Lei", "黄丽 Huang Li", "周涛 Zhou Tao",
           "吴敏 Wu Min", "徐静 Xu Jing", "孙浩 Sun Hao", "马超 Ma Chao", "朱琳 Zhu Lin",
           "胡斌 Hu Bin", "郭芳 Guo Fang", "何勇 He Yong", "高雪 Gao Xue"]
ENGLISH = ["Michael Tan 陈志明", "Sarah O'Neil", "James Wong 黄俊杰", "Priya Raman", "Oliver Smith",
           "Grace Lee 李恩惠", "Daniel Ng", "Emily Carter", "Ravi Kumar", "Hannah Lim 林汉娜",
           "Thomas Müller", "Sophie Martin", "Kenji Sato", "Laura Chen 陈劳拉", "Mark Davis"]
ENGLISH_ACCOUNTS = ("northwind", "contoso", "fabrikam")
DEPT_FOR_FUNCTION = {"sales": "procurement", "solutions": "engineering", "support": "quality",
                     "implementation": "operations"}
NOTES = ["Site visit to the plant; walked the new line. 现场参观新产线。",
         "Call about the delayed delivery; they want weekly updates. 交付延迟电话沟通。",
         "Dinner after the trade fair; talked about their expansion plans. 展会后晚宴。",
         "Sent the quarterly review minutes and the 2027 frame-contract draft. 发送季度回顾纪要。"]


def _contacts(ctx, key, account, depts, index):
    """Create this account's contacts; returns them in ROLES order."""
    names = ENGLISH if key in ENGLISH_ACCOUNTS else CHINESE
    count = 8 + (index * 3) % 8
    made = []
    for i, (title, func, seniority, brole, infl, att, boss) in enumerate(ROLES[:count]):
        name = names[(i + index * 5) % len(names)]
        made.append(services.create_contact(ctx.kam, account, {
            "name": name, "title": title, "department_id": depts[func].id,
            "reports_to_id": made[boss].id if boss is not None else None, "seniority": seniority,
            "buying_role": brole, "influence": infl, "attitude": att,
            "interests": "Marathon runner; prefers data over slides. 喜欢跑马拉松，看重数据。" if i % 3 == 0 else "",
            "vested_interests": "Owns the incumbent supplier relationship. 与现有供应商关系密切。" if att in ("skeptic", "opponent") else "",
            "needs_short": "Stable delivery this quarter. 本季度交付稳定。" if i < 4 else "",
            "needs_long": "Lower total cost of ownership over 3 years. 三年内降低总拥有成本。" if i < 3 else "",
            "email": f"contact{i + 1}@{key}.example.com", "phone": f"+86 21 5555 {1000 + i * 7}",
        }, commit=False))
    db.session.commit()
    return made


def _pairings(ctx, key, account, depts, people, index):
    """Reps on departments, executives on decision-makers; odd accounts leave a gap."""
    kam = ctx.kam
    add = coverage.add_pairing
    add(kam, account, user_id=kam.id, department_id=depts["procurement"].id,
        current_level="credible", target_level="trusted_advisor", commit=False)
    add(kam, account, user_id=kam.id, contact_id=people[3].id, current_level="trusted_advisor",
        target_level="trusted_advisor", commit=False)
    add(kam, account, user_id=kam.id, contact_id=people[1].id, current_level="acquainted",
        target_level="credible", commit=False)  # a manager on a VP: flagged by the matching rule
    for ukey, role, function in TEAMS.get(key, []):
        user = ctx.users[ukey]
        if role == "observer":
            continue
        if role == "sponsor":
            if index % 2 == 0:  # odd accounts keep their economic buyer uncovered, on purpose
                add(kam, account, user_id=user.id, contact_id=people[0].id, current_level="credible",
                    target_level="trusted_advisor", commit=False)
            continue
        dept = depts.get(DEPT_FOR_FUNCTION.get(function, ""))
        if dept is not None:
            add(kam, account, user_id=user.id, department_id=dept.id, current_level="acquainted",
                target_level="credible", commit=False)
        if function == "solutions":
            add(kam, account, user_id=user.id, contact_id=people[7].id, current_level="credible",
                target_level="trusted_advisor", commit=False)
    if key == "huadong":  # Liu has left our team but still "owns" the senior buyer
        add(kam, account, user_id=ctx.users["liu"].id, contact_id=people[6].id, current_level="credible",
            target_level="credible", on_team=False, commit=False)
    db.session.commit()


@demo_step(20)
def seed_stakeholders(ctx):
    """Stakeholder maps for every demo account that has none yet."""
    from app.demo import ACCOUNTS

    kams = {k: kam for k, *_rest, kam in ACCOUNTS}
    created = False
    for index, (key, account) in enumerate(ctx.accounts.items()):
        if account is None or db.session.scalar(
                db.select(Department.id).where(Department.account_id == account.id).limit(1)):
            continue
        ctx.kam = ctx.users[kams[key]]
        english = key in ENGLISH_ACCOUNTS
        depts = {}
        for func, en, zh, parent in DEPARTMENTS:
            depts[func] = services.create_department(ctx.kam, account, {
                "name": f"{en} {zh}" if english else f"{zh} {en}", "function": func,
                "parent_id": depts[parent].id if parent else None}, commit=False)
        people = _contacts(ctx, key, account, depts, index)
        _pairings(ctx, key, account, depts, people, index)
        # Touches: recent ones with the working level; the top is left stale on some accounts.
        for n, (who, days) in enumerate([((3, 6), 12), ((4, 7), 25), ((1,), 40 if index % 3 else 130),
                                         ((5,), 70)]):
            services.log_interaction(ctx.kam, account, kind=("visit", "call", "meal", "email")[n],
                                     occurred_on=ctx.today - timedelta(days=days + index),
                                     contact_ids=[people[i].id for i in who], note=NOTES[n], commit=False)
        if index % 3 == 0:
            services.log_interaction(ctx.kam, account, kind="event", occurred_on=ctx.today - timedelta(days=20),
                                     contact_ids=[people[0].id, people[2].id],
                                     note="Annual customer summit 年度客户峰会", commit=False)
        db.session.commit()
        leaver = people[-1]
        services.mark_left(ctx.kam, leaver, left_on=ctx.today - timedelta(days=15 + index),
                           left_to="Joined a competitor 加入竞争对手" if index % 2 else "Retired 退休")
        created = True
    return created


MERGED_DEPT = "信息中心 IT Center"


@demo_step(21)
def seed_removed_department(ctx):
    """East China Precision merged its IT center into engineering: a department taken off the map."""
    account = ctx.accounts.get("huadong")
    if account is None or db.session.scalar(db.select(Department.id).where(
            Department.account_id == account.id, Department.name == MERGED_DEPT).limit(1)):
        return False
    from app.demo import ACCOUNTS

    kam = ctx.users[next(kam for k, *_rest, kam in ACCOUNTS if k == "huadong")]
    dept = services.create_department(kam, account, {"name": MERGED_DEPT, "function": "other",
                                                     "notes": "Merged into engineering 并入工程技术部"})
    services.remove_department(kam, dept, on=ctx.today - timedelta(days=30))
    return True


DEEP_ORG = [
    # title, department function, seniority, buying role, influence, attitude, manager (ROLES index
    # of the first contacts, or "#n": the n-th row of this list), days since the last touch
    ("R&D Manager 研发经理", "engineering", "manager", "technical_buyer", "high", "supporter", 4, 20),
    ("Senior Engineer 高级工程师", "engineering", "staff", "user_buyer", "medium", "champion", "#0", 35),
    ("Senior Engineer 高级工程师", "engineering", "staff", None, "medium", "neutral", "#0", 140),
    ("Test Engineer 测试工程师", "engineering", "staff", None, "low", "supporter", "#1", 60),
    ("Test Engineer 测试工程师", "engineering", "staff", None, "low", "neutral", "#1", None),
    ("Firmware Engineer 固件工程师", "engineering", "staff", "user_buyer", "low", "skeptic", "#2", 100),
    ("Process Engineer 工艺工程师", "engineering", "staff", "user_buyer", "medium", "supporter", 7, 45),
    ("Process Engineer 工艺工程师", "engineering", "staff", None, "low", "neutral", 7, 95),
    ("Automation Engineer 自动化工程师", "engineering", "staff", "technical_buyer", "medium", "opponent", 7, 30),
    ("IT Manager 信息化经理", "engineering", "manager", "technical_buyer", "medium", "skeptic", 4, 120),
    ("Systems Administrator 系统管理员", "engineering", "staff", None, "low", "neutral", "#9", 200),
    ("Sourcing Manager 寻源经理", "procurement", "manager", "user_buyer", "high", "neutral", 3, 15),
    ("Buyer, Castings 铸件采购员", "procurement", "staff", None, "low", "supporter", "#11", 22),
    ("Buyer, Electronics 电子料采购员", "procurement", "staff", None, "low", "neutral", "#11", 50),
    ("Buyer, Packaging 包材采购员", "procurement", "staff", None, "low", "neutral", "#11", 130),
    ("Supplier Development Engineer 供应商开发工程师", "procurement", "staff", "influencer", "medium", "supporter", "#11", 40),
    ("Contract Administrator 合同管理员", "procurement", "staff", "gatekeeper", "low", "skeptic", 3, 75),
    ("QA Lead, Incoming 来料检验主管", "quality", "manager", "user_buyer", "medium", "supporter", 5, 18),
    ("Inspector 检验员", "quality", "staff", None, "low", "neutral", "#17", 90),
    ("Inspector 检验员", "quality", "staff", None, "low", "supporter", "#17", 33),
    ("QA Lead, Customer Quality 客户质量主管", "quality", "manager", "influencer", "medium", "skeptic", 5, 160),
    ("Quality Engineer 质量工程师", "quality", "staff", None, "low", "neutral", "#20", 61),
    ("Metrology Technician 计量技术员", "quality", "staff", None, "low", "neutral", "#20", None),
    ("Plant Manager, Suzhou 苏州工厂厂长", "operations", "director", "economic_buyer", "high", "neutral", 1, 28),
    ("Production Supervisor 生产主管", "operations", "manager", "user_buyer", "medium", "supporter", "#23", 44),
    ("Shift Lead 班组长", "operations", "staff", None, "low", "supporter", "#24", 10),
    ("Shift Lead 班组长", "operations", "staff", None, "low", "neutral", "#24", 99),
    ("Shift Lead 班组长", "operations", "staff", None, "low", "champion", "#24", 12),
    ("Production Supervisor 生产主管", "operations", "manager", "user_buyer", "medium", "neutral", "#23", 70),
    ("Shift Lead 班组长", "operations", "staff", None, "low", "neutral", "#28", 180),
    ("Shift Lead 班组长", "operations", "staff", None, "low", "skeptic", "#28", 88),
    ("Maintenance Manager 设备维护经理", "operations", "manager", "technical_buyer", "medium", "supporter", "#23", 36),
    ("Maintenance Technician 设备维护技师", "operations", "staff", None, "low", "neutral", "#31", 120),
    ("Logistics Coordinator 物流协调员", "operations", "staff", None, "low", "neutral", 1, 55),
    ("Finance Controller 财务主管", "finance", "manager", "influencer", "medium", "skeptic", 2, 65),
    ("Cost Accountant 成本会计", "finance", "staff", None, "low", "neutral", "#34", 150),
    ("Accounts Payable Specialist 应付账款专员", "finance", "staff", "gatekeeper", "low", "neutral", "#34", 40),
    ("Board Secretary 董事会秘书", "executive", "manager", "gatekeeper", "medium", "neutral", 0, 100),
    ("Strategy Director 战略总监", "executive", "director", "influencer", "high", "champion", 0, 25),
    ("Strategy Analyst 战略分析师", "executive", "staff", "coach", "low", "champion", "#38", 14),
]
DEEP_NAMES = ["钱伟 Qian Wei", "孔丽娟 Kong Lijuan", "曹宇 Cao Yu", "严雪梅 Yan Xuemei", "华强 Hua Qiang",
              "金晓燕 Jin Xiaoyan", "魏国栋 Wei Guodong", "陶静 Tao Jing", "姜涛 Jiang Tao", "戚红 Qi Hong",
              "谢晨 Xie Chen", "邹佳怡 Zou Jiayi", "喻海 Yu Hai", "柏林 Bai Lin", "水清 Shui Qing",
              "窦明辉 Dou Minghui", "章颖 Zhang Ying", "云飞 Yun Fei", "苏婉 Su Wan", "潘志伟 Pan Zhiwei",
              "葛晶 Ge Jing", "奚磊 Xi Lei", "范冰 Fan Bing", "彭亮 Peng Liang", "郎平安 Lang Ping'an",
              "鲁健 Lu Jian", "韦思远 Wei Siyuan", "昌浩 Chang Hao", "马晓明 Ma Xiaoming", "苗青 Miao Qing",
              "凤翔 Feng Xiang", "花蕾 Hua Lei", "方志刚 Fang Zhigang", "俞敏 Yu Min", "任重 Ren Zhong",
              "袁媛 Yuan Yuan", "柳絮 Liu Xu", "鲍勃 Bao Bo", "史蒂文 Shi Diwen", "唐嫣然 Tang Yanran"]


@demo_step(22)
def seed_deep_org(ctx):
    """East China Precision's org five levels deep (about 50 people): the drawn org chart's showcase."""
    from app.demo import ACCOUNTS
    from app.stakeholders.models import Contact

    account = ctx.accounts.get("huadong")
    if account is None or db.session.scalar(db.select(Contact.id).where(
            Contact.account_id == account.id, Contact.title == DEEP_ORG[0][0]).limit(1)):
        return False
    kam = ctx.users[next(kam for k, *_rest, kam in ACCOUNTS if k == "huadong")]
    first = db.session.scalars(db.select(Contact).where(Contact.account_id == account.id)
                               .order_by(Contact.id)).all()
    depts = {d.function: d for d in db.session.scalars(db.select(Department).where(
        Department.account_id == account.id, Department.removed_on.is_(None)))}
    made = []
    for i, (title, func, seniority, brole, infl, att, boss, days) in enumerate(DEEP_ORG):
        manager = made[int(boss[1:])] if isinstance(boss, str) else first[min(boss, len(first) - 1)]
        person = services.create_contact(kam, account, {
            "name": DEEP_NAMES[i % len(DEEP_NAMES)], "title": title, "department_id": depts[func].id,
            "reports_to_id": manager.id, "seniority": seniority, "buying_role": brole, "influence": infl,
            "attitude": att, "email": f"deep{i + 1}@huadong.example.com"}, commit=False)
        if days is not None:
            person.last_contacted_on = ctx.today - timedelta(days=days)
        made.append(person)
    db.session.flush()
    # Our people on the new layer, level for level; the plant's economic buyer is left to a rep
    # (no executive owner), so the chart has a decision-maker that stands out.
    for ukey, row, level, target in (("emma", 0, "credible", "trusted_advisor"), ("li", 11, "acquainted", "credible"),
                                     ("sarah", 17, "credible", "credible"), ("li", 23, "acquainted", "trusted_advisor"),
                                     ("zhang", 38, "credible", "trusted_advisor"), ("emma", 9, "none", "credible")):
        user = ctx.users.get(ukey)
        if user is not None and coverage.open_pairing(user.id, contact_id=made[row].id) is None:
            coverage.add_pairing(kam, account, user_id=user.id, contact_id=made[row].id,
                                 current_level=level, target_level=target, commit=False)
    db.session.commit()
    return True
