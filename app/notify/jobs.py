"""The notification jobs: sweeps and digests, on the queue's schedule and `flask jobs run NAME`."""
from huey import crontab

from app.jobs import periodic
from app.notify import digest, sweeps, tasks  # noqa: F401  (tasks: registered for the consumer)


@periodic("sla-sweep", crontab(minute="*/5"), "every 5 minutes")
def sla_sweep():
    """Complaints about to miss or past their targets: the channel owner, then up the path."""
    return sweeps.sla_sweep()


@periodic("cadence-sweep", crontab(minute="30", hour="0"), "daily 00:30 UTC")
def cadence_sweep():
    """Executive meetings due within 7 days or overdue: our executive and the KAM."""
    return sweeps.cadence_sweep()


@periodic("action-reminders", crontab(minute="35", hour="0"), "daily 00:35 UTC")
def action_reminders():
    """Actions due tomorrow or overdue: their owner."""
    return sweeps.action_reminders()


@periodic("digests", crontab(minute="5"), "hourly; Monday 07:00 local")
def digests():
    """The weekly digest, Monday morning in each person's time zone (sponsors and KAMs)."""
    return digest.run_digests()
