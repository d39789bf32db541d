"""On PostgreSQL the summary's marks of inserted and deleted rows are made once per statement, from
its transition table (reports/summary_triggers.py): a bulk import's COPY no longer calls a row
trigger for every complaint. Updates keep their row triggers; SQLite is left as it is."""

from django.db import migrations

from complaintdesk.reports.summary_triggers import create_sql, drop_sql


def _recreate(schema_editor, *, per_statement: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor != "postgresql":
        return
    for statement in [*drop_sql(vendor), *create_sql(vendor, per_statement=per_statement)]:
        schema_editor.execute(statement)


def per_statement(apps, schema_editor):
    _recreate(schema_editor, per_statement=True)


def per_row(apps, schema_editor):
    _recreate(schema_editor, per_statement=False)


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_export_file_deleted")]

    operations = [migrations.RunPython(per_statement, per_row)]
