#!/usr/bin/env python3
"""Checks the adversarial load fixtures (Tests/SparkLoadTests/Adversarial/<case>/) against the
values scripts/make-adversarial-fixtures.py generated them from.

For every case:
  1. the folder holds one input.* and an oracle.json of the agreed shape, and the input's bytes
     are what the generator writes today (fixtures are up to date);
  2. the oracle is re-derived from the generator's ground truth (the values it drew, not the
     file): canonical values formatted here, line numbers taken from Python's csv module, and
     compared with oracle.json;
  3. every number, date and timestamp cell's raw text is read back with the case's KNOWN
     convention (decimal mark, date order) and must give the generated value, scale included;
  4. consistency lints against the reading rules: the decimal evidence in the file agrees with
     the oracle's decimal_separator or refusal, date orders are decided the way the rules decide
     them, summary rows look like summary rows and no data row does, text columns really are
     not all numbers or dates;
  5. for undamaged, loaded cases: the file parsed with the csv module using only the oracle's
     encoding, delimiter and header line has as many records as the oracle accounts for, the
     headers the oracle names, and each loaded row's cells as generated.

    python3 scripts/check-adversarial-fixtures.py          # exit 1 on any failure
"""
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import re
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_adversarial_fixtures", os.path.join(HERE, "make-adversarial-fixtures.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

NULLS = {"", "--", "-", "N/A", "n/a", "null", "NULL"}
SPACES = " \u00a0"
PCT_SPACES = " \u00a0\u202f"
CURRENCIES = sorted(["$", "€", "£", "¥", "₹", "zł", "kr", "Kč", "Fr.", "R$", "US$",
                     "EUR", "USD", "GBP", "CHF", "PLN", "SEK", "NOK", "DKK", "CZK"], key=len, reverse=True)
GROUPING = {".", ",", " ", "\u00a0", "\u202f", "'", "\u2019"}
SUMMARY_WORDS = ["total", "totals", "totales", "totaux", "gesamt", "gesamtsumme", "summe", "totaal", "totale", "totali",
                 "suma", "razem", "łącznie", "totalt"]
ORACLE_KEYS_LOAD = ["description", "options", "outcome", "encoding", "delimiter", "header_line", "header_rows",
                    "decimal_separator", "summary_rows", "rejected_rows", "columns"]
ORACLE_KEYS_REFUSE = ["description", "options", "outcome", "encoding", "delimiter", "refuse"]
OPTION_KEYS = {"decimal_separator": {".", ","}, "date_order": {"DMY", "MDY", "YMD"}, "bad_rows": {"reject", "refuse"},
               "keep_summary_rows": {True, False}, "header_line": None, "column_types": None}
ALLOWED_EXTRA_FILES = {"expected.json", "expected_stderr.txt"}


class Failures:
    def __init__(self):
        self.items = []
        self.case = None

    def __call__(self, ok, msg):
        if not ok:
            self.items.append(f"{self.case}: {msg}")
        return ok


fail = Failures()


# --- reading numbers and dates with a KNOWN convention (for the raw/value check) ------------------

def affixes(raw):
    """(sign, currency, percent, body) of a raw number, or None if an affix is malformed."""
    s = raw.strip()
    sign = ""
    if s[:1] in ("-", "\u2212"):
        sign, s = "-", s[1:]
    pct = False
    if s.endswith("%"):
        pct, s = True, s[:-1]
        if s[-1:] in PCT_SPACES:
            s = s[:-1]
    cur = None
    for c in CURRENCIES:
        if s.startswith(c):
            cur, s = c, s[len(c):]
            if s[:1] in SPACES:
                s = s[1:]
            break
        if s.endswith(c):
            cur, s = c, s[:-len(c)]
            if s[-1:] in SPACES:
                s = s[:-1]
            break
    if sign == "" and s[:1] in ("-", "\u2212"):
        sign, s = "-", s[1:]
    return sign, cur, pct, s


def digits(s):
    return s != "" and all(c in "0123456789" for c in s)


def read_number(raw, dec):
    """The Decimal a raw number means when `dec` is the decimal mark, or None if it is not a
    number under that reading (grouping rules and leading zeros included)."""
    sign, cur, pct, body = affixes(raw)
    if body.count(dec) > 1:
        return None
    ip, sep, fp = body.partition(dec)
    if sep and not digits(fp):
        return None
    if digits(ip):
        if len(ip) > 1 and ip[0] == "0":
            return None
    else:
        marks = {c for c in ip if not c.isdigit()}
        if len(marks) != 1:
            return None
        g = marks.pop()
        if g not in GROUPING or g == dec:
            return None
        groups = ip.split(g)
        if not (1 <= len(groups[0]) <= 3 and digits(groups[0]) and groups[0][0] != "0"):
            return None
        if not all(len(x) == 3 and digits(x) for x in groups[1:]):
            return None
        ip = "".join(groups)
    return Decimal(sign + ip + ("." + fp if sep else ""))


def evidence(raw):
    """'.', ',' (the only reading), 'ambiguous' (two readings, two values), 'neutral' (same
    value either way) or None (not a number)."""
    a, b = read_number(raw, "."), read_number(raw, ",")
    if a is None and b is None:
        return None
    if a is None:
        return ","
    if b is None:
        return "."
    return "neutral" if (a == b and a.as_tuple().exponent == b.as_tuple().exponent) else "ambiguous"


DATE_SHAPES = [
    ("iso", re.compile(r"^(\d{4})-(\d{2})-(\d{2})"), "YMD"),
    ("ymd_slash", re.compile(r"^(\d{4})/(\d{2})/(\d{2})"), "YMD"),
    ("dot", re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})"), "DMY"),
    ("dash", re.compile(r"^(\d{2})-(\d{2})-(\d{4})"), None),
    ("slash", re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})"), None),
]
TIME = re.compile(r"^ (\d{1,2}):(\d{2})(?::(\d{2}))?$")


def date_shape(raw):
    """(style, (p1, p2, p3), time or None) of a date or timestamp, or None."""
    for style, rx, _ in DATE_SHAPES:
        m = rx.match(raw)
        if m:
            rest = raw[m.end():]
            if rest == "":
                return style, tuple(int(x) for x in m.groups()), None
            t = TIME.match(rest)
            if t:
                return style, tuple(int(x) for x in m.groups()), (int(t[1]), int(t[2]), int(t[3] or 0))
            return None
    return None


def read_date(raw, order):
    shape = date_shape(raw)
    if shape is None:
        return None
    style, p, t = shape
    fixed = {"iso": "YMD", "ymd_slash": "YMD", "dot": "DMY"}.get(style)
    o = fixed or order
    y, m, d = {"YMD": (p[0], p[1], p[2]), "DMY": (p[2], p[1], p[0]), "MDY": (p[2], p[0], p[1])}[o]
    try:
        x = dt.date(y, m, d)
    except ValueError:
        return None
    return x if t is None else dt.datetime.combine(x, dt.time(*t))


# --- canonical values, formatted here ----------------------------------------------------------

def canon(kind, cell):
    raw = cell.raw
    if raw.strip() in NULLS:
        return None
    if kind == "text":
        return raw
    v = cell.value
    if kind == "number":
        sign, tup, exp = v.as_tuple()
        ds = "".join(map(str, tup))
        if exp < 0:
            ds = ds.rjust(-exp + 1, "0")
            ds = ds[:exp] + "." + ds[exp:]
        else:
            ds = ds + "0" * exp
        return ("-" if sign else "") + ds
    if kind == "date":
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    if kind == "timestamp":
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}"
    if kind == "boolean":
        return "TRUE" if v else "FALSE"
    raise ValueError(kind)


# --- the file through Python's csv module -------------------------------------------------------

def decode(data, encoding):
    if encoding == "utf-8":
        fail(not data.startswith(b"\xef\xbb\xbf"), "utf-8 file starts with a BOM")
        return data.decode("utf-8")
    if encoding == "utf-8-bom":
        fail(data.startswith(b"\xef\xbb\xbf"), "utf-8-bom file has no BOM")
        return data.decode("utf-8-sig")
    if encoding == "utf-16le":
        fail(data.startswith(b"\xff\xfe"), "utf-16le file has no FF FE BOM")
        return data.decode("utf-16-le").lstrip("\ufeff")
    if encoding == "utf-16be":
        fail(data.startswith(b"\xfe\xff"), "utf-16be file has no FE FF BOM")
        return data.decode("utf-16-be").lstrip("\ufeff")
    if encoding == "windows-1252":
        try:
            data.decode("utf-8")
            fail(False, "windows-1252 file is also valid UTF-8 (nothing tests the fallback)")
        except UnicodeDecodeError:
            pass
        return data.decode("cp1252")
    fail(False, f"unknown encoding {encoding}")
    return data.decode("utf-8", "replace")


def records(text, delimiter):
    """[(start line, fields)] for every record, blank lines included as []."""
    out, prev = [], 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for fields in reader:
        out.append((prev + 1, fields))
        prev = reader.line_num
    return out


# --- rule lints ------------------------------------------------------------------------------------

def is_null(raw):
    return raw.strip() in NULLS


def looks_like_summary(raws):
    first = raws[0].strip().lower()
    word = any(first == w or first.startswith(w + ":") or first.startswith(w + " (") or first.startswith(w + " -")
               for w in SUMMARY_WORDS)
    return word and all(is_null(r) or evidence(r) is not None for r in raws[1:])


def lint_decimal(case, o, loaded):
    num_cols = [i for i, c in enumerate(case.columns) if c.kind == "number"]
    proven, ambiguous, marks = {}, [], False
    for r in loaded:
        for i in num_cols:
            raw = r.cells[i].raw
            if is_null(raw):
                continue
            e = evidence(raw)
            fail(e is not None, f"number cell {raw!r} of {case.columns[i].header!r} reads under neither mark")
            if "." in raw or "," in raw:
                marks = True
            if e in (".", ","):
                proven.setdefault(e, (r, i))
            elif e == "ambiguous":
                ambiguous.append((r, i))
    opts = case.options
    typed = set((opts.get("column_types") or {}).keys())
    untyped_ambiguous = [(r, i) for r, i in ambiguous if case.columns[i].header not in typed]
    if o["outcome"] == "load":
        if "decimal_separator" not in opts:
            fail(set(proven) <= {o["decimal_separator"]}, f"file proves {sorted(proven)} but the oracle says {o['decimal_separator']!r}")
            if untyped_ambiguous:
                fail(bool(proven), "ambiguous values, no evidence and no setting, yet the oracle loads")
        fail((o["decimal_separator"] is None) == (not marks),
             f"decimal_separator {o['decimal_separator']!r} but the numbers {'do' if marks else 'do not'} hold '.' or ','")
    else:
        ref = o["refuse"]
        if len(proven) == 2:  # conflicting evidence: both proofs named, on the line refused
            for mark, (r, i) in proven.items():
                fail(r.line == ref["line"], f"conflict evidence {mark!r} first on line {r.line}, refusal on {ref['line']}")
                fail(case.columns[i].header in ref["contains"] and r.cells[i].raw in ref["contains"],
                     f"refusal does not name {case.columns[i].header!r} / {r.cells[i].raw!r}")
        elif ambiguous and not proven:
            r, i = min(ambiguous, key=lambda x: (x[0].line, x[1]))
            fail(r.line == ref["line"], f"first ambiguous value is on line {r.line}, refusal on {ref['line']}")
            fail(case.columns[i].header in ref["contains"] and r.cells[i].raw in ref["contains"],
                 f"refusal does not name {case.columns[i].header!r} and {r.cells[i].raw!r}")
            fail(all(i2 == i for _, i2 in ambiguous), "more than one ambiguous column: which one the error names is unclear")


def lint_dates(case, loaded):
    """Slash and dash dates: the order each column is written in is the order the rules pick."""
    info = {}
    for i, c in enumerate(case.columns):
        if c.kind not in ("date", "timestamp"):
            continue
        styles, proves = set(), set()
        for r in loaded:
            raw = r.cells[i].raw
            if is_null(raw):
                continue
            shape = date_shape(raw)
            fail(shape is not None, f"{c.header!r}: {raw!r} is not a date")
            if shape is None:
                continue
            style, p, t = shape
            styles.add(style)
            if style in ("slash", "dash"):
                if p[0] > 12:
                    proves.add("DMY")
                if p[1] > 12:
                    proves.add("MDY")
        fail(len(styles) == 1, f"{c.header!r} mixes date styles {sorted(styles)}")
        fail(len(proves) <= 1, f"{c.header!r} proves both orders")
        info[i] = (styles.pop() if len(styles) == 1 else None, proves)
    file_proves = set().union(*(p for _, p in info.values())) if info else set()
    fail(len(file_proves) <= 1, f"date columns prove different orders {sorted(file_proves)}")
    for i, (style, proves) in info.items():
        if style not in ("slash", "dash"):
            continue
        if proves:
            want = next(iter(proves))
        elif file_proves:
            want = next(iter(file_proves))
        elif "date_order" in case.options:
            want = case.options["date_order"]
        else:
            want = "MDY" if style == "slash" else "DMY"
        fail(case.columns[i].order == want, f"{case.columns[i].header!r} written {case.columns[i].order}, rules read {want}")


def lint_text_columns(case, o, loaded):
    for i, c in enumerate(case.columns):
        if c.kind != "text":
            continue
        raws = [r.cells[i].raw for r in loaded if not is_null(r.cells[i].raw)]
        if not raws:
            continue
        dec = o.get("decimal_separator") or "."
        nums = [read_number(x, dec) for x in raws]
        currencies = {affixes(x)[1] for x in raws}
        fail(not (all(n is not None for n in nums) and len(currencies) == 1), f"text column {c.header!r} is all numbers")
        fail(not all(date_shape(x) for x in raws), f"text column {c.header!r} is all dates")
        fail(not all(x.strip().lower() in ("true", "false") for x in raws), f"text column {c.header!r} is all booleans")


# --- one case ----------------------------------------------------------------------------------

def check_shape(o):
    keys = ORACLE_KEYS_LOAD if o.get("outcome") == "load" else ORACLE_KEYS_REFUSE
    fail(list(o.keys()) == keys, f"oracle keys {list(o.keys())}, expected {keys}")
    fail(isinstance(o.get("description"), str) and o["description"].endswith(".") and len(o["description"]) > 20,
         "description is not a sentence")
    for k, v in (o.get("options") or {}).items():
        fail(k in OPTION_KEYS, f"unknown option {k}")
        allowed = OPTION_KEYS.get(k)
        if allowed is not None:
            fail(v in allowed, f"option {k}={v!r}")
    fail(o.get("encoding") in ("utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"), "encoding")
    fail(o.get("delimiter") in (",", ";", "\t", "|"), "delimiter")
    if o["outcome"] == "refuse":
        r = o.get("refuse", {})
        fail(isinstance(r.get("line"), int) and r["line"] >= 1, "refuse.line")
        fail(isinstance(r.get("contains"), list) and all(isinstance(x, str) for x in r["contains"]), "refuse.contains")
        return
    fail(o["outcome"] == "load", "outcome")
    fail(o["header_rows"] in (1, 2), "header_rows")
    fail(o["decimal_separator"] in (".", ",", None), "decimal_separator")
    n = None
    for col in o["columns"]:
        fail(set(col) == {"header", "kind", "values"}, "column keys")
        fail(col["kind"] in ("number", "date", "timestamp", "text", "boolean"), f"kind {col['kind']}")
        n = len(col["values"]) if n is None else n
        fail(len(col["values"]) == n, f"column {col['header']!r} has {len(col['values'])} values, others {n}")
        for v in col["values"]:
            if v is None:
                continue
            k = col["kind"]
            ok = isinstance(v, str) and (
                (k == "number" and re.fullmatch(r"-?(0|[1-9]\d*)(\.\d+)?", v)) or
                (k == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)) or
                (k == "timestamp" and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", v)) or
                (k == "boolean" and v in ("TRUE", "FALSE")) or k == "text")
            fail(bool(ok), f"{col['header']!r}: {v!r} is not a canonical {k}")


def check_case(case, folder):
    fail.case = case.name
    files = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    inputs = [f for f in files if f.startswith("input.")]
    if not fail(len(inputs) == 1 and "oracle.json" in files, f"folder holds {sorted(files)}"):
        return
    for f in files - {inputs[0], "oracle.json"}:
        fail(f in ALLOWED_EXTRA_FILES, f"unexpected file {f}")
    data = open(os.path.join(folder, inputs[0]), "rb").read()
    fail(inputs[0] == "input." + case.ext, f"input file {inputs[0]}")
    fail(data == case.data(), "input differs from what the generator writes (run make-adversarial-fixtures.py)")
    fail(len(data) < 40 * 1024, f"input is {len(data)} bytes")
    with open(os.path.join(folder, "oracle.json"), encoding="utf-8") as f:
        o = json.load(f)
    check_shape(o)

    # Line numbers from the csv module, independent of the generator's own line counting.
    text = decode(data, case.encoding)
    recs = records(text, case.delimiter)
    header_at = next((k for k, (_, fields) in enumerate(recs) if fields == [str(x) if isinstance(x, str) else x.raw for x in case.header_rows[0]]), None)
    if not fail(header_at is not None, "header not found in the file"):
        return
    header_line = recs[header_at][0]
    body = recs[header_at + len(case.header_rows):]
    if not fail(len(body) == len(case.records), f"csv module reads {len(body)} records, generator wrote {len(case.records)}"):
        return
    for (line, fields), r in zip(body, case.records):
        fail(line == r.line, f"record at line {line} but the generator counted {r.line}")
        r.csv_line, r.csv_fields = line, fields
        if r.text is None:
            fail(fields == [c.raw for c in r.cells], f"line {line}: csv module reads {fields}")

    # The oracle, re-derived from the ground truth.
    want = {"description": case.description, "options": case.options, "outcome": case.outcome,
            "encoding": case.encoding, "delimiter": case.delimiter}
    if case.outcome == "refuse":
        kind, *arg = case.refuse_at
        want["refuse"] = {"line": header_line if kind == "header" else case.records[arg[0]].csv_line,
                          "contains": case.refuse_contains}
        if kind == "record":
            rec = case.records[arg[0]]
            fail(all(x in text.splitlines()[rec.csv_line - 1] for x in case.refuse_contains if x != "" and x not in [c.header for c in case.columns]),
                 "a raw value the refusal must contain is not on the refused line")
    else:
        keep = bool(case.options.get("keep_summary_rows"))
        loaded = [r for r in case.records if r.role == "data" or (keep and r.role == "summary")]
        want["header_line"] = header_line
        want["header_rows"] = len(case.header_rows)
        want["decimal_separator"] = case.decimal
        want["summary_rows"] = [] if keep else [r.csv_line for r in case.records if r.role == "summary"]
        want["rejected_rows"] = [r.csv_line for r in case.records if r.role == "rejected"]
        want["columns"] = [{"header": c.header, "kind": c.kind, "values": [canon(c.kind, r.cells[i]) for r in loaded]}
                           for i, c in enumerate(case.columns)]
    if want != o:
        for k in want:
            if want[k] != o.get(k):
                fail(False, f"oracle.{k} differs from the ground truth")

    # Raw text against the generated value, read with the case's known convention.
    for r in case.records:
        if r.cells is None:
            continue
        for i, c in enumerate(case.columns):
            cell = r.cells[i]
            if is_null(cell.raw):
                fail(cell.value is None or c.kind == "text", f"null marker {cell.raw!r} with a value")
                continue
            if c.kind == "number" or (r.role == "summary" and i > 0 and isinstance(cell.value, Decimal)):
                v = read_number(cell.raw, c.dec or case.parse_decimal or ".")
                fail(v is not None and v == cell.value and v.as_tuple().exponent == cell.value.as_tuple().exponent,
                     f"line {r.line}: {cell.raw!r} reads {v} under {c.dec or case.parse_decimal!r}, generated {cell.value}")
            elif c.kind in ("date", "timestamp") and r.role == "data":
                fail(read_date(cell.raw, c.order) == cell.value, f"line {r.line}: {cell.raw!r} is not {cell.value}")
                fail((date_shape(cell.raw)[2] is not None) == (c.kind == "timestamp"), f"{cell.raw!r} kind")
            elif c.kind == "boolean":
                fail(cell.raw.lower() == str(cell.value).lower(), f"{cell.raw!r} is not {cell.value}")
            elif c.kind == "text":
                # A text cell's value is its raw text; a typed value here means the column was
                # demoted to text (keep_summary_rows), where the raw text is what loads.
                fail(cell.value is None or cell.value == cell.raw or not isinstance(cell.value, str), "text value differs from raw")

    # Rule lints.
    loaded = [r for r in case.records if r.cells is not None and
              (r.role == "data" or (r.role == "summary" and case.options.get("keep_summary_rows")))]
    lint_decimal(case, o, loaded)
    if case.outcome == "load":
        lint_dates(case, loaded)
        lint_text_columns(case, o, loaded)
        names = [c.header for c in case.columns]
        fail(len(set(names)) == len(names) and all(n.strip() for n in names), "headers empty or repeated")
    for r in case.records:
        if r.cells is None:
            continue
        raws = [c.raw for c in r.cells]
        if r.role == "summary":
            fail(looks_like_summary(raws), f"line {r.line}: summary row does not look like one")
        else:
            fail(not looks_like_summary(raws), f"line {r.line}: data row looks like a summary row")
        fail(len(raws) == len(case.columns), f"line {r.line}: {len(raws)} cells for {len(case.columns)} columns")

    # The csv module, driven by the oracle alone, on undamaged loaded cases.
    if case.outcome == "load" and not case.damaged:
        recs2 = records(decode(data, o["encoding"]), o["delimiter"])
        start = next((k for k, (line, _) in enumerate(recs2) if line == o["header_line"]), None)
        if fail(start is not None, f"no record starts on header_line {o['header_line']}"):
            heads = recs2[start:start + o["header_rows"]]
            if o["header_rows"] == 1:
                named = heads[0][1]
            else:
                named, label = [], ""
                for g, n in zip(heads[0][1], heads[1][1]):
                    label = g or label
                    named.append(f"{label} / {n}" if label else n)
            fail(named == [c["header"] for c in o["columns"]], f"headers in the file {named}")
            rest = [x for x in recs2[start + o["header_rows"]:]]
            n_values = len(o["columns"][0]["values"]) if o["columns"] else 0
            fail(len(rest) == n_values + len(o["summary_rows"]) + len(o["rejected_rows"]),
                 f"csv module reads {len(rest)} records after the header; the oracle has {n_values} loaded "
                 f"+ {len(o['summary_rows'])} summary + {len(o['rejected_rows'])} rejected")
            fail(sorted(o["summary_rows"] + o["rejected_rows"]) == sorted(
                line for line, fields in rest if line in o["summary_rows"] + o["rejected_rows"]),
                "summary/rejected lines are not record starts")
            kept = [fields for line, fields in rest if line not in o["summary_rows"] + o["rejected_rows"]]
            for j, col in enumerate(o["columns"]):
                if col["kind"] == "text":
                    got = [None if f[j].strip() in NULLS else f[j] for f in kept]
                    fail(got == col["values"], f"text column {col['header']!r} differs from the csv module's cells")


def main():
    cases = gen.all_cases()
    for case in cases:
        case.text()
        check_case(case, os.path.join(gen.ROOT, case.name))
    counts = {"load": sum(c.outcome == "load" for c in cases), "refuse": sum(c.outcome == "refuse" for c in cases)}
    if fail.items:
        for x in fail.items:
            print("FAIL", x)
        print(f"{len(fail.items)} failures in {len({x.split(':')[0] for x in fail.items})} of {len(cases)} cases")
        return 1
    print(f"ok: {len(cases)} cases ({counts['load']} load, {counts['refuse']} refuse) match their ground truth")
    return 0


if __name__ == "__main__":
    sys.exit(main())
