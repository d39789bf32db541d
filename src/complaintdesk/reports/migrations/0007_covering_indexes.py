from django.db import migrations

from complaintdesk.reports.summary_triggers import COVERING_INDEXES, drop_index_sql, index_sql


def create(apps, schema_editor):  # PostgreSQL only: SQLite has no INCLUDE, and its reads stay as they were
    if schema_editor.connection.vendor == "postgresql":
        for statement in index_sql(COVERING_INDEXES):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in drop_index_sql(COVERING_INDEXES):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_month_summary"), ("followup", "0002_verbose_names")]

    operations = [migrations.RunPython(create, drop)]
