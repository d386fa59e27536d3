"""Benchmarks of the foundation: home page, people list page (with filters) and /api/orgs/people.

For each database it reports p50/p95 server time (in-process, no network), the page's query count at two page
sizes, the same main SQL query run bare on the same connection, and the ratio page ÷ bare query. Then it serves the
same database with gunicorn, sends requests over loopback, and reports worker memory.

    python -m bench                      # SQLite demo school + PostgreSQL district (200 schools x 100 staff)
    python -m bench --only sqlite        # one of them
    python -m bench --only assets        # the asset register, the store and its concurrency (bench/assets.py)
    BENCH_SCHOOLS=50 python -m bench     # a smaller district
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/houqin_bench")


def run_case(name: str, database_url: str, setup: str) -> dict:
    env = {
        **os.environ,
        "HOUQIN_DATABASE_URL": database_url,
        "HOUQIN_DEBUG": "0",
        "HOUQIN_TESTING": "0",
        "DJANGO_SETTINGS_MODULE": "houqin.settings",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-m", "bench.case", "--setup", setup, "--name", name],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        print(out.stdout[-3000:], out.stderr[-5000:], file=sys.stderr)
        raise SystemExit(f"benchmark case {name} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_assets() -> None:
    """bench/assets.py: its SQLite part on a temporary file, then its PostgreSQL part; it prints its own lines."""
    from bench.assets import PG_URL as ASSETS_PG_URL

    with tempfile.TemporaryDirectory() as tmp:
        for part, url in (("sqlite", f"sqlite:///{tmp}/assets.sqlite3"), ("postgres", ASSETS_PG_URL)):
            env = {"BENCH_RUNS": "40", **os.environ, "HOUQIN_DATABASE_URL": url, "HOUQIN_DEBUG": "0"}
            env["HOUQIN_TESTING"] = "0"
            env.update(DJANGO_SETTINGS_MODULE="houqin.settings", PYTHONPATH=str(ROOT))
            command = [sys.executable, "-m", "bench.assets", "--part", part]
            if subprocess.run(command, env=env, cwd=ROOT, check=False).returncode != 0:
                raise SystemExit(f"benchmark of the asset register ({part}) failed")


def print_report(results: list[dict]) -> None:
    print()
    print("Houqin benchmark — server time per request in milliseconds (in-process), bare = the page's main SQL query")
    header = f"{'case':<34}{'rows':>6}{'queries':>9}{'p50':>9}{'p95':>9}{'bare p50':>10}{'bare p95':>10}{'ratio':>8}"
    for result in results:
        print()
        print(f"== {result['name']}: {result['description']}")
        print(header)
        for row in result["rows"]:
            bare50, bare95 = row.get("bare_p50"), row.get("bare_p95")
            ratio = f"{row['p50'] / bare50:.1f}x" if bare50 else "—"
            bare50_text = f"{bare50:.2f}" if bare50 else "—"
            bare95_text = f"{bare95:.2f}" if bare95 else "—"
            print(
                f"{row['label']:<34}{row['rows']:>6}{row['queries']:>9}{row['p50']:>9.2f}{row['p95']:>9.2f}"
                f"{bare50_text:>10}{bare95_text:>10}{ratio:>8}"
            )
        constant = result.get("constant_queries")
        if constant is not None:
            print(
                f"queries per page constant across page sizes: {'yes' if constant else 'NO'} {result['page_queries']}"
            )
        if "gunicorn" in result:
            g = result["gunicorn"]
            print(
                f"gunicorn: {g['requests']} requests over loopback, {g['workers']} workers, "
                f"worker RSS max {g['max_rss_mb']:.0f} MB (after), p50 {g['p50']:.1f} ms, p95 {g['p95']:.1f} ms "
                f"wall per request"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["sqlite", "postgres", "assets"])
    args = parser.parse_args()
    if args.only == "assets":
        run_assets()
        return
    results = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run_case("SQLite demo school", f"sqlite:///{tmp}/bench.sqlite3", "demo"))
    if args.only in (None, "postgres"):
        schools = int(os.environ.get("BENCH_SCHOOLS", "200"))
        staff = int(os.environ.get("BENCH_STAFF", "100"))
        results.append(run_case(f"PostgreSQL district {schools}x{staff}", PG_URL, f"district:{schools}:{staff}"))
    print_report(results)


if __name__ == "__main__":
    main()
