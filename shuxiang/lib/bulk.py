"""Fast bulk inserts for imports: ids reserved up front, rows sent with executemany.

Django's bulk_create compiles SQL for every few dozen rows and builds a model instance
per row, which costs more than the database itself when a MARC import stores thousands
of records a second. Here rows are plain dicts; their ids are reserved first
(PostgreSQL: from the table's sequence; SQLite: after the highest id ever handed out,
safe because an import holds SQLite's write lock from BEGIN IMMEDIATE) and the rows go
in with one prepared statement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

# Values both drivers take as they are (sqlite3 with Django's adapters, and psycopg):
# strings, numbers, Decimal, date, bool. JSON and aware datetimes need Django's conversion.
PLAIN_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "ForeignKey",
    "BigAutoField",
    "AutoField",
    "DecimalField",
    "DateField",
    "BooleanField",
    "OneToOneField",
}


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys of `model`'s table. Call inside a transaction."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608 - our own table name
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _column(field: models.Field, now: Any) -> tuple[str, Any, Callable[[Any], Any] | None]:
    """(attname, default value, converter or None) of a concrete field."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        default = now
    else:
        default = field.get_default() if field.has_default() or field.null else ""
    if field.get_internal_type() in PLAIN_TYPES:
        return field.attname, default, None
    return field.attname, default, lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """INSERT `rows` (dicts keyed by attname; missing keys take the field's default, and
    auto_now fields the current time) into `model`'s table. Returns the new ids in order."""
    if not rows:
        return []
    assert transaction.get_connection().in_atomic_block, "insert_rows() needs a transaction"
    ids = reserve_ids(model, len(rows))
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [_column(f, timezone.now()) for f in fields]
    names = ", ".join(connection.ops.quote_name(f.column) for f in [model._meta.pk, *fields])
    marks = ", ".join(["%s"] * (len(fields) + 1))
    table = connection.ops.quote_name(model._meta.db_table)
    values = []
    for pk, row in zip(ids, rows, strict=True):
        line = [pk]
        for attname, default, convert in columns:
            value = row.get(attname, default)
            line.append(value if convert is None else convert(value))
        values.append(line)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
    return ids
