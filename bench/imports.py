"""python -m bench.imports [--rows 50000]: a large contact import, timed and measured.

Writes a workbook of N contacts (Chinese and English names, departments, reports-to),
then runs the importer's preview and apply on it (the same functions the queue task
runs) in a fresh SQLite database under bench/out/, and prints rows per second and the
process's peak memory (RSS high-water mark) before and after.
"""
import argparse
import json
import resource
import sys
import time
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent / "out"


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_workbook(path, rows):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Contacts")
    ws.append(["Name", "Title", "Department", "Reports to", "E-mail", "Phone", "Seniority", "Influence"])
    depts = ["采购部 Procurement", "技术部 Engineering", "质量部 Quality", "财务部 Finance"]
    for i in range(rows):
        name = f"联系人{i} Contact {i}" if i % 2 else f"Person {i} 人员"
        boss = "" if i < 10 else (f"联系人{i // 10} Contact {i // 10}" if (i // 10) % 2 else f"Person {i // 10} 人员")
        ws.append([name, f"Engineer 工程师 {i}", depts[i % 4], boss, f"p{i}@example.com", f"+86 21 {i:08d}",
                   "staff", "medium"])
    wb.save(path)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    db_path, xlsx = OUT / "imports.sqlite", OUT / f"contacts-{args.rows}.xlsx"
    db_path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    make_workbook(xlsx, args.rows)
    print(f"workbook: {args.rows} rows, {xlsx.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s")

    from app.auth.models import User
    from app.extensions import db
    from app.imports import contacts
    from bench.__main__ import make_app

    app = make_app(f"sqlite:///{db_path}")
    with app.app_context():
        db.create_all()
        from app.accounts.services import create_account
        user = User(email="bench@example.com", name="Bench", is_admin=True)
        db.session.add(user)
        db.session.commit()
        account = create_account(user, {"name": "基准 Bench account"})
        base = peak_mb()
        t0 = time.perf_counter()
        plan = contacts.plan(xlsx, xlsx.name, account)
        t_plan = time.perf_counter() - t0
        assert plan.ok, (plan.problems, plan.counts, plan.outcomes[:3])
        t0 = time.perf_counter()
        contacts.apply(user, xlsx, xlsx.name, account, plan.mapping)
        t_apply = time.perf_counter() - t0
        from app.stakeholders.models import Contact
        n = db.session.scalar(db.select(db.func.count(Contact.id)))
        linked = db.session.scalar(db.select(db.func.count(Contact.id)).where(Contact.reports_to_id.isnot(None)))
    result = {"rows": args.rows, "file_mb": round(xlsx.stat().st_size / 1e6, 2),
              "preview_s": round(t_plan, 1), "preview_rows_per_s": round(args.rows / t_plan),
              "apply_s": round(t_apply, 1), "apply_rows_per_s": round(args.rows / t_apply),
              "peak_rss_mb_before": round(base), "peak_rss_mb": round(peak_mb()),
              "contacts": n, "with_reports_to": linked}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
