"""
The CSV contract every exported file follows (docs/file-format.md).

UTF-8, a header row, ``,`` between fields, rows ending with ``\\n``. Every non-NULL text value is
quoted with ``"``; inside it ``\\`` escapes: a quote is written ``\\"``, a backslash ``\\\\``, and CR / LF
are written ``\\\\r`` / ``\\\\n`` so that no physical line break ever falls inside a row and a reader
applying the escape rule gets the two characters ``\\r`` / ``\\n``. SQL NULL is an empty unquoted field,
an empty string is ``""``. Numbers, dates and booleans are unquoted: datetimes ``YYYY-MM-DD
HH:MM:SS.ffffff`` (UTC), dates ``YYYY-MM-DD``, booleans ``0``/``1``, decimals exactly as stored.

Readers: Python's ``csv`` with ``escapechar="\\\\", doublequote=False``; DuckDB's ``read_csv(escape='\\\\')``
(with ``allow_quoted_nulls=false`` to tell NULL from ""); Athena's OpenCSVSerde with ``escapeChar='\\\\'``.
"""
from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Iterable, Sequence

DELIMITER = ","
QUOTE = '"'
ESCAPE = "\\"
LINE_END = "\n"


def _text(value: str) -> str:
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if '"' in value:
        value = value.replace('"', '\\"')
    if "\n" in value:
        value = value.replace("\n", "\\\\n")
    if "\r" in value:
        value = value.replace("\r", "\\\\r")
    return f'"{value}"'


def _datetime(value: datetime.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _time(value) -> str:
    if isinstance(value, datetime.timedelta):  # MySQL TIME columns arrive as timedelta
        micros = value.days * 86_400_000_000 + value.seconds * 1_000_000 + value.microseconds
        sign, micros = ("-", -micros) if micros < 0 else ("", micros)
        seconds, micros = divmod(micros, 1_000_000)
        return f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{micros:06d}"
    return value.isoformat("microseconds")


ENCODERS = {
    str: _text,
    int: int.__repr__,
    bool: lambda value: "1" if value else "0",
    float: float.__repr__,
    decimal.Decimal: decimal.Decimal.__str__,
    datetime.datetime: _datetime,
    datetime.date: datetime.date.isoformat,
    datetime.time: _time,
    datetime.timedelta: _time,
    bytes: lambda value: _text(value.hex()),
    bytearray: lambda value: _text(value.hex()),
    memoryview: lambda value: _text(value.hex()),
    uuid.UUID: lambda value: _text(value.hex),
}


def _other(value) -> str:
    return _text(str(value))


def _any(value) -> str:
    return ENCODERS.get(type(value), _other)(value)


def _number(value) -> str:
    return "1" if value is True else "0" if value is False else repr(value)


def _timestamp(fraction_digits: int):
    if fraction_digits == 6:
        return str
    if fraction_digits == 0:
        return lambda value: value + ".000000"
    return lambda value: value + "0" * (6 - fraction_digits)


def _text_column(value) -> str:
    try:
        return _text(value)
    except TypeError:  # BINARY/VARBINARY share the text type codes but arrive as bytes
        return _any(value)


def encoder_for(kind: str):
    """The encoding function of one column kind (``extract.tables`` says what each column holds)."""
    if kind.startswith("timestamp:"):
        return _timestamp(int(kind.split(":")[1]))
    return {"text": _text_column, "number": _number, "verbatim": str}.get(kind, _any)


def header(columns: Sequence[str]) -> str:
    """The header line: column names, unquoted (they are SQL identifiers)."""
    return DELIMITER.join(columns) + LINE_END


def encode_rows(rows: Iterable[Sequence], encoders: Sequence | None = None) -> str:
    """Many rows as CSV text; the hot path of every export. Without encoders, values pick by type."""
    join = DELIMITER.join
    if encoders is None:
        get = ENCODERS.get
        return "".join([
            join(["" if value is None else get(type(value), _other)(value) for value in row]) + LINE_END
            for row in rows
        ])
    return "".join([
        join(["" if value is None else encode(value) for encode, value in zip(encoders, row)]) + LINE_END
        for row in rows
    ])
