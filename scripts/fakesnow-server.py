"""Starts fakesnow's HTTP server for spark's tests, with two bugs fixed.

fakesnow 0.12.1 turns `COPY INTO t (c1, …, cn) FROM @stage/file.csv` into a SELECT of
`column0`, `column1`, … from DuckDB's read_csv.

1. DuckDB zero-pads those names once a file has more than ten columns (`column00` …
   `column16`), so any COPY of eleven or more columns fails with "Referenced column column0 not
   found". spark's canonical files always have more than ten columns. This wraps fakesnow's own
   `_inserts` and renames the columns the way DuckDB does.
2. read_csv guesses each column's type from the file, so a VARCHAR column receiving `3/1/2024`
   got DuckDB's date `2024-01-03` back as text, and `007` would lose its zeros. Snowflake reads
   every CSV field as text and converts it to the target column's type; with `all_varchar`
   DuckDB does the same, the INSERT casting each value to its column.

Everything else is fakesnow as installed.
"""
import re
import sys

import fakesnow.cli
import fakesnow.copy_into as copy_into
from sqlglot import exp

_original_inserts = copy_into._inserts


def _inserts(expr, params, urls, parquet_info=None):
    inserts = _original_inserts(expr, params, urls, parquet_info)
    for insert in inserts:
        select = insert.expression
        if not isinstance(select, exp.Select):
            continue
        columns = select.expressions
        names = [c.name for c in columns if isinstance(c, exp.Column)]
        if len(columns) > 10 and len(names) == len(columns) and all(re.fullmatch(r"column\d+", n) for n in names):
            width = len(str(len(columns) - 1))
            select.set("expressions", [exp.Column(this=exp.Identifier(this=f"column{i:0{width}d}")) for i in range(len(columns))])
    return inserts


copy_into._inserts = _inserts

_original_read_expression = copy_into.ReadCSV.read_expression


def _read_expression(self, url):
    read = _original_read_expression(self, url)
    read.append("expressions", copy_into.ReadCSV.make_eq("all_varchar", True))
    return read


copy_into.ReadCSV.read_expression = _read_expression

if __name__ == "__main__":
    sys.exit(fakesnow.cli.main())
