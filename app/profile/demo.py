"""Demo time zones: a team spread over Shanghai, Singapore, Hong Kong and Los Angeles."""
from app.demo import demo_step
from app.extensions import db

# user key -> zone (users left out follow the workspace default)
ZONES = {"wang": "Asia/Shanghai", "david": "America/Los_Angeles", "emma": "Asia/Singapore",
         "li": "Asia/Shanghai", "zhang": "Asia/Shanghai", "sarah": "Asia/Hong_Kong"}
WORKSPACE_ZONE = "Asia/Shanghai"


@demo_step(5)
def seed_timezones(ctx):
    """Give demo users their zones and the workspace its default, once (a zone someone chose stays)."""
    from app.profile import services

    changed = False
    if services.workspace_zone_setting() is None:
        services.set_workspace_timezone(ctx.users["admin"], WORKSPACE_ZONE)
        changed = True
    for key, zone in ZONES.items():
        user = ctx.users.get(key)
        if user is not None and user.timezone is None:
            user.timezone = zone
            changed = True
    if changed:
        db.session.commit()
    return changed
