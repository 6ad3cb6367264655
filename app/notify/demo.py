"""Demo notifications (the sweeps run once over the demo data), choices, and a chat bot that is
switched off and points at this machine's discard port: nothing outside is ever called."""
from app.demo import demo_step
from app.extensions import db
from app.notify import services, sweeps
from app.notify.models import Notification, NotifyPreference, WebhookTarget

DEMO_HOOK_URL = "http://127.0.0.1:9/cgi-bin/webhook/send?key=demo-not-a-real-key"


@demo_step(90)
def seed_notify(ctx):
    created = False
    wang, zhang, li = ctx.users["wang"], ctx.users["zhang"], ctx.users["li"]
    if not db.session.scalar(db.select(NotifyPreference.id).where(NotifyPreference.user_id == zhang.id)):
        services.save_preferences(zhang, zhang, {"sla_warning": "none", "sla_breach": "both",
                                                 "cadence_due": "both", "action_due": "in_app"}, digest=True)
        services.save_preferences(li, li, {"action_due": "both", "sla_warning": "in_app"}, digest=False)
        created = True
    huadong = ctx.accounts["huadong"]
    if not db.session.scalar(db.select(WebhookTarget.id).where(WebhookTarget.account_id == huadong.id)):
        db.session.add(WebhookTarget(account_id=huadong.id, name="华东精密项目群 East China team chat (demo)",
                                     platform="wecom", url=DEMO_HOOK_URL, events="sla_breach,sla_warning,cadence_due",
                                     language="zh", active=False, created_by_id=wang.id))
        db.session.commit()
        created = True
    if not db.session.scalar(db.select(Notification.id).limit(1)):
        # The sweeps tell people once per event, so running them again changes nothing.
        sweeps.sla_sweep()
        sweeps.cadence_sweep()
        sweeps.action_reminders()
        oldest = db.session.scalars(db.select(Notification).order_by(Notification.id).limit(3)).all()
        for n in oldest:  # a few already read, as in a week-old workspace
            n.read_at = n.created_at
        db.session.commit()
        created = True
    return created
