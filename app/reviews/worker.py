"""`python -m app.reviews.worker JOB_ID`: build one export job's ZIP outside the web workers."""
import sys


def main(argv=None):
    """Create the app from the environment and run the job."""
    from app import create_app
    from app.reviews.export import run_job

    argv = sys.argv[1:] if argv is None else argv
    app = create_app()
    with app.app_context():
        job = run_job(int(argv[0]))
        return 0 if job is not None and job.status == "done" else 1


if __name__ == "__main__":
    sys.exit(main())
