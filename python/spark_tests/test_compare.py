"""The strict comparator of the parity test (compare.py) can fail: no Spark needed.

.venv/bin/pytest -q python/spark_tests/test_compare.py
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from compare import (
    compare_relations,
    differences,
    json_number_texts_as_numbers,
    type_category,
)

COLUMNS = ["value"]


@pytest.mark.parametrize(
    ("left", "right", "kinds"),
    [
        (True, 1.0, "(bool) != spark 1.0 (fractional)"),
        (True, 1, "(bool) != spark 1 (integer)"),
        (False, 0, "(bool) != spark 0 (integer)"),
        (1, 1.0, "(integer) != spark 1.0 (fractional)"),
        (1, Decimal("1"), "(integer) != spark 1.0 (fractional)"),
        ("1", 1, "(text) != spark 1 (integer)"),
        ("true", True, "(text) != spark True (bool)"),
        (None, 0, "(null) != spark 0 (integer)"),
        ("", None, "(text) != spark None (null)"),
        (dt.date(2024, 3, 5), dt.datetime(2024, 3, 5), "(date) != spark"),
        ([1, 2], [1.0, 2.0], "(list) != spark"),
        (2.0, 2.0 + 1e-6, "(fractional) != spark 2.000001 (fractional)"),
    ],
)
def test_flags_values_of_another_type_or_value(
    left: object, right: object, kinds: str
) -> None:
    found = list(differences(COLUMNS, [(left,)], [(right,)]))
    assert len(found) == 1, found
    assert found[0].startswith("row 0 column value: duckdb ")
    assert kinds in found[0]


def test_passes_equal_rows_in_any_order() -> None:
    utc = dt.UTC
    plus_two = dt.timezone(dt.timedelta(hours=2))
    left = [
        (1, True, 0.1 + 0.2, "ü😀", dt.datetime(2024, 3, 5, 8, tzinfo=utc), [1, None]),
        (2, False, None, None, None, []),
        (None, None, float("nan"), "", dt.datetime(2024, 3, 5, 8), ["a"]),
    ]
    right = [
        (None, None, float("nan"), "", dt.datetime(2024, 3, 5, 8), ["a"]),
        # the same instant at +02:00; 0.3 within 1e-9 of 0.1 + 0.2; Decimal is
        # fractional like a double
        (
            1,
            True,
            Decimal("0.3"),
            "ü😀",
            dt.datetime(2024, 3, 5, 10, tzinfo=plus_two),
            [1, None],
        ),
        (2, False, None, None, None, []),
    ]
    assert list(differences(["a", "b", "c", "d", "e", "f"], left, right)) == []


def test_flags_a_missing_row() -> None:
    found = list(differences(COLUMNS, [(1,), (2,)], [(1,)]))
    assert found == ["rows: duckdb 2 != spark 1"]


def test_column_types_are_compared_even_when_every_value_is_null() -> None:
    con = duckdb.connect()
    con.sql("create table a as select cast(null as boolean) as flag, 1 as n")
    con.sql("create table b as select cast(null as double) as flag, 1 as n")
    con.sql("create table c as select cast(null as boolean) as flag, 1::bigint as n")
    rows, found = compare_relations(con, "a", "b")
    assert found == [
        "columns: duckdb [('flag', 'bool'), ('n', 'integer')]"
        " != spark [('flag', 'fractional'), ('n', 'integer')]"
    ]
    # integer widths are one category; an excluded column is not compared
    assert compare_relations(con, "a", "c") == (1, [])
    assert compare_relations(con, "a", "b", exclude=["flag"]) == (1, [])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BOOLEAN", "bool"),
        ("INTEGER", "integer"),
        ("BIGINT", "integer"),
        ("HUGEINT", "integer"),
        ("DOUBLE", "fractional"),
        ("DECIMAL(18,3)", "fractional"),
        ("VARCHAR", "text"),
        ("VARCHAR[]", "list"),
        ("DATE", "date"),
        ("TIMESTAMP WITH TIME ZONE", "timestamp"),
        ("TIMESTAMP_NS", "timestamp"),
        ("STRUCT(a INTEGER)", "struct"),
    ],
)
def test_type_categories(name: str, expected: str) -> None:
    assert type_category(name) == expected


def test_rewrite_of_number_texts_in_json_text() -> None:
    """raw_record: DuckDB writes the JSON number 1e+20 as "100000000000000000000.0",
    Spark as "1.0E20": equal once rewritten, and only then; other texts still differ."""
    con = duckdb.connect()
    con.sql(
        """create table a as select * from (values
            (1, '{"n":"100000000000000000000.0","d":"-1000000000.0","t":"x"}'))
            as t(k, raw)"""
    )
    con.sql(
        """create table b as select * from (values
            (1, '{"n":"1.0E20","d":"-1000000000","t":"x"}')) as t(k, raw)"""
    )
    con.sql(
        """create table c as select * from (values
            (1, '{"n":"1.0E20","d":"-1000000000","t":"y"}')) as t(k, raw)"""
    )
    rewrite = {"raw": json_number_texts_as_numbers}
    assert len(compare_relations(con, "a", "b")[1]) == 1
    assert compare_relations(con, "a", "b", rewrite=rewrite) == (1, [])
    assert len(compare_relations(con, "a", "c", rewrite=rewrite)[1]) == 1
    assert json_number_texts_as_numbers(None) is None
    assert json_number_texts_as_numbers("not json") == "not json"
