"""The criteria the source articles name for choosing key accounts, in both languages.

Stored as data (not gettext strings) because admins rename them and add their own.
Five are active at first, weighted to 100: the articles advise 3-5 combined criteria.
"""

# key, name_en, name_zh, description_en, description_zh, weight, active
DEFAULT_CRITERIA = [
    ("revenue_potential", "Revenue potential", "收入潜力",
     "How much the customer could buy from us in the next years, not only what it buys today.",
     "客户未来几年可能向我们采购的规模，而不仅是目前的采购额。", 25, True),
    ("product_fit", "Product fit", "产品匹配度",
     "How well our products and services meet the customer's needs.",
     "我们的产品和服务满足客户需求的程度。", 20, True),
    ("solvency", "Solvency and payment record", "偿付能力与付款记录",
     "Financial strength and how reliably the customer pays on time.",
     "客户的财务实力以及按时付款的可靠程度。", 20, True),
    ("margin", "Margin", "利润率",
     "The profit we make on the business, after the cost of serving the account.",
     "扣除服务成本后我们在该客户业务上的利润。", 20, True),
    ("relationship", "Existing relationship", "现有关系",
     "How long, how wide and how warm our relationship with the customer already is.",
     "我们与客户已有关系的时间、广度和深度。", 15, True),
    ("procurement", "Procurement process", "采购流程",
     "Central or distributed buying, and how open the purchasing process is to us.",
     "集中采购还是分散采购，以及采购流程对我们的开放程度。", 10, False),
    ("purchase_growth", "Purchase growth", "采购增长",
     "How fast the customer's purchases from us (and its market) are growing.",
     "客户向我们采购（及其市场）的增长速度。", 10, False),
    ("channel_potential", "Channel-partner potential", "渠道合作潜力",
     "Whether the customer could resell, refer or co-sell our offer.",
     "客户是否可能转售、推荐或与我们联合销售。", 10, False),
    ("cultural_fit", "Cultural fit", "文化契合度",
     "Shared values and ways of working; whether the people get along.",
     "双方价值观和工作方式是否相近，人员是否合得来。", 10, False),
    ("geography", "Geography", "地理位置",
     "Whether we can serve the customer's sites from where our teams are.",
     "我们的团队所在地能否便利地服务客户的各个地点。", 10, False),
]
