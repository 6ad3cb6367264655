"""Demo reviews: next-quarter priorities on several accounts, a finalised 2026-Q3 review on two strategic ones."""
from app.demo import demo_step
from app.extensions import db
from app.reviews import quarters, services
from app.reviews.models import FinalReview, ReviewNote

FINALISED_QUARTER = "2026-Q3"

PRIORITIES = {
    "huadong": "1. 完成 MES 二期投标并锁定框架协议 Close the MES phase-2 tender and sign the frame agreement\n"
               "2. 质量部：SPC 数据每周共享，砂轮按产量更换 Weekly SPC sharing with their quality team\n"
               "3. 张伟与刘总季度高层会 Zhang Wei meets CEO Liu for the quarterly executive meeting",
    "yuanhang": "1. 止住收入下滑：恢复宁波工厂的二级供应商地位 Win back tier-2 supplier status at the Ningbo plant\n"
                "2. 为分散采购的三个事业部各找一位教练 Find a coach in each of the three buying divisions\n"
                "3. 关闭所有超期的投诉整改项 Close every overdue complaint action",
    "northwind": "1. Expand from Singapore to the Malaysia hub (pilot by February)\n"
                 "2. Replace the single-threaded link: meet their new CFO and head of operations\n"
                 "3. Agree response targets for the technical channel",
    "xingchen": "1. 从建立阶段进入稳定阶段：完成首个年度合同 Sign the first annual contract\n"
                "2. 技术交流会：洁净室方案 Clean-room solution workshop with their fab engineers",
    "contoso": "1. Renew the service agreement before it lapses in March\n"
               "2. Executive sponsor visit to Hong Kong; satisfaction check-in after go-live",
}


@demo_step(80)
def seed_reviews(ctx):
    """Priorities for the current quarter (and Q3 on the finalised ones), then two frozen Q3 reviews."""
    created = False
    current = quarters.current()
    for key, text in PRIORITIES.items():
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(db.select(ReviewNote.id).where(
                ReviewNote.account_id == account.id).limit(1)):
            continue
        kam = ctx.users["wang"] if key in ("huadong", "yuanhang", "xingchen") else ctx.users["david"]
        for quarter in {current, FINALISED_QUARTER}:
            services.save_priorities(kam, account, quarter, text)
        created = True
    for key in ("huadong", "yuanhang"):
        account = ctx.accounts.get(key)
        if account is None or db.session.scalar(db.select(FinalReview.id).where(
                FinalReview.account_id == account.id).limit(1)):
            continue
        services.finalise(ctx.users["wang"], account, FINALISED_QUARTER, "a4", "zh")
        created = True
    return created
