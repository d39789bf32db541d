"""On PostgreSQL, a trigram index serves the knowledge base's substring search, as it does the
complaints' (complaints/migrations/0003). SQLite keeps the plain scan."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_search_trgm ON knowledge_article USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_knowledge_base")]
    operations = [migrations.RunPython(create, drop)]
