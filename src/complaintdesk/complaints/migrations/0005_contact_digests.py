"""Contact data leaves the substring search column for the keyed blind index."""

import re
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

_PHONE = re.compile(r"^\+\d{6,15}$")
_IMEI = re.compile(r"^\d{15}$")


def move_contacts_to_the_index(apps: Any, schema_editor: Any) -> None:
    from complaintdesk.complaints.contact_index import contact_digests
    from complaintdesk.policy.rules import normalise_text

    complaint_model = apps.get_model("complaints", "Complaint")
    digest_model = apps.get_model("complaints", "ContactDigest")
    for complaint in complaint_model.objects.select_related("customer", "product").iterator(chunk_size=500):
        customer = complaint.customer
        product = complaint.product
        private = [code for code, value in (complaint.facts or {}).items()
                   if isinstance(value, str) and (_PHONE.match(value) or _IMEI.match(value))]
        values = {f: getattr(customer, f) for f in ("phone", "email", "social_account")}
        imei = product.imei if product else ""
        digests = contact_digests(values, {"imei": imei}, complaint.facts or {}, private)
        digest_model.objects.bulk_create([digest_model(complaint_id=complaint.pk, digest=d) for d in sorted(digests)],
                                         ignore_conflicts=True)
        text = complaint.search_text
        for value in [*values.values(), imei, *(complaint.facts[code] for code in private)]:
            if value:
                text = text.replace(normalise_text(str(value)), " ")
        if text != complaint.search_text:
            complaint_model.objects.filter(pk=complaint.pk).update(search_text=text)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0004_urgency_major_solved'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContactDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64)),
                ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contact_digests', to='complaints.complaint')),
            ],
            options={
                'indexes': [models.Index(fields=['digest'], name='contact_digest')],
                'constraints': [models.UniqueConstraint(fields=('complaint', 'digest'), name='contact_digest_unique')],
            },
        ),
        migrations.RunPython(move_contacts_to_the_index, migrations.RunPython.noop, elidable=True),
    ]
