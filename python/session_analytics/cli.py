"""The `session-analytics` command."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from session_analytics.paths import warehouse_path


def _cmd_generate(args: argparse.Namespace) -> int:
    from session_analytics.generate import generate

    counts = generate(
        out_dir=Path(args.out),
        sessions=args.sessions,
        days=args.days,
        seed=args.seed,
        start_date=dt.date.fromisoformat(args.start_date),
        fmt=args.format,
        progress=not args.quiet,
    )
    for name, n in counts.items():
        print(f"{name:<20} {n:>12,}")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from session_analytics.summary import summary_text

    print(summary_text(Path(args.db) if args.db else warehouse_path()))
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from session_analytics.publish import DEFAULT_PUBLISHED, main_publish

    target = Path(args.published) if args.published else DEFAULT_PUBLISHED
    return main_publish(target, tuple(args.dbt_args))


def _cmd_report(args: argparse.Namespace) -> int:
    from session_analytics.report import write_report

    path = write_report(Path(args.db) if args.db else warehouse_path(), Path(args.out))
    print(f"report written to {path}")
    if args.screenshot:
        from session_analytics.report.browser import BrowserError
        from session_analytics.report.screenshot import screenshot_report

        try:
            png = screenshot_report(path, Path(args.screenshot))
        except BrowserError as exc:
            print(f"session-analytics: screenshot failed: {exc}", file=sys.stderr)
            return 1
        print(f"screenshot written to {png}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from session_analytics.export import export_parquet

    out = Path(args.out)
    exported = export_parquet(Path(args.db) if args.db else warehouse_path(), out)
    for mart in exported:
        print(f"{mart.mart:<32} {mart.rows:>12,}  {out / mart.path}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from session_analytics.bench import BenchConfig, BenchError, run_bench
    from session_analytics.bench.runner import DEFAULT_DOC, DEFAULT_WORK_DIR

    config = BenchConfig(
        sessions=args.sessions,
        days=args.days,
        seed=args.seed,
        work_dir=Path(args.work_dir) if args.work_dir else DEFAULT_WORK_DIR,
        memory_limit=args.memory_limit,
        floor_memory_limit=args.floor_memory_limit,
        doc=None if args.no_append else (Path(args.doc) if args.doc else DEFAULT_DOC),
        incremental=not args.no_incremental,
        progress=not args.quiet,
    )
    try:
        run_bench(config, write=lambda text: print(text, flush=True))
    except BenchError as exc:
        print(f"session-analytics: bench: {exc}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="session-analytics",
        description="Tools for the session_analytics dbt + DuckDB warehouse.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write synthetic landing files")
    gen.add_argument("--out", required=True, help="landing directory to write")
    gen.add_argument("--sessions", type=int, default=10_000)
    gen.add_argument("--days", type=int, default=35)
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--start-date", default="2024-03-01")
    gen.add_argument("--format", choices=["native", "parquet"], default="native")
    gen.add_argument("--quiet", action="store_true", help="no progress bar")
    gen.set_defaults(func=_cmd_generate)

    summ = sub.add_parser("summary", help="print headline numbers of the warehouse")
    summ.add_argument("--db", help="warehouse file (default: SESSION_ANALYTICS_DB)")
    summ.set_defaults(func=_cmd_summary)

    pub = sub.add_parser(
        "publish",
        help="build + test into a fresh file, then atomically replace the served file",
    )
    pub.add_argument(
        "--published",
        help="served file (default warehouse/published/session_analytics.duckdb)",
    )
    pub.add_argument(
        "dbt_args", nargs=argparse.REMAINDER, help="extra dbt build arguments after --"
    )
    pub.set_defaults(func=_cmd_publish)

    rep = sub.add_parser("report", help="write the self-contained HTML dashboard")
    rep.add_argument("--out", default="reports", help="output folder (default reports)")
    rep.add_argument("--db", help="warehouse file (default: SESSION_ANALYTICS_DB)")
    rep.add_argument("--screenshot", help="also save a PNG of it (needs chromium)")
    rep.set_defaults(func=_cmd_report)

    exp = sub.add_parser("export", help="write every mart as Parquet files")
    exp.add_argument("--format", choices=["parquet"], default="parquet")
    exp.add_argument("--out", required=True, help="output folder")
    exp.add_argument("--db", help="warehouse file (default: SESSION_ANALYTICS_DB)")
    exp.set_defaults(func=_cmd_export)

    ben = sub.add_parser(
        "bench",
        help="benchmark the dbt build against plain DuckDB ingest (docs/BENCHMARKS.md)",
    )
    ben.add_argument("--sessions", type=int, default=100_000)
    ben.add_argument("--days", type=int, default=35)
    ben.add_argument("--seed", type=int, default=42)
    ben.add_argument("--work-dir", help="where everything is written (default bench/)")
    ben.add_argument("--memory-limit", default="3.5GB", help="DuckDB memory_limit")
    ben.add_argument(
        "--floor-memory-limit",
        default=None,
        help="DuckDB memory_limit of the floor only (default: --memory-limit)",
    )
    ben.add_argument("--doc", help="results doc (default docs/BENCHMARKS.md)")
    ben.add_argument("--no-append", action="store_true", help="print only")
    ben.add_argument("--no-incremental", action="store_true", help="skip the 1 %% run")
    ben.add_argument("--quiet", action="store_true", help="no progress lines")
    ben.set_defaults(func=_cmd_bench)

    from session_analytics.extract.cli import add_extract_parser

    add_extract_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (FileNotFoundError, ValueError) as exc:
        print(f"session-analytics: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
