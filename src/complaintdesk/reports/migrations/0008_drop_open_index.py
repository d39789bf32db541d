"""Drop reports_complaint_open: complaints.complaint_open_level (level, registered_at, id, open only)
begins with its columns under its condition, so every reading it served uses that one, and each new
complaint wrote one index entry fewer (docs/performance.md, "Import")."""

from django.db import migrations

from complaintdesk.reports.summary_triggers import OPEN_COMPLAINTS, drop_index_sql, index_sql


def drop(apps, schema_editor):
    for statement in drop_index_sql(OPEN_COMPLAINTS):
        schema_editor.execute(statement)


def create(apps, schema_editor):
    for statement in index_sql(OPEN_COMPLAINTS):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_covering_indexes"), ("complaints", "0011_fewer_indexes")]

    operations = [migrations.RunPython(drop, create)]
