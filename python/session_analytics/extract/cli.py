"""`session-analytics extract graph|sql|syllable`: argument parsing and wiring."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable

from session_analytics.extract.common import (
    GRAPH_URL,
    SYLLABLE_URL,
    ExtractError,
    parse_utc,
    resolve_landing_dir,
)


def _when(text: str) -> dt.datetime:
    try:
        return parse_utc(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {text!r}") from exc


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--landing-dir",
        help="landing dir (default env SESSION_ANALYTICS_LANDING_DIR, else landing/)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def _windowed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_when, help="window start (ISO-8601, UTC)")
    parser.add_argument("--until", type=_when, help="window end (default: now)")
    parser.add_argument(
        "--overlap-hours",
        type=float,
        default=24.0,
        help="re-read this much before the checkpoint (default 24)",
    )
    parser.add_argument("--dry-run", action="store_true", help="list, write nothing")
    parser.add_argument("--max-tries", type=int, default=8, help="tries per request")


def _verb(dry_run: bool) -> str:
    return "would land" if dry_run else "landed"


def _report(lines: list[str], files: Iterable[object]) -> int:
    """Print a command's summary lines and the files it wrote (one per line)."""
    for line in lines:
        print(line)
    for path in files:
        print(f"  {path}")
    return 0


def _cmd_graph(args: argparse.Namespace) -> int:
    from session_analytics.extract.auth import graph_auth
    from session_analytics.extract.graph import REPORTS, GraphOptions, extract_graph
    from session_analytics.extract.http import HttpClient, RetryPolicy

    landing = resolve_landing_dir(args.landing_dir)
    reports = tuple(
        folder
        for folder in REPORTS
        if not (folder == "graph_pstn" and args.no_pstn)
        and not (folder == "graph_direct_routing" and args.no_direct_routing)
    )
    options = GraphOptions(
        landing_dir=landing,
        since=args.since,
        until=args.until,
        overlap=dt.timedelta(hours=args.overlap_hours),
        dry_run=args.dry_run,
        chunk_records=args.chunk_records,
        reports=reports,
        progress=not args.quiet,
    )
    auth = graph_auth(args.graph_url, args.graph_config)
    policy = RetryPolicy(max_tries=args.max_tries)
    with HttpClient(args.graph_url, auth, policy=policy) as client:
        result = extract_graph(options, client)
    verb = _verb(args.dry_run)
    landed = result.listed - result.skipped if args.dry_run else result.landed
    lines = [
        f"graph {result.window}: {result.listed} call records listed,"
        f" {verb} {landed}, {result.skipped} already landed"
    ]
    if result.gone:
        lines.append(f"{len(result.gone)} listed call records were gone (404): skipped")
    for folder, rows in result.report_rows.items():
        lines.append(f"{folder}: {verb} {rows} new rows")
    return _report(lines, result.files)


def _cmd_sql(args: argparse.Namespace) -> int:
    from session_analytics.extract.sql import SqlOptions, extract_sql

    options = SqlOptions(
        landing_dir=resolve_landing_dir(args.landing_dir),
        system=args.system,
        url=args.url,
        table=args.table,
        schema=args.schema,
        watermark=args.watermark,
        overlap=dt.timedelta(hours=args.overlap_hours),
        chunk_rows=args.chunk_rows,
        dry_run=args.dry_run,
        progress=not args.quiet,
    )
    result = extract_sql(options)
    summary = (
        f"{args.system}: {result.read} rows read, {_verb(args.dry_run)}"
        f" {result.landed}, {result.skipped} already landed"
    )
    return _report([summary], result.files)


def _cmd_syllable(args: argparse.Namespace) -> int:
    from session_analytics.extract.syllable import SyllableOptions, extract_syllable

    options = SyllableOptions(
        landing_dir=resolve_landing_dir(args.landing_dir),
        server_url=args.syllable_url,
        since=args.since,
        until=args.until,
        overlap=dt.timedelta(hours=args.overlap_hours),
        page_size=args.page_size,
        labels=not args.no_labels,
        dry_run=args.dry_run,
        max_tries=args.max_tries,
        progress=not args.quiet,
    )
    result = extract_syllable(options)
    summary = (
        f"syllable {result.window}: {_verb(args.dry_run)} {result.sessions} sessions,"
        f" {result.labels} labels; {result.skipped} already landed"
    )
    return _report([summary], result.files)


def add_extract_parser(sub: argparse._SubParsersAction) -> None:
    """Add `extract` with its systems to the top-level subparsers."""
    from session_analytics.extract.sql import SYSTEMS

    ext = sub.add_parser(
        "extract", help="pull from the live systems into landing files"
    )
    systems = ext.add_subparsers(dest="system_command", required=True)

    graph = systems.add_parser("graph", help="Microsoft Graph callRecords + PSTN / DR")
    _common(graph)
    _windowed(graph)
    graph.add_argument("--graph-url", default=GRAPH_URL, help=f"default {GRAPH_URL}")
    graph.add_argument(
        "--graph-config",
        help="JSON file with tenant_id, client_id, client_secret | certificate_path"
        " (outside the repo; default env SESSION_ANALYTICS_GRAPH_CONFIG)",
    )
    graph.add_argument("--chunk-records", type=int, default=500, help="records a file")
    graph.add_argument("--no-pstn", action="store_true", help="skip getPstnCalls")
    graph.add_argument(
        "--no-direct-routing", action="store_true", help="skip getDirectRoutingCalls"
    )
    graph.set_defaults(func=_run(_cmd_graph))

    sql = systems.add_parser("sql", help="SfB CDR / QoE or SuperOffice SQL tables")
    _common(sql)
    sql.add_argument("--system", required=True, choices=sorted(SYSTEMS))
    sql.add_argument(
        "--url",
        help="SQLAlchemy URL, e.g. mssql+pymssql://user@host/LcsCDR"
        " (default env SESSION_ANALYTICS_SQL_URL; put the password there, not here)",
    )
    sql.add_argument("--table", help="table name (default: the documented one)")
    sql.add_argument("--schema", help="database schema (default: the URL's)")
    sql.add_argument("--watermark", help="incremental column (default per system)")
    sql.add_argument("--overlap-hours", type=float, default=24.0)
    sql.add_argument("--chunk-rows", type=int, default=50_000, help="rows a fetch")
    sql.add_argument("--dry-run", action="store_true", help="count, write nothing")
    sql.set_defaults(func=_run(_cmd_sql))

    syl = systems.add_parser("syllable", help="Syllable sessions and session labels")
    _common(syl)
    _windowed(syl)
    syl.add_argument(
        "--syllable-url", default=SYLLABLE_URL, help=f"default {SYLLABLE_URL}"
    )
    syl.add_argument("--page-size", type=int, default=100)
    syl.add_argument("--no-labels", action="store_true", help="skip session labels")
    syl.set_defaults(func=_run(_cmd_syllable))


def _run(command: object) -> object:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(command(args))  # type: ignore[operator]
        except ExtractError as exc:
            print(f"session-analytics extract: error: {exc}", file=sys.stderr)
            return 1

    return run
