"""The CSV contract: every value reads back exactly with Python's csv module, DuckDB and the OpenCSVSerde rules."""
import csv
import datetime
import io
import sys
import json
from decimal import Decimal

import duckdb

from panorama_openedx.datalake.csv_format import encode_rows, encoder_for, header

AWKWARD = ["", "plain", 'a "quoted" word', "comma, inside", "back\\slash", "trailing\\", "tab\there",
           "line\nbreak", "cr\rlf\r\n", "naïve café — 日本語", '{"json": "with \\"escapes\\"\\n"}', "\\n literal",
           " spaces ", "'single'", "\\\"", '"']


def expected_text(value):
    """What a reader applying the escape rule gets back: CR/LF become two-character sequences."""
    return value.replace("\r", "\\r").replace("\n", "\\n")


def python_rows(text):
    return list(csv.reader(io.StringIO(text, newline=""), escapechar="\\", doublequote=False))


def duckdb_rows(path):
    relation = duckdb.sql(
        f"SELECT * FROM read_csv('{path}', header=true, delim=',', quote='\"', escape='\\', "
        "all_varchar=true, allow_quoted_nulls=false, auto_detect=false, columns={'id': 'VARCHAR', 'v': 'VARCHAR'})")
    return relation.fetchall()


def test_text_values_read_back_exactly_with_python_csv():
    text = header(["id", "v"]) + encode_rows([(i, value) for i, value in enumerate(AWKWARD)])
    assert text.count("\n") == len(AWKWARD) + 1, "no physical line break inside a row"
    rows = python_rows(text)
    assert rows[0] == ["id", "v"]
    assert [row[1] for row in rows[1:]] == [expected_text(v) for v in AWKWARD]


def test_text_values_and_nulls_read_back_exactly_with_duckdb(tmp_path):
    path = tmp_path / "t.csv"
    values = AWKWARD + [None]
    path.write_text(header(["id", "v"]) + encode_rows([(i, v) for i, v in enumerate(values)]), encoding="utf-8")
    assert [row[1] for row in duckdb_rows(path)] == [None if v is None else expected_text(v) for v in values]


def test_readers_tell_null_from_empty(tmp_path):
    """DuckDB (allow_quoted_nulls=false) always; Python's csv too where it can (its reader honours QUOTE_NOTNULL
    from Python 3.13)."""
    text = header(["id", "v"]) + encode_rows([(1, None), (2, ""), (3, "x")])
    path = tmp_path / "n.csv"
    path.write_text(text, encoding="utf-8")
    assert duckdb_rows(path) == [("1", None), ("2", ""), ("3", "x")]
    if sys.version_info >= (3, 13):
        rows = list(csv.reader(io.StringIO(text), escapechar="\\", doublequote=False, quoting=csv.QUOTE_NOTNULL))
        assert rows[1:] == [["1", None], ["2", ""], ["3", "x"]]


def test_null_is_empty_unquoted_and_empty_string_is_quoted():
    assert encode_rows([(None, "", 0, False)]) == ',"",0,0\n'


def test_json_text_stays_valid_json():
    document = {"answer": 'He said "yes"\nthen \\left', "n": [1, 2.5, None], "é": "日本"}
    for text in (json.dumps(document), json.dumps(document, ensure_ascii=False)):
        (value,) = python_rows(encode_rows([(text,)]))[0]
        assert json.loads(value) == json.loads(text)


def test_scalars():
    row = (1, -7, True, False, 1.5, 0.1, 1e-07, Decimal("0.50"), Decimal("12.34500"),
           datetime.datetime(2025, 3, 4, 5, 6, 7), datetime.datetime(2025, 3, 4, 5, 6, 7, 89),
           datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
           datetime.date(2025, 3, 4), datetime.time(5, 6, 7), datetime.timedelta(hours=-1, seconds=1), b"\x00\xff")
    assert encode_rows([row]).rstrip("\n").split(",") == [
        "1", "-7", "1", "0", "1.5", "0.1", "1e-07", "0.50", "12.34500", "2025-03-04 05:06:07.000000",
        "2025-03-04 05:06:07.000089", "2025-03-04 03:06:07.000000", "2025-03-04", "05:06:07.000000",
        "-00:59:59.000000", '"00ff"']


def test_column_encoders_for_server_text():
    """MySQL temporal/decimal columns arrive as the server's text; the encoders keep or complete it."""
    encoders = [encoder_for(kind) for kind in ("timestamp:0", "timestamp:3", "timestamp:6", "verbatim", "number",
                                               "text", "any")]
    row = ("2025-01-02 03:04:05", "2025-01-02 03:04:05.123", "2025-01-02 03:04:05.123456", "0.50", 7, 'a"b', 2.5)
    assert encode_rows([row], encoders) == (
        '2025-01-02 03:04:05.000000,2025-01-02 03:04:05.123000,2025-01-02 03:04:05.123456,0.50,7,"a\\"b",2.5\n')
    assert encode_rows([(None,) * 7], encoders) == ",,,,,,\n"


def test_opencsvserde_rules():
    """
    Athena's OpenCSVSerde is opencsv's CSVReader(separator ',', quote '"', escape '\\'): inside quotes the
    escape makes the next character literal. Athena cannot run here; this re-implements that rule in a
    few lines to show the files need nothing more from it.
    """
    def opencsv(line):
        fields, field, quoted, escaped = [], [], False, False
        for char in line:
            if escaped:
                field.append(char)
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                fields.append("".join(field))
                field = []
            else:
                field.append(char)
        return fields + ["".join(field)]

    lines = encode_rows([(i, v) for i, v in enumerate(AWKWARD)]).splitlines()
    assert [opencsv(line)[1] for line in lines] == [expected_text(v) for v in AWKWARD]
