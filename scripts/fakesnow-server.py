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

With `SPARK_FAKESNOW_PERSIST=DIR` it also keeps everything on disk, so the apply fault suite can
kill the server and start it again on the same data:

3. fakesnow's own `FAKESNOW_DB_PATH` (a session parameter) gives every session a fresh DuckDB
   instance with only that session's database file attached, and keeps stages, file formats and
   staged files in memory or a temporary directory: a restarted server has tables but no stages,
   and two sessions do not see each other's writes. Here one shared instance keeps each database
   in `DIR/<NAME>.db`, the global catalog (stages, file formats) in `DIR/_fs_global.db` and the
   staged files in `DIR/bucket`, and at start attaches every database file already there.

Everything else is fakesnow as installed.
"""
import os
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


def _persist(directory):
    import fakesnow.info_schema as info_schema
    import fakesnow.instance as instance
    import fakesnow.macros as macros
    import fakesnow.transforms.stage as stage
    from fakesnow.transforms import show

    os.makedirs(os.path.join(directory, "bucket"), exist_ok=True)
    stage.LOCAL_BUCKET_PATH = os.path.join(directory, "bucket")
    global_name = instance.GLOBAL_DATABASE_NAME

    class PersistentFakeSnow(instance.FakeSnow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "db_path": directory})
            duck = self.duck_conn
            duck.execute(f"DETACH {global_name}")
            duck.execute(f"ATTACH '{os.path.join(directory, global_name)}.db' AS {global_name}")
            duck.execute(info_schema.fs_global_creation_sql())
            duck.execute(show.fs_global_creation_sql())
            for name in sorted(os.listdir(directory)):
                catalog = name[: -len(".db")]
                if not name.endswith(".db") or catalog == global_name:
                    continue
                duck.execute(f"ATTACH '{os.path.join(directory, name)}' AS {catalog}")
                duck.execute(info_schema.per_db_creation_sql(catalog))
                duck.execute(macros.creation_sql(catalog))

    # fakesnow.server makes its shared instance when it is first imported, as the server starts.
    instance.FakeSnow = PersistentFakeSnow


if __name__ == "__main__":
    if directory := os.environ.get("SPARK_FAKESNOW_PERSIST"):
        _persist(directory)
    sys.exit(fakesnow.cli.main())
