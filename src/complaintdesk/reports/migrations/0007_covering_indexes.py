from django.db import migrations

from complaintdesk.reports.summary_triggers import covering_index_sql, drop_covering_index_sql


def create(apps, schema_editor):  # PostgreSQL only: SQLite has no INCLUDE, and its reads stay as they were
    if schema_editor.connection.vendor == "postgresql":
        for statement in covering_index_sql():
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in drop_covering_index_sql():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_month_summary"), ("followup", "0002_verbose_names")]

    operations = [migrations.RunPython(create, drop)]
