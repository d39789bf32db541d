"""On PostgreSQL, a trigram index makes substring search (Chinese and English, 3 characters and
more) use an index instead of reading every complaint. SQLite keeps the plain scan."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS complaint_search_trgm ON complaints_complaint "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS complaint_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_queue_indexes")]
    operations = [migrations.RunPython(create, drop)]
