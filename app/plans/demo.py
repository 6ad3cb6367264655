"""Demo plans: a believable plan for most demo accounts, through the services.

Some objectives are at risk, some actions overdue, opportunities won, lost and open.
"""
from datetime import date, timedelta
from decimal import Decimal

from app.actions.services import update_action
from app.demo import ACCOUNTS, demo_step
from app.extensions import db
from app.plans import objectives as obj
from app.plans import services
from app.plans.models import Plan
from app.plans.vocab import STAGE_PROBABILITY

KAMS = {row[0]: row[-1] for row in ACCOUNTS}

# account key -> business, position (value, category spend, potential), swot, objectives, opportunities
PLANS = {
    "huadong": dict(
        business=dict(
            strategy="三年内成为长三角第一的精密零部件供应商；2027 年营收目标 60 亿元。\nGoal: No.1 precision-parts supplier in the Yangtze delta by 2028.",
            short_term_needs="二号工厂良率从 92% 提到 97%；Q3 前完成 MES 升级。\nYield of plant 2 up to 97%; MES upgrade before Q3.",
            long_term_needs="建立数字化工厂，减少对人工质检的依赖；进入新能源汽车供应链。\nA digital factory with automated inspection; entry into the EV supply chain.",
            financial_notes="毛利率承压（原材料涨价 8%），资本开支集中在 H1。Capex concentrated in H1; tight on opex.",
            initiatives="精益生产项目（麦肯锡陪跑）；ERP 从 SAP ECC 迁移到 S/4HANA。",
            competitors="德国 Kessler：质检设备占有率高，服务响应慢。本地厂商 智测：价格低 20%，技术口碑一般。",
            industry_position="国内前三，出口占 35%，客户包括两家德系整车厂。Top three in China; 35% export."),
        position=(48_600_000, 120_000_000, 70_000_000,
                  "我们是 MES 与质检软件的主要供应商，设备层仍以 Kessler 为主。We own software; hardware is Kessler's."),
        swot={"strength": ["与生产副总的信任关系 Trusted by the VP Production", "二号工厂成功上线 Plant 2 go-live went well"],
              "weakness": ["设备层没有成功案例 No reference for inspection hardware", "售后响应 48 小时，客户嫌慢 48h support is seen as slow"],
              "opportunity": ["S/4HANA 迁移需要接口改造 S/4 migration needs new interfaces", "新能源产线 2027 招标 EV line tender in 2027"],
              "threat": ["智测低价切入 Zhice undercutting by 20%", "采购集中化，议价压力上升 Central buying squeezes price"]},
        objectives=[
            ("二号工厂良率项目交付 Deliver plant-2 yield project", "short", "wang", 60, "on_track", "良率 97%",
             [("完成 SPC 模块培训 SPC training for QA team", "li", -10, "done"),
              ("提交阶段性验收报告 Interim acceptance report", "emma", -5, "open"),
              ("安排张伟与生产副总会面 VP meeting with Zhang Wei", "zhang", 14, "open")]),
            ("进入新能源产线招标短名单 Shortlist for the EV line tender", "mid", "wang", 240, "at_risk", "¥15,000,000",
             [("拿到技术规格书 Get the technical spec", "emma", -3, "in_progress"),
              ("邀请客户参观苏州样板 Reference visit in Suzhou", "li", 30, "open")]),
            ("份额提升到 50% Share of wallet to 50%", "long", "zhang", 500, "on_track", "50%",
             [("做三年联合路线图 Three-year joint roadmap", "wang", 60, "open")]),
        ],
        opportunities=[("MES 二期 MES phase 2", 6_800_000, 60, "negotiation", ""),
                       ("质检视觉系统 Vision inspection", 4_200_000, 0, "lost", "Kessler 捆绑设备报价，我们没有硬件伙伴。Lost to Kessler's bundle."),
                       ("年度维保续约 Annual support renewal", 2_400_000, 0, "won", "服务评分高，提前续签。Renewed early on service scores."),
                       ("新能源产线软件 EV line software", 15_000_000, 120, "development", "")]),
    "yuanhang": dict(
        business=dict(
            strategy="从传统零部件转向电驱系统，五年内新能源收入占比 50%。",
            short_term_needs="各事业部采购分散，急需统一供应商清单；降本 5%。",
            long_term_needs="集团级数字化平台，统一十二个工厂的数据。",
            financial_notes="营收下滑 4%，现金流紧张，付款周期拉长到 90 天。",
            initiatives="电驱事业部独立融资；集团集中采购试点。",
            competitors="远东软件：与集团 CIO 关系深。Siemens：宁波工厂在用。",
            industry_position="国内二线，客户集中于三家自主品牌。"),
        position=(36_900_000, 110_000_000, 55_000_000, "分散采购使我们在每个工厂都要重新证明价值。"),
        swot={"strength": ["宁波工厂口碑好"], "weakness": ["与集团 CIO 没有关系"],
              "opportunity": ["集中采购试点"], "threat": ["远东软件集团框架协议", "客户付款变慢"]},
        objectives=[
            ("拿下集团框架协议 Group framework agreement", "mid", "wang", 200, "at_risk", "三年框架",
             [("绘制集团采购决策链 Map the group buying chain", "li", -12, "open"),
              ("张伟拜访集团 CIO Zhang Wei meets the CIO", "zhang", -2, "open")]),
            ("回款周期缩短到 60 天 Payments back to 60 days", "short", "wang", 90, "off_track", "60 天",
             [("与财务总监对账 Reconcile with the CFO office", "li", 7, "open")]),
        ],
        opportunities=[("电驱工厂 MES EV drive plant MES", 9_500_000, 90, "proposal", ""),
                       ("宁波扩容 Ningbo expansion", 3_100_000, 0, "won", "现场团队口碑。Won on the site team's reputation.")]),
    "northwind": dict(
        business=dict(
            strategy="Become the leading cold-chain logistics provider in South-East Asia by 2028.",
            short_term_needs="Real-time temperature tracking for pharma customers before the audit in March.",
            long_term_needs="One visibility platform across eight countries; carbon reporting for customers.",
            financial_notes="Healthy margins (12%); new fund raise closed in Q1.",
            initiatives="Warehouse automation in Johor; carbon dashboard pilot.",
            competitors="FreightLens (incumbent visibility tool, liked by ops); in-house IT team building their own.",
            industry_position="Top five in Singapore, growing fastest in Vietnam."),
        position=(4_250_000, 9_000_000, 6_500_000, "Strong with operations; procurement sees us as expensive."),
        swot={"strength": ["Ops director is our champion"], "weakness": ["No Vietnamese-language support"],
              "opportunity": ["Pharma audit deadline", "Carbon reporting"], "threat": ["In-house build"]},
        objectives=[
            ("Temperature tracking live for pharma", "short", "david", 75, "on_track", "3 pharma lanes",
             [("Sensor pilot on the Changi lane", "emma", 10, "in_progress"),
              ("Sign the data processing agreement", "david", -4, "open")]),
            ("Carbon dashboard adopted by 5 customers", "long", "david", 420, "on_track", "5 customers",
             [("Workshop with their sustainability lead", "emma", 45, "open")]),
        ],
        opportunities=[("Cold-chain visibility", 1_200_000, 45, "bidding", ""),
                       ("Vietnam rollout", 800_000, 0, "lost", "Price: local vendor 30% cheaper, support in Vietnamese."),
                       ("Support renewal 2026", 450_000, 0, "won", "Renewed for three years.")]),
    "xingchen": dict(
        business=dict(
            strategy="12 英寸产线 2027 年量产，国产替代。",
            short_term_needs="新厂房设备联调；洁净室数据采集。",
            long_term_needs="良率分析平台，与设备厂商数据打通。",
            financial_notes="政府基金支持，预算充足但审批慢。",
            initiatives="二期厂房建设；人才引进计划。",
            competitors="美国 Applied 软件：技术领先但受出口管制影响。",
            industry_position="国内第二梯队，增长最快。"),
        position=(18_300_000, 40_000_000, 35_000_000, "刚建立关系，首个项目交付顺利。"),
        swot={"strength": ["国产化政策支持"], "weakness": ["半导体行业案例少"],
              "opportunity": ["出口管制带来替代需求"], "threat": ["审批流程长"]},
        objectives=[
            ("洁净室数据采集上线 Clean-room data collection live", "short", "wang", 100, "on_track", "",
             [("确认接口清单 Confirm the interface list", "emma", 20, "open")]),
        ],
        opportunities=[("良率分析平台 Yield analytics", 8_000_000, 180, "initiation", "")]),
    "contoso": dict(
        business=dict(
            strategy="Integrated care across 6 hospitals; patient experience first.",
            short_term_needs="Replace the paging system before the winter peak.",
            long_term_needs="A single patient-flow platform for the group.",
            financial_notes="Budget cycle starts in April; capex approval by the board.",
            initiatives="Electronic health record consolidation.",
            competitors="MediTrack (installed in two hospitals).",
            industry_position="Largest private group in Hong Kong."),
        position=(2_900_000, 7_000_000, 4_000_000, "Trusted in two hospitals; unknown in the other four."),
        swot={"strength": ["Clinical champion in Queen's"], "weakness": ["Limited local support staff"],
              "opportunity": ["EHR consolidation"], "threat": ["MediTrack group deal"]},
        objectives=[
            ("Paging replacement live before winter", "short", "david", 50, "at_risk", "2 hospitals",
             [("Site survey at Kowloon", "emma", -6, "open")]),
        ],
        opportunities=[("Patient-flow platform", 2_000_000, 150, "proposal", ""),
                       ("Paging replacement", 600_000, 0, "won", "Fast deployment plan convinced the COO.")]),
    "lanhai": dict(
        business=dict(
            strategy="门店数字化，会员复购率提升 20%。", short_term_needs="收银系统稳定性。",
            long_term_needs="全渠道库存打通。", financial_notes="净利率低，价格敏感。",
            initiatives="会员小程序改版。", competitors="有赞、微盟。", industry_position="华南区域连锁前十。"),
        position=(6_400_000, 25_000_000, 10_000_000, "只覆盖了门店系统，会员与供应链是空白。"),
        swot={"strength": ["门店系统稳定"], "weakness": ["没有零售行业顾问"],
              "opportunity": ["全渠道库存"], "threat": ["SaaS 低价竞争"]},
        objectives=[
            ("全渠道库存试点 Omnichannel inventory pilot", "mid", "david", 210, "on_track", "10 家门店",
             [("选定试点门店 Pick pilot stores", "li", -1, "open")]),
        ],
        opportunities=[("全渠道库存 Omnichannel inventory", 3_500_000, 200, "development", "")]),
    "jinqiao": dict(
        business=dict(
            strategy="对公业务数字化，三年内线上化率 80%。", short_term_needs="监管报送系统改造。",
            long_term_needs="开放银行平台。", financial_notes="IT 预算充足，采购流程严格（公开招标）。",
            initiatives="核心系统分布式改造。", competitors="长亮、宇信。", industry_position="城商行前二十。"),
        position=(3_200_000, 30_000_000, 12_000_000, "首年合作，份额很小。"),
        swot={"strength": ["首个项目按期交付"], "weakness": ["缺少银行业资质"],
              "opportunity": ["监管报送改造"], "threat": ["公开招标价格战"]},
        objectives=[
            ("取得监管报送项目 Win the regulatory reporting project", "short", "wang", 150, "at_risk", "¥5,000,000",
             [("准备投标资质文件 Prepare the bid qualifications", "li", -8, "open"),
              ("客户高层拜访 Executive visit", "sarah", 12, "open")]),
        ],
        opportunities=[("监管报送改造 Regulatory reporting", 5_000_000, 90, "bidding", "")]),
}


@demo_step(25)
def seed_plans(ctx):
    """One open plan per demo account above, unless the account has a plan already."""
    created = False
    for key, data in PLANS.items():
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(db.select(Plan.id).where(Plan.account_id == account.id)):
            continue
        _seed(ctx, account, data, ctx.users[KAMS[key]])
        created = True
    return created


def _seed(ctx, account, data, kam):
    """Fill one plan: the customer, our position, SWOT, objectives with actions, opportunities."""
    plan = services.start_plan(kam, account, year=ctx.today.year)
    plan = services.load_plan(account.id, plan.id)
    services.update_section(kam, plan, "business", data["business"], plan.business.version)
    value, spend, potential, narrative = data["position"]
    services.update_section(kam, plan, "position", dict(
        annual_value=Decimal(value), category_spend=Decimal(spend), potential=Decimal(potential),
        narrative=narrative), plan.position.version)
    for quadrant, lines in data["swot"].items():
        for line in lines:
            services.add_swot_item(kam, plan, quadrant, line)
    team = _team_ids(account.id)
    for title, horizon, owner, days, status, target, actions in data["objectives"]:
        o = obj.add_objective(kam, plan, dict(
            title=title, horizon=horizon, owner_id=_member(ctx, owner, team), status=status,
            target_date=ctx.today + timedelta(days=days), target_value=target,
            progress={"on_track": 40, "at_risk": 25, "off_track": 10}.get(status, 100)))
        for what, who, due, st in actions:
            item = obj.add_objective_action(kam, plan, o, what, _member(ctx, who, team),
                                            ctx.today + timedelta(days=due))
            if st != "open":
                update_action(kam, item, {"status": st})
    for name, amount, close_in, stage, reason in data["opportunities"]:
        closed = stage in ("won", "lost")
        obj.add_opportunity(kam, account, dict(
            name=name, value=Decimal(amount), stage=stage, reason=reason,
            expected_close=ctx.today + timedelta(days=close_in) if not closed else None,
            closed_on=max(date(ctx.today.year, 1, 1), ctx.today - timedelta(days=40)) if closed else None,
            probability=STAGE_PROBABILITY[stage]))


def _team_ids(account_id):
    """Ids of the account's current team."""
    return {uid for uid, _ in obj.team_users(account_id)}


def _member(ctx, key, team):
    """The demo user if on the team, else nobody (owners must be on the team)."""
    user = ctx.users.get(key)
    return user.id if user is not None and user.id in team else None
