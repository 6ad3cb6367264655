"""The pages the benchmark measures: name -> function(ctx) giving the URL (None: not built yet)."""


def first_account(ctx):
    """An account in the middle of the table whose team the measured user is on."""
    from bench.data import BENCH_USER_ACCOUNTS

    accounts = ctx.ids["accounts"]
    step = max(1, len(accounts) // BENCH_USER_ACCOUNTS)
    kam_of = min(BENCH_USER_ACCOUNTS, len(range(0, len(accounts), step)))  # as bench.data.gen_accounts
    return accounts[step * (kam_of // 2)]


PAGES = {
    "portfolio": lambda ctx: "/portfolio",
    "selection_matrix": lambda ctx: "/portfolio/matrix",
    "stakeholder_map": lambda ctx: f"/accounts/{first_account(ctx)}/stakeholders",
    "accounts_list": lambda ctx: "/accounts",
    "account_overview": lambda ctx: f"/accounts/{first_account(ctx)}",
    "org_chart": lambda ctx: f"/accounts/{first_account(ctx)}/stakeholders/org",
    "coverage": lambda ctx: f"/accounts/{first_account(ctx)}/stakeholders/coverage",
    "plan": lambda ctx: f"/accounts/{first_account(ctx)}/plan",
    "complaints": lambda ctx: f"/accounts/{first_account(ctx)}/complaints",
    "complaints_across": lambda ctx: "/complaints",
    "meetings": lambda ctx: f"/accounts/{first_account(ctx)}/meetings",
    "sponsor": lambda ctx: "/sponsor",
    "home": lambda ctx: "/",
    "my_actions": lambda ctx: "/me/actions",
    "section_selection": lambda ctx: f"/accounts/{first_account(ctx)}/sections/selection",
    "section_plan": lambda ctx: f"/accounts/{first_account(ctx)}/sections/plan",
    "section_stakeholders": lambda ctx: f"/accounts/{first_account(ctx)}/sections/stakeholders",
    "section_complaints": lambda ctx: f"/accounts/{first_account(ctx)}/sections/complaints",
    "section_meetings": lambda ctx: f"/accounts/{first_account(ctx)}/sections/meetings",
    "review_preview": lambda ctx: f"/accounts/{first_account(ctx)}/reviews/preview",
    "review_relations": lambda ctx: f"/accounts/{first_account(ctx)}/reviews/relations",
    # Spreadsheets (app/sheets, app/imports)
    "import_contacts": lambda ctx: f"/accounts/{first_account(ctx)}/stakeholders/import",
    "import_accounts": lambda ctx: "/accounts/import",
    "export_contacts": lambda ctx: f"/accounts/{first_account(ctx)}/export/contacts.xlsx",
    "export_complaints": lambda ctx: f"/accounts/{first_account(ctx)}/export/complaints.xlsx",
    "export_actions": lambda ctx: f"/accounts/{first_account(ctx)}/export/actions.xlsx",
    "export_coverage": lambda ctx: f"/accounts/{first_account(ctx)}/export/coverage.xlsx",
    "export_portfolio": lambda ctx: "/portfolio/export.xlsx",
    "me": lambda ctx: "/me",
    # The personal calendar feed of the measured user (bench.data gives user i the token bench-feed-i).
    "calendar_feed": lambda ctx: "/calendar/bench-feed-1.ics",
    # Search (app/search): a two-character Chinese name, a longer phrase found in every account,
    # pinyin, English; the full results page (the dropdown shows fewer rows).
    "search_two_chars": lambda ctx: "/search?q=王伟",
    "search_three_chars": lambda ctx: "/search?q=交付延迟",
    "search_pinyin": lambda ctx: "/search?q=wangwei",
    "search_english": lambda ctx: "/search?q=delivery",
    "review_story": lambda ctx: f"/accounts/{first_account(ctx)}/reviews/story",
    "reviews": lambda ctx: "/reviews",
}
PAGES["notifications"] = lambda ctx: "/notifications"
# The drawn org chart (app/stakeholders/routes_org.py): a card's picker, and the 200-person account
# (bench.data_features.gen_big_org) drawn with our coverage lines; target under 300 ms.
PAGES["org_pick"] = lambda ctx: (f"/accounts/{first_account(ctx)}/stakeholders/org/contacts/"
                                 f"{ctx.ids['contacts'][ctx.ids['accounts'].index(first_account(ctx)) * ctx.scale['contacts']]}")
PAGES["org_chart_200"] = lambda ctx: f"/accounts/{ctx.ids['big_org_account']}/stakeholders/org?coverage=1"
PAGES["org_chart_200_whole"] = lambda ctx: f"/accounts/{ctx.ids['big_org_account']}/stakeholders/org?group=none&coverage=1"
PAGES["notify_preferences"] = lambda ctx: "/me/notifications"
