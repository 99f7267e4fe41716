"""The search index: FTS5 with triggers on SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE catalog_record_fts USING fts5(search_text, content='catalog_record', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_record_fts_insert AFTER INSERT ON catalog_record BEGIN "
    "INSERT INTO catalog_record_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER catalog_record_fts_delete AFTER DELETE ON catalog_record BEGIN "
    "INSERT INTO catalog_record_fts(catalog_record_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER catalog_record_fts_update AFTER UPDATE OF search_text ON catalog_record "
    "BEGIN INSERT INTO catalog_record_fts(catalog_record_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO catalog_record_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER catalog_record_fts_update",
    "DROP TRIGGER catalog_record_fts_delete",
    "DROP TRIGGER catalog_record_fts_insert",
    "DROP TABLE catalog_record_fts",
]
POSTGRES = ["CREATE INDEX catalog_record_search ON catalog_record "
            "USING gin (to_tsvector('simple', search_text))"]
POSTGRES_REVERSE = ["DROP INDEX catalog_record_search"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
