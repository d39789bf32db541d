"""Every installation starts with its head office: the root unit that existing complaints and
users without a unit belong to."""

from typing import Any

from django.db import migrations


def create_root(apps: Any, schema_editor: Any) -> None:
    Unit = apps.get_model("units", "Unit")
    if Unit.objects.filter(parent=None).exists():
        return
    unit = Unit.objects.create(code="hq", kind="head_office", name_zh="总部", name_en="Head office")
    Unit.objects.filter(pk=unit.pk).update(path=f"/{unit.pk:08d}/")


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(create_root, migrations.RunPython.noop)]
