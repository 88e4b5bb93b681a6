"""PEP 249 type objects and constructors.

``cursor.description`` carries the catalog's type names ("string", "integer",
"number", "boolean", "datetime", "json") as type codes; the type objects here
compare equal to every code of their group, as PEP 249 asks
(``description[i][1] == stripe_dbapi.NUMBER``).
"""

from __future__ import annotations

import datetime as _dt
import time as _time


class DBAPITypeObject:
    def __init__(self, name: str, *type_codes: str) -> None:
        self.name = name
        self.values = frozenset(type_codes)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DBAPITypeObject):
            return self.values == other.values
        return other in self.values

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"<DBAPITypeObject {self.name}>"


# JSON columns are text in SQL, so they are STRING to a generic client.
STRING = DBAPITypeObject("STRING", "string", "json")
BINARY = DBAPITypeObject("BINARY", "binary")
NUMBER = DBAPITypeObject("NUMBER", "integer", "number", "boolean")
DATETIME = DBAPITypeObject("DATETIME", "datetime", "date", "time")
# Stripe ids are strings; ROWID matches the code the driver gives id columns.
ROWID = DBAPITypeObject("ROWID", "rowid")
# Not in PEP 249, but handy and harmless: finer groups for tools that want them.
BOOLEAN = DBAPITypeObject("BOOLEAN", "boolean")
JSON = DBAPITypeObject("JSON", "json")

Date = _dt.date
Time = _dt.time
Timestamp = _dt.datetime


def DateFromTicks(ticks: float) -> _dt.date:
    return Date(*_time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> _dt.time:
    return Time(*_time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> _dt.datetime:
    return Timestamp(*_time.localtime(ticks)[:6])


def Binary(value: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value)
