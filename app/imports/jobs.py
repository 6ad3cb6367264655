"""Queue tasks of the import feature: a large file's preview or apply."""
from app.jobs import task


@task()
def run_import(token, action, mapping, user_id):
    """Preview or apply an uploaded file (progress is written to its record)."""
    from app.imports.service import run
    run(token, action, mapping, user_id)
