"""Strict row-by-row comparison of one relation built by two engines (test_parity.py).

Every value is compared by its type category as well as its value: a boolean never
equals a number, an integer never equals a float, a text never equals a number. The
categories (see `category`) are those a reader of the warehouse can tell apart:

    null, bool, integer, fractional, text, date, timestamp, time, interval, list,
    struct, blob

Integer widths (INTEGER vs BIGINT) are one category: the value is exact either way.
DECIMAL and DOUBLE are one category, `fractional`: both are non-integral numbers, a
mart's ratio is a DOUBLE on one engine and a DECIMAL on the other only through the
engines' division and average rules, and their values are compared with the float
tolerance below. Timestamps with and without a time zone are one category (both engines
run in UTC: aware values are compared in UTC).

Columns are compared the same way (`column_categories`, from the relation's types), so
a column of NULLs only still has to have the same category on both engines.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import duckdb

REL_TOL = 1e-9
ABS_TOL = 1e-9

_TYPE_CATEGORIES = [
    # (regular expression on a DuckDB type name, category); first match wins
    (r"\[\d*\]$|^(LIST|ARRAY)\b", "list"),
    (r"^(STRUCT|MAP|UNION)\b", "struct"),
    (r"^BOOLEAN$", "bool"),
    (r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT)$", "integer"),
    (r"^(DOUBLE|FLOAT|REAL|DECIMAL\(\d+,\s*\d+\))$", "fractional"),
    (r"^(VARCHAR|UUID|JSON)$", "text"),
    (r"^DATE$", "date"),
    (r"^TIMESTAMP", "timestamp"),
    (r"^TIME", "time"),
    (r"^INTERVAL$", "interval"),
    (r"^BLOB$", "blob"),
]


def type_category(type_name: str) -> str:
    """The category of a DuckDB column type name (`DECIMAL(18,3)` -> fractional)."""
    name = type_name.strip().upper()
    for pattern, result in _TYPE_CATEGORIES:
        if re.search(pattern, name):
            return result
    raise ValueError(f"no type category for column type {type_name!r}")


def category(value: Any) -> str:
    """The type category of a Python value as DuckDB's client returns it."""
    if value is None:
        return "null"
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "bool"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (float, Decimal)):
        return "fractional"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime):  # before date: datetime is a date subclass
        return "timestamp"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, dt.timedelta):
        return "interval"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "struct"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "blob"
    raise TypeError(f"no type category for {type(value).__name__} {value!r}")


def normal(value: Any) -> tuple[str, Any]:
    """(category, comparable value): fractional values as float, aware timestamps in
    UTC without tzinfo, lists as tuples of normal items, structs as sorted tuples."""
    kind = category(value)
    if kind == "fractional":
        return kind, float(value)
    if kind == "timestamp" and value.tzinfo is not None:
        return kind, value.astimezone(dt.UTC).replace(tzinfo=None)
    if kind == "list":
        return kind, tuple(normal(item) for item in value)
    if kind == "struct":
        return kind, tuple(sorted((k, normal(v)) for k, v in value.items()))
    if kind == "blob":
        return kind, bytes(value)
    return kind, value


def equal(left: tuple[str, Any], right: tuple[str, Any]) -> bool:
    """Two normal values are equal: same category, and equal values (floats within
    REL_TOL relative / ABS_TOL absolute, NaN equals NaN)."""
    (left_kind, a), (right_kind, b) = left, right
    if left_kind != right_kind:
        return False
    if left_kind == "fractional":
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if left_kind in ("list", "struct"):
        if len(a) != len(b):
            return False
        if left_kind == "struct":
            return all(
                ka == kb and equal(va, vb)
                for (ka, va), (kb, vb) in zip(a, b, strict=True)
            )
        return all(equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _sort_part(value: tuple[str, Any]) -> tuple:
    kind, item = value
    if kind == "fractional" and math.isfinite(item):
        item = round(item, 9)
    if kind in ("list", "struct"):
        return (kind, repr(item))
    return (kind, item)


def _sort_key(row: Sequence[tuple[str, Any]]) -> tuple:
    return tuple(_sort_part(value) for value in row)


def differences(
    columns: Sequence[str],
    left: Iterable[Sequence[Any]],
    right: Iterable[Sequence[Any]],
    names: tuple[str, str] = ("duckdb", "spark"),
) -> Iterator[str]:
    """The differences of two sets of rows with the same columns (order of rows free):
    a row count, or per value `row N column C: duckdb 1 (integer) != spark 1.0
    (fractional)`. Nothing when they are equal."""
    left_rows = sorted((tuple(map(normal, row)) for row in left), key=_sort_key)
    right_rows = sorted((tuple(map(normal, row)) for row in right), key=_sort_key)
    if len(left_rows) != len(right_rows):
        yield f"rows: {names[0]} {len(left_rows)} != {names[1]} {len(right_rows)}"
        return
    for number, (row_a, row_b) in enumerate(zip(left_rows, right_rows, strict=True)):
        for column, a, b in zip(columns, row_a, row_b, strict=True):
            if not equal(a, b):
                yield (
                    f"row {number} column {column}: {names[0]} {a[1]!r} ({a[0]})"
                    f" != {names[1]} {b[1]!r} ({b[0]})"
                )


_NUMBER_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def json_number_texts_as_numbers(text: Any) -> Any:
    """A JSON text with every string value that spells a number (`"1e+20"`,
    `"100000000000000000000.0"`, `"1.0E20"`) turned into that number, members in their
    order; anything else unchanged. For a column of landed text as JSON (raw_record):
    the engines spell the text of a JSON number member differently."""
    if not isinstance(text, str):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return text

    def numbers(value: Any) -> Any:
        if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
            return float(value)
        if isinstance(value, dict):
            return {key: numbers(item) for key, item in value.items()}
        if isinstance(value, list):
            return [numbers(item) for item in value]
        return value

    return json.dumps(numbers(data), ensure_ascii=False)


def column_categories(
    con: duckdb.DuckDBPyConnection, relation: str
) -> list[tuple[str, str]]:
    """(column, type category) of every column of a relation, in order."""
    rows = con.sql(f"describe select * from {relation}").fetchall()
    return [(row[0], type_category(row[1])) for row in rows]


def compare_relations(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str,
    *,
    exclude: Iterable[str] = (),
    rewrite: Mapping[str, Callable[[Any], Any]] | None = None,
    names: tuple[str, str] = ("duckdb", "spark"),
) -> tuple[int, list[str]]:
    """Compare two relations (SQL table expressions) on `con`: the same columns in the
    same order with the same type categories, then every row strictly. `exclude` names
    columns left out of both, `rewrite` maps a column to a function applied to its
    values on both sides before they are compared (each with its reason where the
    caller lists it). Returns (rows on the left, differences)."""
    skipped = set(exclude)
    left_columns = [c for c in column_categories(con, left) if c[0] not in skipped]
    right_columns = [c for c in column_categories(con, right) if c[0] not in skipped]
    if left_columns != right_columns:
        return 0, [f"columns: {names[0]} {left_columns} != {names[1]} {right_columns}"]
    columns = [name for name, _kind in left_columns]
    select = ", ".join(f'"{name}"' for name in columns)
    left_rows = con.sql(f"select {select} from {left}").fetchall()
    right_rows = con.sql(f"select {select} from {right}").fetchall()
    if rewrite:
        functions = [rewrite.get(name) for name in columns]
        left_rows, right_rows = (
            [
                tuple(f(v) if f else v for f, v in zip(functions, row, strict=True))
                for row in rows
            ]
            for rows in (left_rows, right_rows)
        )
    return len(left_rows), list(differences(columns, left_rows, right_rows, names))
