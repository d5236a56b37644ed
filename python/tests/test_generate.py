"""Tests for the synthetic landing-file generator (session_analytics.generate)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from session_analytics.generate import generate
from session_analytics.generate.common import allocate, iso7, iso_duration, sql_dt

LANDING_MD = Path(__file__).resolve().parents[2] / "docs" / "LANDING.md"
START = dt.date(2024, 3, 1)
DAYS = 3
SESSIONS = 500
CSV_SYSTEMS = ("sfb_qoe", "sfb_cdr", "superoffice")
JSON_SYSTEMS = ("graph", "syllable", "syllable_labels")
DAILY_STEMS = {
    "sfb_qoe": "Session_{d}",
    "sfb_cdr": "SessionDetails_{d}",
    "graph": "callRecords_{d}",
    "superoffice": "chat_session_{d}",
    "syllable": "sessions_{d}",
    "syllable_labels": "session_labels_{d}",
}
SQL_DT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$")
GRAPH_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?$")


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _csv(con: duckdb.DuckDBPyConnection, path: Path) -> duckdb.DuckDBPyRelation:
    return con.sql(
        f"SELECT * FROM read_csv('{path}', header = true, all_varchar = true)"
    )


def _csv_dicts(con: duckdb.DuckDBPyConnection, folder: Path) -> list[dict]:
    rel = _csv(con, folder / "*.csv")
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


def _objects(path: Path) -> list[dict]:
    """Objects of one JSON landing file (page, single object or JSON Lines)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line]
    doc = json.loads(text)
    if "value" in doc:
        return doc["value"]
    if "items" in doc:
        return doc["items"]
    return [doc]


def _all_objects(folder: Path) -> list[dict]:
    out: list[dict] = []
    for path in sorted(folder.glob("*.json*")):
        out.extend(_objects(path))
    return out


def _documented_columns() -> dict[str, list[str]]:
    text = LANDING_MD.read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for folder in CSV_SYSTEMS:
        section = text.split(f"### {folder}/", 1)[1].split("\n", 1)[1]
        block = section.split("`", 2)[1]
        out[folder] = [c.strip() for c in block.replace("\n", " ").split(",")]
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("landing")
    counts = generate(root, sessions=SESSIONS, days=DAYS, seed=7, start_date=START)
    return root, counts


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("large")
    counts = generate(root, sessions=10_000, days=3, seed=11, start_date=START)
    return root, counts


# ------------------------------------------------------------ determinism


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    counts_a = generate(a, sessions=SESSIONS, days=DAYS, seed=3)
    counts_b = generate(b, sessions=SESSIONS, days=DAYS, seed=3)
    files_a = _files(a)
    assert counts_a == counts_b
    assert len(files_a) >= 6 * DAYS
    assert files_a == _files(b)


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", sessions=SESSIONS, days=DAYS, seed=3)
    generate(tmp_path / "b", sessions=SESSIONS, days=DAYS, seed=4)
    files_a = _files(tmp_path / "a")
    files_b = _files(tmp_path / "b")
    common = sorted(set(files_a) & set(files_b))
    assert common
    for name in common:
        if "_reexport" not in name:
            assert files_a[name] != files_b[name], name


def _natural_keys(root: Path) -> dict[str, set[tuple[str, ...]]]:
    """Every natural key (docs/LANDING.md) and running id landed in ``root``."""
    con = duckdb.connect()

    def csv_keys(folder: str, *columns: str) -> set[tuple[str, ...]]:
        rel = _csv(con, root / folder / "*.csv")
        picked = rel.select(", ".join(f'"{c}"' for c in columns))
        return {row for row in picked.fetchall() if None not in row}

    graph = _all_objects(root / "graph")
    return {
        "sfb_qoe": csv_keys("sfb_qoe", "ConferenceDateTime", "SessionSeq"),
        "sfb_qoe ConferenceKey": csv_keys("sfb_qoe", "ConferenceKey"),
        "sfb_cdr": csv_keys("sfb_cdr", "SessionIdTime", "SessionIdSeq"),
        "graph call records": {(r["id"],) for r in graph},
        "graph sessions": {(s["id"],) for r in graph for s in r["sessions"]},
        "superoffice": csv_keys("superoffice", "id"),
        "syllable": {(s["session_id"],) for s in _all_objects(root / "syllable")},
        "syllable_labels": {
            (str(label["id"]),) for label in _all_objects(root / "syllable_labels")
        },
    }


@pytest.mark.parametrize("second_seed", [3, 4], ids=["same-seed", "next-seed"])
def test_later_call_adds_sessions_instead_of_reusing_ids(
    tmp_path: Path, second_seed: int
) -> None:
    # The benchmark's "1 % new data": a second call for the next day (with seed + 1).
    # Before ids came from per-day blocks, SuperOffice `id`, Syllable session/label
    # ids and QoE ConferenceKey restarted at the same value in every call, so the
    # later day replaced sessions of the first call.
    first = generate(tmp_path / "a", sessions=SESSIONS, days=DAYS, seed=3)
    later = START + dt.timedelta(days=DAYS)
    second = generate(
        tmp_path / "b", sessions=100, days=2, seed=second_seed, start_date=later
    )
    keys_a = _natural_keys(tmp_path / "a")
    keys_b = _natural_keys(tmp_path / "b")
    assert set(keys_a) == set(keys_b)
    for kind in keys_a:
        assert keys_a[kind] and keys_b[kind], kind  # the check has something to do
        assert keys_a[kind].isdisjoint(keys_b[kind]), kind
    assert len(keys_a["superoffice"]) == first["superoffice"]
    assert len(keys_b["superoffice"]) == second["superoffice"]
    assert len(keys_b["syllable"]) == second["syllable"]
    # Landing both sets in one folder overwrites no file (the bench refuses that).
    names_a = {p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")}
    names_b = {p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*")}
    assert {n for n in names_a & names_b if n.suffix} == set()


def test_a_days_ids_do_not_depend_on_the_calls_start(tmp_path: Path) -> None:
    generate(tmp_path / "whole", sessions=SESSIONS, days=DAYS, seed=3)
    generate(
        tmp_path / "tail",
        sessions=SESSIONS,
        days=1,
        seed=3,
        start_date=START + dt.timedelta(days=DAYS - 1),
    )
    con = duckdb.connect()
    day = (START + dt.timedelta(days=DAYS - 1)).isoformat()
    whole = _csv(con, tmp_path / "whole" / "superoffice" / f"chat_session_{day}.csv")
    tail = _csv(con, tmp_path / "tail" / "superoffice" / f"chat_session_{day}.csv")
    ids_whole = [r[0] for r in whole.select("id").fetchall()]
    ids_tail = [r[0] for r in tail.select("id").fetchall()]
    assert ids_whole[0] == ids_tail[0]  # same first id, however many rows the day has


def test_id_blocks_refuse_what_does_not_fit(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="before 2000-01-01"):
        generate(tmp_path, sessions=50, days=1, seed=1, start_date=dt.date(1999, 1, 1))
    with pytest.raises(ValueError, match="per-day id block"):
        generate(tmp_path, sessions=5 * 100_001, days=1, seed=1)
    assert not list(tmp_path.rglob("*.*"))  # refused before writing anything


# --------------------------------------------------------- file contract


def test_documented_csv_headers_exactly(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    documented = _documented_columns()
    con = duckdb.connect()
    for folder in CSV_SYSTEMS:
        files = sorted((root / folder).glob("*.csv"))
        assert files, folder
        for path in files:
            assert _csv(con, path).columns == documented[folder], path
            first = path.read_bytes().split(b"\r\n", 1)[0].decode("utf-8-sig")
            assert first.split(",") == documented[folder]


def test_every_file_readable_by_duckdb_and_counts_match(
    sample: tuple[Path, dict[str, int]],
) -> None:
    root, counts = sample
    con = duckdb.connect()
    csv_rows = {
        folder: _csv(con, root / folder / "*.csv")
        .aggregate("count(*)")
        .fetchall()[0][0]
        for folder in CSV_SYSTEMS
    }
    assert csv_rows["sfb_qoe"] == counts["sfb_qoe"] == SESSIONS // 5
    assert csv_rows["superoffice"] == counts["superoffice"] == SESSIONS // 5
    assert csv_rows["sfb_cdr"] == counts["sfb_cdr"] + counts["sfb_cdr_reexport"]
    assert counts["sfb_cdr"] == SESSIONS // 5
    assert counts["sfb_cdr_reexport"] >= 1

    objects: dict[str, int] = {}
    for folder in JSON_SYSTEMS:
        files = sorted((root / folder).glob("*.json*"))
        assert files, folder
        total = 0
        for path in files:
            rows = con.sql(
                f"SELECT json FROM read_json_objects('{path}', format = 'auto')"
            ).fetchall()
            docs = [json.loads(r[0]) for r in rows]
            assert docs, path
            for doc in docs:
                total += len(doc.get("value", doc.get("items", [doc])))
        objects[folder] = total
    assert objects["syllable"] == counts["syllable"] == SESSIONS // 5
    assert objects["syllable_labels"] == counts["syllable_labels"] > 0
    assert objects["graph"] == (
        counts["graph_call_records"] + counts["graph_call_record_reexports"]
    )
    daily = [
        r for p in sorted((root / "graph").glob("callRecords_*")) for r in _objects(p)
    ]
    assert len(daily) == counts["graph_call_records"]
    assert sum(len(r["sessions"]) for r in daily) == counts["graph_sessions"]
    assert counts["graph_sessions"] == SESSIONS // 5


def test_every_reader_shape_is_present(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    graph = [p.name for p in (root / "graph").iterdir()]
    assert any(n.startswith("callRecords_") and n.endswith(".json") for n in graph)
    assert any(n.endswith(".jsonl") for n in graph)
    singles = [n for n in graph if n.startswith("callRecord_")]
    assert singles
    for name in singles:
        doc = json.loads((root / "graph" / name).read_text(encoding="utf-8"))
        assert "id" in doc and "sessions" in doc
    syllable = [p.suffix for p in (root / "syllable").iterdir()]
    assert ".json" in syllable and ".jsonl" in syllable
    page = json.loads((root / "syllable" / "sessions_2024-03-01.json").read_text())
    assert page["page"] == 0 and page["total_pages"] == 1
    assert page["page_size"] == page["total_count"] == len(page["items"])
    assert list((root / "sfb_cdr").glob("*_reexport.csv"))


def test_daily_file_split(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    dates = [(START + dt.timedelta(days=i)).isoformat() for i in range(DAYS)]
    for folder, pattern in DAILY_STEMS.items():
        stems = sorted(
            p.stem
            for p in (root / folder).iterdir()
            if re.fullmatch(r".*_\d{4}-\d{2}-\d{2}", p.stem)
            and not p.name.startswith("callRecord_")
        )
        assert stems == [pattern.format(d=d) for d in dates], folder
    con = duckdb.connect()
    for d in dates:
        qoe = _csv(con, root / "sfb_qoe" / f"Session_{d}.csv").fetchall()
        assert qoe and all(row[0].startswith(d) for row in qoe)
        cdr = _csv(con, root / "sfb_cdr" / f"SessionDetails_{d}.csv").fetchall()
        assert cdr and all(row[0].startswith(d) for row in cdr)
        chat = _csv(con, root / "superoffice" / f"chat_session_{d}.csv")
        assert all(r[0].startswith(d) for r in chat.select("when_requested").fetchall())
        graph = next((root / "graph").glob(f"callRecords_{d}.json*"))
        assert all(r["startDateTime"].startswith(d) for r in _objects(graph))
        syllable = next((root / "syllable").glob(f"sessions_{d}.json*"))
        assert all(s["timestamp"].startswith(d) for s in _objects(syllable))


# ------------------------------------------------------------- semantics


def test_csv_value_formats(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    con = duckdb.connect()
    datetime_cols = {
        "sfb_qoe": ("ConferenceDateTime", "StartTime", "EndTime"),
        "sfb_cdr": (
            "SessionIdTime", "InviteTime", "ResponseTime", "SessionEndTime",
            "LastModifiedTime", "ReplaceDialogIdTime",
        ),
        "superoffice": (
            "when_requested", "when_started", "when_ended", "idle", "customer_fetch",
        ),
    }  # fmt: skip
    bit_cols = {
        "sfb_qoe": ("DialogCategory", "MediationServerBypassFlag"),
        "sfb_cdr": ("IsUser1Internal", "IsUser2Internal", "Processed"),
        "superoffice": ("consented", "chatbot_isactive"),
    }
    guid = re.compile(
        r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[0-9A-F]{4}-[0-9A-F]{12}$"
    )
    for folder in CSV_SYSTEMS:
        rows = _csv_dicts(con, root / folder)
        for row in rows:
            for col in datetime_cols[folder]:
                assert row[col] is None or SQL_DT.match(row[col]), (col, row[col])
            for col in bit_cols[folder]:
                assert row[col] in ("0", "1"), (col, row[col])
            if folder == "sfb_cdr":
                assert guid.match(row["CorrelationId"])
            if folder == "superoffice":
                assert re.fullmatch(r"[0-9a-f]{32}", row["session_key"])
    nulls = _csv(con, root / "sfb_cdr" / "*.csv").aggregate(
        "count(*) - count(ReplaceDialogIdTime)"
    )
    assert nulls.fetchall()[0][0] > 0  # empty field reads back as NULL


def test_chat_time_ordering_and_status(large: tuple[Path, dict[str, int]]) -> None:
    root, _ = large
    rows = _csv_dicts(duckdb.connect(), root / "superoffice")
    assert len(rows) == 2000
    statuses = {r["status"] for r in rows}
    assert {"3", "4", "7", "9", "11"} <= statuses
    ids = [int(r["id"]) for r in rows]
    assert len(set(ids)) == len(ids)
    for r in rows:
        times = [r["when_requested"], r["when_started"], r["when_ended"]]
        present = [t for t in times if t is not None]
        assert r["when_requested"] is not None
        assert present == sorted(present), r
        if r["status"] == "11":
            assert r["when_started"] is None and r["when_ended"] is not None
            assert r["user_id"] in (None, "0")
        if r["status"] in ("4", "5", "6"):
            assert r["when_ended"] is None
        if r["status"] in ("7", "9") and r["user_id"] not in (None, "0"):
            assert r["chatbot_isactive"] == "0"
        if r["rating"] is not None:
            assert 1 <= int(r["rating"]) <= 5
    bot_alone = [r for r in rows if r["chatbot_isactive"] == "1"]
    assert bot_alone and all(r["user_id"] == "0" for r in bot_alone)
    peak: list[float] = []
    quiet: list[float] = []
    for r in rows:
        if r["when_started"] is None or r["chatbot_isactive"] == "1":
            continue
        requested = dt.datetime.fromisoformat(r["when_requested"])
        wait = (dt.datetime.fromisoformat(r["when_started"]) - requested).seconds
        (peak if 8 <= requested.hour < 15 else quiet).append(wait)
    assert peak and quiet
    assert sum(peak) / len(peak) > 2 * sum(quiet) / len(quiet)  # waits rise with load


def test_every_media_type_bit_alone_and_unknown_bits(
    large: tuple[Path, dict[str, int]],
) -> None:
    root, _ = large
    rows = _csv_dicts(duckdb.connect(), root / "sfb_cdr")
    media = {int(r["MediaTypes"]) for r in rows}
    assert {1, 2, 4, 8, 16, 32, 64} <= media
    assert {16 | 32, 1 | 2, 8 | 16} <= media
    assert any(m >= 128 for m in media)
    assert {int(r["CallFlag"]) for r in rows} >= {0, 1, 2, 3, 4}
    codes = {int(r["ResponseCode"]) for r in rows}
    assert {200, 486, 487, 480, 603, 408} <= codes
    im = [r for r in rows if int(r["MediaTypes"]) & 1]
    assert all(r["User1MessageCount"] is not None for r in im)
    assert any(r["SessionEndTime"] is None for r in rows)
    assert {r["CallPriority"] for r in rows} == {"0", "1", "2", "3", "4"}


def test_cdr_reexport_rows_supersede(sample: tuple[Path, dict[str, int]]) -> None:
    root, _ = sample
    con = duckdb.connect()
    reexport = next((root / "sfb_cdr").glob("*_reexport.csv"))
    first_rows = {}
    for path in sorted((root / "sfb_cdr").glob("SessionDetails_????-??-??.csv")):
        rel = _csv(con, path)
        for row in rel.fetchall():
            rec = dict(zip(rel.columns, row, strict=True))
            key = (rec["SessionIdTime"], rec["SessionIdSeq"])
            assert key not in first_rows, key
            first_rows[key] = rec
    rel = _csv(con, reexport)
    again = [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]
    assert again and len(first_rows) == SESSIONS // 5
    for rec in again:
        old = first_rows[(rec["SessionIdTime"], rec["SessionIdSeq"])]
        assert rec["LastModifiedTime"] > old["LastModifiedTime"]
        assert rec["SessionEndTime"] is not None
        assert rec["CorrelationId"] == old["CorrelationId"]


def test_graph_shapes(large: tuple[Path, dict[str, int]]) -> None:
    root, counts = large
    records = _all_objects(root / "graph")
    daily = [
        r for p in sorted((root / "graph").glob("callRecords_*")) for r in _objects(p)
    ]
    assert {r["type"] for r in records} == {"peerToPeer", "groupCall"}
    assert max(len(r["sessions"]) for r in daily) > 2
    stages = set()
    labels = set()
    ratings = set()
    platforms = set()
    no_metrics = 0
    for r in daily:
        for key in ("startDateTime", "lastModifiedDateTime", "endDateTime"):
            if key in r:
                assert GRAPH_TS.match(r[key]), r[key]
        for s in r["sessions"]:
            assert GRAPH_TS.match(s["startDateTime"])
            stages.add((s.get("failureInfo") or {}).get("stage"))
            for ep in (s["caller"], s["callee"]):
                ratings.add((ep.get("feedback") or {}).get("rating"))
                platforms.add((ep.get("userAgent") or {}).get("platform"))
            for seg in s["segments"]:
                for m in seg["media"]:
                    labels.add(m["label"])
                    directions = [x["streamDirection"] for x in m["streams"]]
                    assert directions == ["callerToCallee", "calleeToCaller"]
                    for x in m["streams"]:
                        if x.get("averageJitter") is None:
                            no_metrics += 1
                            continue
                        assert ISO_DURATION.match(x["averageJitter"])
                        assert ISO_DURATION.match(x["maxRoundTripTime"])
    assert {None, "callSetup", "midcall"} <= stages
    assert {
        "main-audio",
        "main-video",
        "applicationsharing-video",
        "applicationsharing-rdp",
    } <= labels
    assert {"notRated", "bad", "poor", "fair", "good", "excellent"} <= ratings
    assert {"windows", "macOS", "iOS", "android", "web"} <= platforms
    assert no_metrics > 0
    assert any("endDateTime" not in r for r in daily)
    assert any(s["isTest"] for r in daily for s in r["sessions"])


def test_graph_reexports_have_higher_version(
    sample: tuple[Path, dict[str, int]],
) -> None:
    root, counts = sample
    daily = {
        r["id"]: r
        for p in sorted((root / "graph").glob("callRecords_*"))
        for r in _objects(p)
    }
    singles = sorted((root / "graph").glob("callRecord_*.json"))
    assert len(singles) == counts["graph_call_record_reexports"] >= 1
    for path in singles:
        new = _objects(path)[0]
        old = daily[new["id"]]
        assert new["version"] > old["version"]
        assert new["lastModifiedDateTime"] > old["lastModifiedDateTime"]
        assert "endDateTime" in new
        assert "feedback" in new["sessions"][0]["caller"]


def test_syllable_sessions_and_labels(large: tuple[Path, dict[str, int]]) -> None:
    root, counts = large
    sessions = _all_objects(root / "syllable")
    labels = _all_objects(root / "syllable_labels")
    assert len(sessions) == counts["syllable"]
    assert len(labels) == counts["syllable_labels"]
    ids = [s["session_id"] for s in sessions]
    assert all(i.isdigit() for i in ids) and len(set(ids)) == len(ids)
    assert {s["channel_manager_type"] for s in sessions} == {
        "voice_sip_v1",
        "voice_twilio_v1",
        "web_chat_v1",
    }
    assert any("duration" not in s for s in sessions)
    assert any(s.get("is_test") is True for s in sessions)
    assert all(v is not None for s in sessions for v in s.values())
    labelled = {s["session_label_id"]: s for s in sessions if "session_label_id" in s}
    assert 0.35 < len(labelled) / len(sessions) < 0.65
    assert len(labels) == len(labelled)
    for label in labels:
        session = labelled[str(label["id"])]
        assert int(session["session_id"]) == label["session_id"]
        assert label["code"] in ("GOOD", "OK", "BAD", "N/A")
        assert label["type"] in ("auto-rating", "human-rating")
        assert isinstance(label["issue_categories"], list)


def test_counts_split_evenly_and_weekends_are_quieter() -> None:
    dates = [START + dt.timedelta(days=i) for i in range(14)]
    per_day = allocate(1000, dates)
    assert sum(per_day) == 1000
    weekday = [n for d, n in zip(dates, per_day, strict=True) if d.weekday() < 5]
    weekend = [n for d, n in zip(dates, per_day, strict=True) if d.weekday() >= 5]
    assert min(weekday) > 2 * max(weekend)


def test_parquet_format(tmp_path: Path) -> None:
    counts = generate(tmp_path, sessions=200, days=2, seed=5, fmt="parquet")
    con = duckdb.connect()
    assert not list(tmp_path.rglob("*.csv")) and not list(tmp_path.rglob("*.json*"))
    qoe = con.sql(f"SELECT count(*) FROM '{tmp_path}/sfb_qoe/*.parquet'").fetchall()[0]
    assert qoe[0] == counts["sfb_qoe"]
    cols = con.sql(f"SELECT * FROM '{tmp_path}/superoffice/*.parquet'").columns
    assert cols == _documented_columns()["superoffice"]
    syl = con.sql(f"SELECT count(*) FROM '{tmp_path}/syllable/*.parquet'").fetchall()[0]
    assert syl[0] == counts["syllable"]


def test_progress_bar_and_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(tmp_path, sessions=50, days=2, seed=1, progress=True)
    err = capsys.readouterr().err
    assert "2/2 days" in err and err.endswith("\n")
    with pytest.raises(ValueError):
        generate(tmp_path, sessions=50, days=0, seed=1)
    with pytest.raises(ValueError):
        generate(tmp_path, sessions=50, days=1, seed=1, fmt="xml")


# ------------------------------------------------------------ formatting


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 1, 1))
)
def test_sql_datetime_text(t: dt.datetime) -> None:
    text = sql_dt(t)
    assert SQL_DT.match(text)
    assert text[-1] in "037"
    parsed = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f")
    assert abs((parsed - t).total_seconds()) <= 0.0025
    assert GRAPH_TS.match(iso7(t))


@given(st.floats(min_value=0, max_value=100_000, allow_nan=False))
def test_iso_duration_round_trip(seconds: float) -> None:
    text = iso_duration(seconds)
    m = ISO_DURATION.match(text)
    assert m and text != "PT"
    hours = int((m.group(1) or "0H")[:-1])
    minutes = int((m.group(2) or "0M")[:-1])
    secs = float((m.group(3) or "0S")[:-1])
    assert abs(hours * 3600 + minutes * 60 + secs - seconds) <= 0.0005 + 1e-9
    assert iso_duration(0.016) == "PT0.016S" and iso_duration(62.5) == "PT1M2.5S"
