"""Django's SQLite backend over SQLCipher: the same SQL and features, a database file that is
ciphertext on disk. Each new connection is keyed (`PRAGMA key`) with the key derived from the
site's key (core.keys), which is read when the connection opens and never stored beside the
data; without it (locked down) the connection is refused with the reason."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from itertools import tee
from typing import Any

import sqlcipher3.dbapi2 as Database  # type: ignore[import-untyped, unused-ignore]
from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3._functions import (  # type: ignore[import-untyped]
    register as register_functions,
)
from django.utils.asyncio import async_unsafe
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from lifeline.core.keys import database_key
from lifeline.core.sqlcipher import sqlcipher_open

# What Django registers on the standard library's sqlite3, registered on SQLCipher's module.
Database.register_converter("bool", b"1".__eq__)
Database.register_converter("date", sqlite_base.decoder(parse_date))
Database.register_converter("time", sqlite_base.decoder(parse_time))
Database.register_converter("datetime", sqlite_base.decoder(parse_datetime))
Database.register_converter("timestamp", sqlite_base.decoder(parse_datetime))
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, lambda value: value.isoformat())
Database.register_adapter(datetime.datetime, lambda value: value.isoformat(" "))


class SQLCipherCursorWrapper(Database.Cursor):  # type: ignore[misc, unused-ignore]
    """Django's format/pyformat parameters to SQLite's (as SQLiteCursorWrapper does)."""

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return super().execute(query)
        names = list(params) if isinstance(params, Mapping) else None
        return super().execute(self.convert_query(query, param_names=names), params)

    def executemany(self, query: str, param_list: Iterable[Any]) -> Any:
        peekable, param_list = tee(iter(param_list))
        first = next(peekable, None)
        names = list(first) if first and isinstance(first, Mapping) else None
        return super().executemany(self.convert_query(query, param_names=names), param_list)

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            converted: str = sqlite_base.FORMAT_QMARK_REGEX.sub("?", query)
            return converted.replace("%%", "%")
        return query % {name: f":{name}" for name in param_names}


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    vendor = "sqlite"
    display_name = "SQLite (SQLCipher)"
    Database = Database

    @async_unsafe
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        key = database_key()  # KeysLocked when the site is locked down
        try:
            conn = sqlcipher_open(lambda: Database.connect(**conn_params), key)
        except Database.DatabaseError as exc:
            raise Database.DatabaseError(
                f"{conn_params.get('database')} does not open with the site's key: it is "
                "another site's, or a plain database (LIFELINE_ENCRYPTED is set)"
            ) from exc
        register_functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        for init_command in self.init_commands:  # type: ignore[attr-defined]
            if init_command := init_command.strip():
                conn.execute(init_command)
        return conn

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=SQLCipherCursorWrapper)
